// Shared by the ratings, watchlist and collection routes: resolving posted bodies to catalog items,
// rendering entries in Trakt's wire shape, optional pagination, and the list stamps of last_activities.
import type { CatalogIndex, EpisodeRef } from '../catalog-index';
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import type { ListedType, Movie, Show } from '../types';
import { searchResult, type Hit } from './search-shape';

type Obj = Record<string, unknown>;
export type ListMode = 'ratings' | 'watchlist' | 'collection';

/** A resolved item and the fields (rating, rated_at, collected_at) it carries or inherits. */
export type ListLeaf = ({ type: 'movie'; movie: Movie } | { type: 'show'; show: Show } | { type: 'episode'; ref: EpisodeRef }) & { fields: Obj };

export interface NotFound {
  movies: unknown[];
  shows: unknown[];
  seasons: unknown[];
  episodes: unknown[];
}

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);
const STRUCTURE = new Set(['ids', 'title', 'year', 'seasons', 'episodes', 'number']);
/** The object's own list fields; nested objects override their parent's, like watched_at in history. */
const fieldsOf = (o: Obj, inherited: Obj = {}): Obj => ({ ...inherited, ...Object.fromEntries(Object.entries(o).filter(([k]) => !STRUCTURE.has(k))) });

/**
 * Resolves a list body. A show without seasons is the show itself on ratings and the watchlist, and
 * every episode on the collection (which holds episodes only). A season without episodes is a
 * season rating on ratings, which the fake cannot store (its catalog has no season ids): not found.
 */
export function resolveListBody(body: Obj, index: CatalogIndex, mode: ListMode): { leaves: ListLeaf[]; notFound: NotFound } {
  const leaves: ListLeaf[] = [];
  const notFound: NotFound = { movies: [], shows: [], seasons: [], episodes: [] };
  for (const o of objects(body.movies)) {
    const movie = index.findMovie(o);
    if (movie) leaves.push({ type: 'movie', movie, fields: fieldsOf(o) });
    else notFound.movies.push(o);
  }
  for (const o of objects(body.shows)) {
    const show = index.findShow(o);
    if (!show) {
      notFound.shows.push(o);
      continue;
    }
    const showFields = fieldsOf(o);
    const hasSeasons = Array.isArray(o.seasons);
    if (mode !== 'collection' && (!hasSeasons || (mode === 'ratings' && 'rating' in o))) leaves.push({ type: 'show', show, fields: showFields });
    if (mode !== 'collection' && !hasSeasons) continue;
    const seasonObjs: Obj[] = hasSeasons ? objects(o.seasons) : show.seasons.map((s) => ({ number: s.number }));
    for (const so of seasonObjs) {
      const season = show.seasons.find((s) => s.number === Number(so.number));
      if (!season || (mode === 'ratings' && !Array.isArray(so.episodes))) {
        notFound.seasons.push(so);
        continue;
      }
      const seasonFields = fieldsOf(so, showFields);
      const episodeObjs: Obj[] = Array.isArray(so.episodes) ? objects(so.episodes) : season.episodes.map((e) => ({ number: e.number }));
      for (const eo of episodeObjs) {
        const episode = season.episodes.find((e) => e.number === Number(eo.number));
        if (episode) leaves.push({ type: 'episode', ref: { show, season, episode }, fields: fieldsOf(eo, seasonFields) });
        else notFound.episodes.push(eo);
      }
    }
  }
  for (const o of objects(body.seasons)) notFound.seasons.push(o);
  for (const o of objects(body.episodes)) {
    const ref = index.findEpisode(o);
    if (ref) leaves.push({ type: 'episode', ref, fields: fieldsOf(o) });
    else notFound.episodes.push(o);
  }
  return { leaves, notFound };
}

export const traktIdOf = (leaf: ListLeaf): number => (leaf.type === 'movie' ? leaf.movie.trakt : leaf.type === 'show' ? leaf.show.trakt : leaf.ref.episode.ids.trakt);

/** The last_activities group and the response counter a type belongs to. */
export const groupOf = (type: ListedType): 'movies' | 'shows' | 'episodes' => (type === 'movie' ? 'movies' : type === 'show' ? 'shows' : 'episodes');

/** The last_activities groups whose counter moved. */
export function touched(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([group, n]) => (n > 0 ? [group] : []));
}

export const zeroCounts = (): Record<'movies' | 'shows' | 'seasons' | 'episodes', number> => ({ movies: 0, shows: 0, seasons: 0, episodes: 0 });

/** The media of a stored entry as Trakt nests it in list rows: `movie`, `show`, or `episode` + `show`. */
export function mediaOf(state: TraktState, type: ListedType, traktId: number): Obj | undefined {
  const hit = hitOf(state, type, traktId);
  if (!hit) return undefined;
  const { type: _type, score: _score, ...rest } = searchResult(hit, null) as Obj;
  return rest;
}

function hitOf(state: TraktState, type: ListedType, traktId: number): Hit | undefined {
  if (type === 'movie') {
    const movie = state.index.movie(traktId);
    return movie && { type: 'movie', movie };
  }
  if (type === 'episode') {
    const ref = state.index.episode(traktId);
    return ref && { type: 'episode', ref };
  }
  const show = state.catalog.shows.find((s) => s.trakt === traktId);
  return show && { type: 'show', show };
}

/** An ISO stamp from a posted date ("released" is the item's release), or undefined when not a date. */
export function postedDate(value: unknown, released: () => number): string | undefined {
  if (value === 'released') return new Date(released()).toISOString();
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function positiveInt(v: string | null): number | undefined {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * A 200 list answer. `optional`: Trakt's "pagination optional" lists answer everything, without
 * pagination headers, unless page or limit is asked. Limits above 250 are clamped like on Trakt.
 */
export function paged(call: Call, rows: unknown[], o: { optional: boolean; defaultLimit: number }): Reply {
  const askedPage = positiveInt(call.query.get('page'));
  const askedLimit = positiveInt(call.query.get('limit'));
  if (o.optional && askedPage === undefined && askedLimit === undefined) return json(200, rows);
  const limit = Math.min(250, askedLimit ?? o.defaultLimit);
  const page = askedPage ?? 1;
  return json(200, rows.slice((page - 1) * limit, page * limit), {
    'X-Pagination-Page': String(page),
    'X-Pagination-Limit': String(limit),
    'X-Pagination-Page-Count': String(Math.max(1, Math.ceil(rows.length / limit))),
    'X-Pagination-Item-Count': String(rows.length),
  });
}

/** GET /sync/last_activities with the stamps list writes moved (account.ts renders the fixed rest). */
export function withListActivities(state: TraktState, reply: Reply): Reply {
  if (reply.status !== 200 || !reply.json || typeof reply.json !== 'object') return reply;
  const body = structuredClone(reply.json) as Record<string, Obj>;
  for (const [key, stamp] of state.listActivities) {
    const [group, field] = key.split('.');
    body[group] = { ...body[group], [field]: stamp };
  }
  if (state.listActivities.has('movies.watchlisted_at') || state.listActivities.has('shows.watchlisted_at') || state.listActivities.has('episodes.watchlisted_at')) {
    body.watchlist = { ...body.watchlist, updated_at: latest(state, 'watchlisted_at') };
  }
  return { ...reply, json: body };
}

function latest(state: TraktState, field: string): string {
  return [...state.listActivities].filter(([k]) => k.endsWith(`.${field}`)).map(([, v]) => v).sort().pop() ?? '';
}

/** Release dates of the fake catalog, the same model as watched_at "released" (watched-at.ts). */
export function movieRelease(movie: Movie): number {
  return Date.UTC(movie.year, 0, 1);
}

export function episodeRelease(ref: EpisodeRef): number {
  return Date.UTC(ref.show.year + ref.season.number - 1, 0, 1) + (ref.episode.number - 1) * 7 * 86_400_000;
}
