import type { MediaItem } from '../schema/types';
import { Problems, type MapResult, type Row } from './row';
import { parseDay, parseStars, parseTags, parseYear, text } from './values';

/** The root export files that hold films (lists/*.csv has its own reader, letterboxd-list.ts). */
export type LetterboxdFile = 'diary' | 'reviews' | 'watched' | 'ratings' | 'watchlist' | 'likes';

/**
 * In diary.csv and reviews.csv the "Letterboxd URI" points at the diary entry or review, not the film,
 * so it would match nothing as a film id: only the other files put it in ids.letterboxd.
 */
const FILM_URI: ReadonlySet<LetterboxdFile> = new Set(['watched', 'ratings', 'watchlist', 'likes']);

/**
 * One row of a Letterboxd export file → a movie. Diary and review rows are plays (watchedAt at midnight
 * UTC: Letterboxd keeps the day only). Two rewatches logged on the same day become two items with the
 * same watchedAt: both are emitted, and the sync ledger (play = item + minute) writes only the first.
 */
export function mapLetterboxdRow(file: LetterboxdFile, row: Row): MapResult {
  const title = text(row.get('Name'));
  if (!title) return { reject: 'no Name (the film title)' };
  const p = new Problems();
  const uri = text(row.get('Letterboxd URI'));
  // Members are set only when defined (no undefined members to drop), in the order items always had.
  const item: MediaItem = { type: 'movie', title };
  const year = p.take(parseYear('Year', row.get('Year')));
  if (year !== undefined) item.year = year;
  if (uri && FILM_URI.has(file)) item.ids = { letterboxd: uri };
  if (file === 'diary' || file === 'reviews') {
    const watchedAt = p.take(parseDay('Watched Date', row.get('Watched Date')));
    if (watchedAt !== undefined) item.watchedAt = watchedAt;
    const rating = p.take(parseStars('Rating', row.get('Rating')));
    if (rating !== undefined) item.rating = rating;
    item.rewatch = /^yes$/i.test(row.get('Rewatch').trim());
    const tags = parseTags(row.get('Tags'));
    if (tags !== undefined) item.tags = tags;
    const review = file === 'reviews' ? text(row.get('Review')) : undefined;
    if (review !== undefined) item.review = review;
  } else if (file === 'ratings') {
    const rating = p.take(parseStars('Rating', row.get('Rating')));
    if (rating !== undefined) item.rating = rating;
    const ratedAt = p.take(parseDay('Date', row.get('Date')));
    if (ratedAt !== undefined) item.ratedAt = ratedAt;
    if (rating === undefined && !p.first) return { reject: 'no Rating' };
  } else if (file === 'watchlist' || file === 'likes') {
    const listedAt = p.take(parseDay('Date', row.get('Date')));
    if (listedAt !== undefined) item.listedAt = listedAt;
  }
  // watched.csv: "Date" is when the film was marked watched, not a viewing date, so no watchedAt.
  if (p.first) return { reject: p.first };
  item.source = { kind: 'letterboxd', ref: row.ref, list: file };
  return { item };
}
