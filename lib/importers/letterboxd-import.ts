import type { MediaItem } from '../schema/types';
import { compact, Problems, type MapResult, type Row } from './row';
import { parseDateTime, parseId, parseRating10, parseStars, parseTags, parseYear, text } from './values';

/** Columns only Letterboxd's import format has (letterboxd.com/import); any one identifies it. */
export const IMPORT_COLUMNS = ['LetterboxdURI', 'tmdbID', 'imdbID', 'Rating10', 'WatchedDate'] as const;

/**
 * A row of the Letterboxd *import* format (what converters and a csv-export write): unlike the export
 * it carries tmdb/imdb ids. Rating10 wins over Rating (stars); WatchedDate makes it a play.
 * LetterboxdURI may be a film or a diary entry: only a letterboxd.com/…/film/… URL is kept as a film id.
 */
export function mapLetterboxdImportRow(row: Row): MapResult {
  const p = new Problems();
  const title = text(row.get('Title'));
  const uri = text(row.get('LetterboxdURI'));
  const ids = compact({
    imdb: text(row.get('imdbID')),
    tmdb: p.take(parseId('tmdbID', row.get('tmdbID'))),
    letterboxd: uri && /letterboxd\.com\/(?:[^/]+\/)?film\//i.test(uri) ? uri : undefined,
  });
  if (!title && Object.keys(ids).length === 0) return { reject: 'no Title, imdbID, tmdbID or film LetterboxdURI' };
  const rating10 = p.take(parseRating10('Rating10', row.get('Rating10')));
  const stars = p.take(parseStars('Rating', row.get('Rating')));
  const watchedAt = p.take(parseDateTime('WatchedDate', row.get('WatchedDate')));
  const item: MediaItem = {
    type: 'movie',
    title,
    year: p.take(parseYear('Year', row.get('Year'))),
    ids: Object.keys(ids).length > 0 ? ids : undefined,
    watchedAt,
    rating: rating10 ?? stars,
    // Letterboxd reads Rewatch and Tags only with a WatchedDate; so does this.
    rewatch: watchedAt ? /^(true|yes|1)$/i.test(row.get('Rewatch').trim()) : undefined,
    tags: watchedAt ? parseTags(row.get('Tags')) : undefined,
    review: text(row.get('Review')),
    source: { kind: 'letterboxd', ref: row.ref, list: 'import' },
  };
  return p.first ? { reject: p.first } : { item: compact(item) };
}
