import { foldTitle } from '../schema/fold-title';
import type { MediaIds, MediaItem } from '../schema/types';

/** Trakt records "unknown" watch dates as the epoch (api-facts §1.8, CrossWatch#470). */
export const UNKNOWN_WATCHED_AT = '1970-01-01T00:00:00.000Z';

/** A play's time as the tracker keeps it: UTC, truncated to the minute (Trakt has no seconds). */
export function minuteOf(watchedAt: string | undefined): string {
  const ms = Date.parse(watchedAt === undefined || watchedAt === 'unknown' ? UNKNOWN_WATCHED_AT : watchedAt);
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16) + 'Z';
}

/**
 * Every identity an item is known by: each id, and its title and year. A play is the same play
 * when any identity matches at the same minute, so sources that carry different ids for the same
 * film still meet in the ledger.
 */
export function identityKeys(item: MediaItem): string[] {
  const keys: string[] = [];
  if (item.type === 'episode') {
    const number = `s${item.season ?? 0}e${item.episode ?? 0}`;
    pushIds(keys, 'episode', item.ids);
    const showKeys: string[] = [];
    pushIds(showKeys, 'show', item.show?.ids);
    pushTitle(showKeys, 'show', item.show?.title, item.show?.year);
    for (const key of showKeys) keys.push(`${key}:${number}`);
  } else {
    pushIds(keys, item.type, item.ids);
    pushTitle(keys, item.type, item.title, item.year);
  }
  return keys;
}

export function playKeys(item: MediaItem): string[] {
  const minute = minuteOf(item.watchedAt);
  return identityKeys(item).map((key) => `${key}@${minute}`);
}

function pushIds(keys: string[], kind: string, ids: MediaIds | undefined): void {
  if (!ids) return;
  for (const [name, value] of Object.entries(ids)) {
    if (value === undefined || value === null || value === '') continue;
    keys.push(`${kind}:${name}:${String(value).toLowerCase()}`);
  }
}

function pushTitle(keys: string[], kind: string, title: string | undefined, year: number | undefined): void {
  if (!title) return;
  const folded = foldTitle(title);
  if (folded) keys.push(`${kind}:title:${folded}:${year ?? ''}`);
}
