/**
 * clawarr's generic CSV (lib/exporters/generic.ts writes it): one item per row, columns named after the
 * item's fields, any subset and order. Reading it back closes the round trip csv-export → csv-import.
 */
import { ID_KEYS, type MediaIds, type MediaItem } from '../schema/types';
import type { MapResult, Row } from './row';

const STRING_IDS = new Set(['imdb', 'slug', 'letterboxd', 'plex']);

export function mapGenericRow(row: Row): MapResult {
  const type = row.get('type').trim();
  if (type !== 'movie' && type !== 'episode' && type !== 'show') return { reject: `type "${type}" is not movie, episode or show` };
  const number = (column: string): number | undefined => {
    const text = row.get(column).trim();
    return text === '' ? undefined : Number(text);
  };
  const item: MediaItem = { type };
  assign(item, 'title', row.get('title') || undefined);
  assign(item, 'year', number('year'));
  assign(item, 'season', number('season'));
  assign(item, 'episode', number('episode'));
  assign(item, 'watchedAt', row.get('watched_at') || undefined);
  assign(item, 'rating', number('rating'));
  if (row.get('rewatch')) item.rewatch = row.get('rewatch') === 'true';
  assign(item, 'ids', ids(row, ''));
  const showIds = ids(row, 'show_');
  if (row.get('show_title') || number('show_year') !== undefined || showIds) {
    item.show = {};
    assign(item.show, 'title', row.get('show_title') || undefined);
    assign(item.show, 'year', number('show_year'));
    assign(item.show, 'ids', showIds);
  }
  if (row.get('tags')) item.tags = row.get('tags').split(',').map((t) => t.trim()).filter(Boolean);
  assign(item, 'review', row.get('review') || undefined);
  assign(item, 'ratedAt', row.get('rated_at') || undefined);
  assign(item, 'listedAt', row.get('listed_at') || undefined);
  assign(item, 'collectedAt', row.get('collected_at') || undefined);
  const source = { kind: row.get('source_kind') || 'csv', ref: row.get('source_ref') || row.ref, user: row.get('source_user') || undefined, list: row.get('source_list') || undefined };
  item.source = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined)) as MediaItem['source'];
  return { item };
}

function ids(row: Row, prefix: string): MediaIds | undefined {
  const out: Record<string, string | number> = {};
  for (const key of ID_KEYS) {
    const text = row.get(prefix + key).trim();
    if (text) out[key] = STRING_IDS.has(key) ? text : Number(text);
  }
  return Object.keys(out).length ? (out as MediaIds) : undefined;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
