// POST /sync/ratings, POST /sync/ratings/remove, GET /sync/ratings/{type}/{rating} (api-facts §2.5,
// SIMKL-DOCS add-ratings / remove-ratings / get-user-ratings). Anime resolve from shows[] or anime[]
// and are counted and echoed under shows: there is no `anime` in added or not_found.
import { simklTime, touchActivity } from '../activities';
import { json, simklError, type Call, type Reply } from '../http';
import { groupOf, statusOf, totalEpisodes } from '../library';
import { fileTitle, libraryMovies, libraryShows } from '../listings';
import type { SimklState } from '../state';
import { movieRow, showRow } from './all-items';

type Obj = Record<string, unknown>;
export type Found = { kind: 'movie' | 'show'; simklId: number; request: Obj; episodes?: number };

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);

/** The titles of a ratings or add-to-list body, and what matched nothing (anime under shows). */
export function resolveTitles(state: SimklState, body: Obj): { found: Found[]; notFound: { movies: Obj[]; shows: Obj[] } } {
  const found: Found[] = [];
  const notFound = { movies: [] as Obj[], shows: [] as Obj[] };
  for (const o of objects(body.movies)) {
    const movie = state.index.findMovie(o);
    if (movie) found.push({ kind: 'movie', simklId: movie.simkl, request: o });
    else notFound.movies.push(o);
  }
  for (const o of [...objects(body.shows), ...objects(body.anime)]) {
    const show = state.index.findShow(o);
    if (show) found.push({ kind: 'show', simklId: show.simkl, request: o, episodes: totalEpisodes(show) });
    else notFound.shows.push(o);
  }
  return { found, notFound };
}

/** Whole 1–10 only; anything else Simkl ignores without a word (neither added nor not_found). */
const ratingOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10 ? v : undefined);

function stamp(state: SimklState, t: Found, now: number): void {
  state.itemUpdatedAt.set(`${t.kind}:${t.simklId}`, now);
  touchActivity(state.activities, groupOf(state, t.kind, t.simklId), 'rated_at', now);
}

export function addRatings(state: SimklState, call: Call): Reply {
  const { found, notFound } = resolveTitles(state, call.body);
  const now = Date.now();
  const rated = found.filter((t) => ratingOf(t.request.rating) !== undefined);
  const times = rated.map((t) => (t.request.rated_at === undefined ? now : Date.parse(String(t.request.rated_at))));
  const bad = rated.findIndex((_, i) => Number.isNaN(times[i]));
  // Checked before anything is written, so a bad date leaves no partial write behind.
  if (bad >= 0) return simklError(400, 'wrong_parameter', `rated_at is not a date: ${JSON.stringify(rated[bad].request.rated_at)}`);
  const statuses = rated.map((t, i) => {
    state.ratings.set(`${t.kind}:${t.simklId}`, { rating: ratingOf(t.request.rating)!, ratedAt: simklTime(times[i]) });
    // Rating an unlisted title files it: a movie as completed, a show as watching (one episode: completed).
    if (!statusOf(state, t.kind, t.simklId)) fileTitle(state, t.kind, t.simklId, t.kind === 'movie' || t.episodes === 1 ? 'completed' : 'watching', now);
    stamp(state, t, now);
    return { request: t.request, response: { status: statusOf(state, t.kind, t.simklId) } };
  });
  state.onChange();
  const count = (kind: Found['kind']): number => rated.filter((t) => t.kind === kind).length;
  return json(201, { added: { movies: count('movie'), shows: count('show'), statuses }, not_found: notFound });
}

export function removeRatings(state: SimklState, call: Call): Reply {
  const { found, notFound } = resolveTitles(state, call.body);
  const now = Date.now();
  const removed = found.filter((t) => state.ratings.delete(`${t.kind}:${t.simklId}`));
  for (const t of removed) stamp(state, t, now);
  state.onChange();
  const count = (kind: Found['kind']): number => removed.filter((t) => t.kind === kind).length;
  return json(201, { deleted: { movies: count('movie'), shows: count('show') }, not_found: notFound });
}

/** Rated titles of one type with one of the ratings asked (CSV), changed after date_from; `null` when none. */
export function getRatings(state: SimklState, call: Call, type: string, ratings: string | undefined): Reply {
  if (!['movies', 'shows', 'anime'].includes(type)) return simklError(400, 'wrong_parameter', 'type must be shows, movies or anime');
  const wanted = (ratings ?? '1,2,3,4,5,6,7,8,9,10').split(',').map(Number);
  if (!wanted.every((r) => ratingOf(r) !== undefined)) return simklError(400, 'wrong_parameter', 'rating must be 1-10, or a comma-separated list of them');
  const raw = call.query.get('date_from');
  const dateFrom = raw === null ? undefined : Date.parse(raw);
  if (dateFrom !== undefined && Number.isNaN(dateFrom)) return simklError(400, 'wrong_parameter', 'date_from is not a date');
  const keep = (key: string): boolean => {
    const rating = state.ratings.get(key);
    return !!rating && wanted.includes(rating.rating) && (dateFrom === undefined || (state.itemUpdatedAt.get(key) ?? 0) > dateFrom);
  };
  const rows =
    type === 'movies'
      ? libraryMovies(state).filter((m) => keep(`movie:${m.movie.simkl}`)).map((m) => movieRow(state, m, call))
      : libraryShows(state)
          .filter((e) => (e.show.simklType === 'anime') === (type === 'anime') && keep(`show:${e.show.simkl}`))
          .map((e) => showRow(state, e, call));
  return json(200, rows.length ? { [type]: rows } : null);
}
