/**
 * Generic CSV: one row per media item, any type, column names mirroring the item's fields. The first
 * columns are the documented format; the rest extend it so nothing an item carries is lost (an episode's
 * show ids above all). Readers pick columns by name; a file only carries the columns some row has data for.
 *
 * ids, imdb … plex: the item's own ids (for an episode, the episode's); show_*: the show's (item.show).
 * Timestamps are ISO 8601 UTC; booleans true/false; tags comma-joined.
 */
import { ID_KEYS, type IdKey, type MediaIds, type MediaItem } from '../schema/types';
import { boolean, integer, rating, tagList, text, timestamp } from './values';

const ID_COLUMNS = ['imdb', 'tmdb', 'tvdb', 'trakt', 'simkl', 'slug', 'letterboxd'] as const;
const EXTRA_ID_COLUMNS = ID_KEYS.filter((key) => !(ID_COLUMNS as readonly string[]).includes(key));
const SHOW_ID_COLUMNS = ID_KEYS.map((key) => `show_${key}`);

export const GENERIC_COLUMNS: readonly string[] = [
  'type', 'title', 'year', 'show_title', 'show_year', 'season', 'episode', 'watched_at', 'rating', 'rewatch',
  ...ID_COLUMNS, 'tags', 'review', 'source_kind', 'source_ref',
  // Extensions, after the documented columns so a reader that only knows those still finds them by name.
  ...EXTRA_ID_COLUMNS, ...SHOW_ID_COLUMNS, 'rated_at', 'listed_at', 'collected_at', 'source_user', 'source_list',
];

export function genericCells(item: MediaItem): string[] {
  const row: Record<string, string> = {
    type: item.type,
    title: text(item.title),
    year: integer(item.year, 'year'),
    show_title: text(item.show?.title),
    show_year: integer(item.show?.year, 'show year'),
    season: integer(item.season, 'season'),
    episode: integer(item.episode, 'episode'),
    watched_at: timestamp(item.watchedAt, 'watchedAt'),
    rating: rating(item.rating),
    rewatch: boolean(item.rewatch),
    ...idCells(item.ids, ''),
    ...idCells(item.show?.ids, 'show_'),
    tags: tagList(item.tags),
    review: text(item.review),
    source_kind: text(item.source?.kind),
    source_ref: text(item.source?.ref),
    rated_at: timestamp(item.ratedAt, 'ratedAt'),
    listed_at: timestamp(item.listedAt, 'listedAt'),
    collected_at: timestamp(item.collectedAt, 'collectedAt'),
    source_user: text(item.source?.user),
    source_list: text(item.source?.list),
  };
  return GENERIC_COLUMNS.map((column) => row[column] ?? '');
}

function idCells(ids: MediaIds | undefined, prefix: string): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const key of ID_KEYS) cells[prefix + key] = idText(ids?.[key], key);
  return cells;
}

function idText(value: string | number | undefined, key: IdKey): string {
  return typeof value === 'number' ? integer(value, `${key} id`) : text(value);
}
