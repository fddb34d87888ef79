import type { MediaItem } from '../schema/types';
import { compact, Problems, type MapResult, type Row } from './row';
import { parseDay, parseRating10, parseYear, text } from './values';

/**
 * IMDb Title Type, normalized like TraktRater (spaces removed, lower case) so both the 2017–2024
 * camelCase ("tvSeries") and the 2024+ words ("TV Series") read the same.
 */
const TYPES: Record<string, 'movie' | 'show'> = {
  movie: 'movie',
  tvmovie: 'movie',
  short: 'movie',
  tvshort: 'movie',
  video: 'movie',
  tvspecial: 'movie',
  tvseries: 'show',
  tvminiseries: 'show',
};

/** Types that are no media item, with why. */
const REFUSED: Record<string, string> = {
  // IMDb gives an episode's own id only: no show, season or episode number, which a media item needs.
  tvepisode: 'an episode rating: IMDb gives no show, season or episode number for it (rate it on the tracker)',
  videogame: 'a video game, not a movie or a show',
  podcastseries: 'a podcast, not a movie or a show',
  podcastepisode: 'a podcast episode, not a movie or a show',
  musicvideo: 'a music video, not a movie or a show',
};

/**
 * A row of an IMDb ratings export, v2 (2017–2024) or v3 (2024+, list-style): ids.imdb = Const,
 * rating = Your Rating (same 1–10 scale as the trackers), ratedAt = Date Rated at midnight UTC.
 * A v3 list export without a rating (a watchlist) gives items with listedAt = Created instead.
 */
export function mapImdbRow(row: Row): MapResult {
  const imdb = text(row.get('Const'));
  if (!imdb) return { reject: 'no Const (the IMDb id)' };
  const titleType = row.get('Title Type').replace(/\s+/g, '').toLowerCase();
  if (REFUSED[titleType]) return { reject: `${imdb} is ${REFUSED[titleType]}` };
  const type = TYPES[titleType];
  if (!type) return { reject: titleType ? `Title Type "${row.get('Title Type').trim()}" is not a movie or a show` : 'no Title Type' };
  const p = new Problems();
  const rating = p.take(parseRating10('Your Rating', row.get('Your Rating')));
  const item: MediaItem = {
    type,
    title: text(row.get('Title')),
    year: p.take(parseYear('Year', row.get('Year'))),
    ids: { imdb },
    rating,
    ratedAt: rating === undefined ? undefined : p.take(parseDay('Date Rated', row.get('Date Rated'))),
    listedAt: rating === undefined ? p.take(parseDay('Created', row.get('Created'))) : undefined,
    source: { kind: 'imdb', ref: row.ref, list: rating === undefined ? 'list' : 'ratings' },
  };
  return p.first ? { reject: p.first } : { item: compact(item) };
}
