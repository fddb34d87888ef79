import type { MediaItem } from '../schema/types';
import type { SimklList } from './history-read';
import { mediaFields } from './ids';
import type { SimklListRow } from './types';

/** A library row with the fields ratings and watchlist reads use (SIMKL-DOCS get-all-items / get-user-ratings). */
export interface SimklLibraryRow extends SimklListRow {
  user_rating?: number | string | null;
  user_rated_at?: string | null;
  added_to_watchlist_at?: string | null;
}

/** The rows of one list; an empty library answers the body `null` (api-facts §2.6). */
export function rowsOf(list: SimklList, data: unknown): SimklLibraryRow[] {
  if (!data || typeof data !== 'object') return [];
  const rows = (data as Partial<Record<SimklList, unknown>>)[list];
  return Array.isArray(rows) ? rows.filter((row): row is SimklLibraryRow => !!row && typeof row === 'object') : [];
}

/** The title of a row: a movie, or a show (anime included: Simkl rates and lists whole titles). */
function titleOf(list: SimklList, row: SimklLibraryRow): MediaItem | undefined {
  if (list === 'movies') return row.movie ? { type: 'movie', ...mediaFields(row.movie) } : undefined;
  return row.show ? { type: 'show', ...mediaFields(row.show) } : undefined;
}

/** Rated titles with their rating and when it was given; rows without a 1–10 rating are left out. */
export function ratedItems(list: SimklList, data: unknown): MediaItem[] {
  return rowsOf(list, data).flatMap((row) => {
    const item = titleOf(list, row);
    const rating = Number(row.user_rating);
    if (!item || row.user_rating === null || !Number.isInteger(rating) || rating < 1 || rating > 10) return [];
    item.rating = rating;
    if (typeof row.user_rated_at === 'string' && row.user_rated_at) item.ratedAt = row.user_rated_at;
    item.source = { kind: 'simkl', list: 'ratings' };
    return [item];
  });
}

/** Plan-to-watch titles with when they were added. */
export function watchlistItems(list: SimklList, data: unknown): MediaItem[] {
  return rowsOf(list, data).flatMap((row) => {
    const item = titleOf(list, row);
    if (!item) return [];
    if (typeof row.added_to_watchlist_at === 'string' && row.added_to_watchlist_at) item.listedAt = row.added_to_watchlist_at;
    item.source = { kind: 'simkl', list: 'watchlist' };
    return [item];
  });
}
