/**
 * Letterboxd import CSV (api-facts §4.2, letterboxd.com/import). Letterboxd reads the columns by name, in any
 * order and any subset, so a file only carries the columns some row has data for.
 */
import type { MediaItem } from '../schema/types';
import { UNKNOWN_WATCHED_AT } from '../sync/play-keys';
import { boolean, integer, rating, tagList, text, timestamp } from './values';

/** Directors stays in the list for completeness; media items carry no directors, so it never has data. */
export const LETTERBOXD_COLUMNS = ['LetterboxdURI', 'tmdbID', 'imdbID', 'Title', 'Year', 'Directors', 'Rating10', 'WatchedDate', 'Rewatch', 'Tags', 'Review'] as const;
type Column = (typeof LETTERBOXD_COLUMNS)[number];

/** Why Letterboxd cannot take the item, or undefined when it can. */
export function letterboxdRefusal(item: MediaItem): string | undefined {
  if (item.type !== 'movie') return `Letterboxd is films only: cannot import ${item.type === 'episode' ? 'an episode' : `a ${item.type}`}`;
  const ids = item.ids ?? {};
  if (!item.title && ids.tmdb === undefined && !ids.imdb && !ids.letterboxd) {
    return 'Letterboxd needs a title, a tmdb, imdb or letterboxd id to find the film';
  }
  return undefined;
}

export function letterboxdCells(item: MediaItem): string[] {
  const ids = item.ids ?? {};
  const watched = watchedDate(item.watchedAt);
  // Letterboxd ignores Rewatch and Tags without a WatchedDate (they belong to a diary entry).
  const dated = watched !== '';
  const row: Record<Column, string> = {
    LetterboxdURI: letterboxdUri(ids.letterboxd),
    tmdbID: integer(ids.tmdb, 'tmdb id'),
    imdbID: text(ids.imdb),
    Title: text(item.title),
    Year: integer(item.year, 'year'),
    Directors: '',
    Rating10: rating(item.rating),
    WatchedDate: watched,
    Rewatch: dated ? boolean(item.rewatch) : '',
    Tags: dated ? tagList(item.tags) : '',
    Review: text(item.review),
  };
  return LETTERBOXD_COLUMNS.map((column) => row[column]);
}

/**
 * The UTC calendar day: the tracker's watchedAt is UTC, and a late-evening play must not move a day.
 * The epoch is how Trakt stores "watched, date unknown"; a 1970 diary entry would be wrong, so it
 * becomes a plain "watched" row without a date.
 */
function watchedDate(watchedAt: string | undefined): string {
  const iso = timestamp(watchedAt, 'watchedAt');
  return iso === '' || iso === UNKNOWN_WATCHED_AT ? '' : iso.slice(0, 10);
}

/** Sources hold either a full URI (boxd.it or letterboxd.com, as in the exports) or a film slug. */
function letterboxdUri(id: string | undefined): string {
  if (!id) return '';
  if (/^https?:\/\//i.test(id)) return id;
  if (/^(boxd\.it|(www\.)?letterboxd\.com)\//i.test(id)) return `https://${id}`;
  return `https://letterboxd.com/film/${id}/`;
}
