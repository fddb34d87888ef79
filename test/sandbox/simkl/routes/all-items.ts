// GET /sync/all-items[/{type}[/{status}]] (api-facts §2.6): the library, filtered by what changed
// after date_from. An empty answer is the body `null`, not {} or [].
import { simklTime } from '../activities';
import { json, simklError, type Call, type Reply } from '../http';
import { episodeKey, totalEpisodes } from '../library';
import { libraryMovies, libraryShows, type LibraryMovie, type LibraryShow } from '../listings';
import type { SimklState } from '../state';
import type { SimklMovie, SimklShow } from '../types';

const TYPES = ['shows', 'movies', 'anime'];
const STATUSES = ['watching', 'plantowatch', 'hold', 'completed', 'dropped'];
const iso = (at: string): string => simklTime(Date.parse(at));
const isoOrNull = (at: string | undefined): string | null => (at === undefined ? null : iso(at));
// Responses echo external ids stringified, as Simkl does ("tmdb":"1771").
const str = (v: number | undefined): string | undefined => (v === undefined ? undefined : String(v));

function ids(item: SimklMovie | SimklShow, simklOnly: boolean): Record<string, unknown> {
  if (simklOnly) return { simkl: item.simkl };
  const base = { simkl: item.simkl, slug: item.slug, imdb: item.imdb, tmdb: str(item.tmdb) };
  if (!('simklType' in item)) return base;
  return { ...base, tvdb: str(item.tvdb), ...(item.simklType === 'anime' ? { mal: str(item.mal), anidb: str(item.anidb) } : {}) };
}

/** Seasons with the watched episodes; watched_at only when episode_watched_at=yes. */
function seasons(e: LibraryShow, withDates: boolean): unknown[] {
  return e.show.seasons
    .map((s) => ({
      number: s.number,
      episodes: s.episodes
        .filter((ep) => e.watched.has(episodeKey(s.number, ep.number)))
        .map((ep) => ({ number: ep.number, ...(withDates ? { watched_at: iso(e.watched.get(episodeKey(s.number, ep.number)) ?? '') } : {}) })),
    }))
    .filter((s) => s.episodes.length > 0);
}

/** What every row carries about the user: when it was filed, its rating (null when none). */
function userFields(state: SimklState, key: string): Record<string, unknown> {
  const rating = state.ratings.get(key);
  return { added_to_watchlist_at: state.listings.get(key)?.since ?? null, user_rated_at: rating?.ratedAt ?? null, user_rating: rating?.rating ?? null };
}

export function movieRow(state: SimklState, m: LibraryMovie, call: Call): unknown {
  return {
    ...userFields(state, `movie:${m.movie.simkl}`),
    last_watched_at: isoOrNull(m.lastWatchedAt),
    status: m.status,
    movie: { title: m.movie.title, year: m.movie.year, ids: ids(m.movie, call.query.get('extended') === 'simkl_ids_only') },
  };
}

export function showRow(state: SimklState, e: LibraryShow, call: Call): unknown {
  const flat = e.show.seasons.flatMap((s) => s.episodes.map((ep) => ({ s: s.number, n: ep.number })));
  const lastIdx = flat.reduce((best, x, i) => (e.watched.has(episodeKey(x.s, x.n)) ? i : best), -1);
  const code = (x: { s: number; n: number } | undefined): string | null =>
    x ? `S${String(x.s).padStart(2, '0')}E${String(x.n).padStart(2, '0')}` : null;
  const extended = call.query.get('extended') ?? '';
  const withDates = call.query.get('episode_watched_at') === 'yes';
  return {
    ...userFields(state, `show:${e.show.simkl}`),
    last_watched_at: isoOrNull(e.lastWatchedAt),
    status: e.status,
    last_watched: code(flat[lastIdx]),
    next_to_watch: code(flat[lastIdx + 1]),
    watched_episodes_count: e.watched.size,
    total_episodes_count: totalEpisodes(e.show),
    not_aired_episodes_count: 0,
    show: { title: e.show.title, year: e.show.year, ids: ids(e.show, extended === 'simkl_ids_only') },
    ...(e.show.simklType === 'anime' ? { anime_type: 'tv' } : {}),
    ...(extended.startsWith('full') || withDates ? { seasons: seasons(e, withDates) } : {}),
  };
}

export function allItems(state: SimklState, call: Call, type?: string, status?: string): Reply {
  if (type !== undefined && !TYPES.includes(type)) return simklError(400, 'wrong_parameter', 'type must be shows, movies or anime');
  if (status !== undefined && !STATUSES.includes(status)) return simklError(400, 'wrong_parameter', `status must be one of ${STATUSES.join(', ')}`);
  const dateFromRaw = call.query.get('date_from');
  const dateFrom = dateFromRaw === null ? undefined : Date.parse(dateFromRaw);
  if (dateFrom !== undefined && Number.isNaN(dateFrom)) return simklError(400, 'wrong_parameter', 'date_from is not a date');
  if (dateFrom === undefined) state.unGatedAllItems++;

  // date_from selects titles that changed on the server after it, whatever their watched_at.
  const changed = (kind: string, id: number): boolean => dateFrom === undefined || (state.itemUpdatedAt.get(`${kind}:${id}`) ?? 0) > dateFrom;
  const wants = (t: string, s: string): boolean => (type === undefined || type === t) && (status === undefined || status === s);

  const movies = libraryMovies(state)
    .filter((m) => wants('movies', m.status) && changed('movie', m.movie.simkl))
    .map((m) => movieRow(state, m, call));
  const shows = libraryShows(state).filter((e) => changed('show', e.show.simkl));
  const tv = shows.filter((e) => e.show.simklType === 'tv' && wants('shows', e.status)).map((e) => showRow(state, e, call));
  const anime = shows.filter((e) => e.show.simklType === 'anime' && wants('anime', e.status)).map((e) => showRow(state, e, call));

  const body = { ...(tv.length ? { shows: tv } : {}), ...(anime.length ? { anime } : {}), ...(movies.length ? { movies } : {}) };
  return json(200, Object.keys(body).length ? body : null);
}
