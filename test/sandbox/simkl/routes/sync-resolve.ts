// Turns a /sync/history(/remove) body into catalog items: movies[], shows[] and anime[] (either
// array finds any show; Simkl ids are global), top-level episodes[] by episode ids. Unmatched
// objects are echoed under not_found, anime ones under shows (Simkl has no not_found.anime).
import { episodeOf, type SimklEpisodeRef, type SimklIndex } from '../catalog-index';
import type { SimklMovie, SimklShow } from '../types';

type Obj = Record<string, unknown>;

export type SimklLeaf = { type: 'movie'; movie: SimklMovie; when: unknown } | { type: 'episode'; ref: SimklEpisodeRef; when: unknown };

/** A matched movie or show object of the request (for counts and `statuses`). */
export type Title =
  | { kind: 'movie'; movie: SimklMovie; request: Obj }
  | { kind: 'show'; show: SimklShow; request: Obj; sentAs: 'show' | 'anime'; whole: boolean };

export interface SimklNotFound {
  movies: unknown[];
  shows: unknown[];
  episodes: unknown[];
}

// Statuses that file a title in a list without marking anything watched.
const LIST_ONLY = new Set(['plantowatch', 'hold', 'dropped']);

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);
/** Nested watched_at values override the parent's; absent means "inherit". */
const whenOf = (o: Obj, inherited: unknown): unknown => ('watched_at' in o ? o.watched_at : inherited);

function showLeaves(show: SimklShow, o: Obj, leaves: SimklLeaf[], notFound: SimklNotFound): void {
  const showWhen = whenOf(o, undefined);
  const push = (ref: SimklEpisodeRef | undefined, eo: Obj, when: unknown): void => {
    if (ref) leaves.push({ type: 'episode', ref, when: whenOf(eo, when) });
    else notFound.episodes.push(eo);
  };
  if (Array.isArray(o.seasons)) {
    for (const so of objects(o.seasons)) {
      const season = show.seasons.find((s) => s.number === Number(so.number));
      const seasonWhen = whenOf(so, showWhen);
      // A season without episodes means the whole season.
      const eps = Array.isArray(so.episodes) ? objects(so.episodes) : season?.episodes.map((e): Obj => ({ number: e.number }));
      if (!eps) notFound.episodes.push(so);
      for (const eo of eps ?? []) push(episodeOf(show, so.number, eo.number), eo, seasonWhen);
    }
  } else if (Array.isArray(o.episodes)) {
    // Episodes directly under the show are season 1 (anime numbering).
    for (const eo of objects(o.episodes)) push(episodeOf(show, 1, eo.number), eo, showWhen);
  } else if (!LIST_ONLY.has(String(o.status))) {
    // No seasons or episodes: the whole show is watched (it is marked completed).
    for (const season of show.seasons) for (const episode of season.episodes) leaves.push({ type: 'episode', ref: { show, season, episode }, when: showWhen });
  }
}

export function resolveSimklSync(body: Obj, index: SimklIndex): { leaves: SimklLeaf[]; titles: Title[]; notFound: SimklNotFound } {
  const leaves: SimklLeaf[] = [];
  const titles: Title[] = [];
  const notFound: SimklNotFound = { movies: [], shows: [], episodes: [] };

  for (const o of objects(body.movies)) {
    const movie = index.findMovie(o);
    if (!movie) {
      notFound.movies.push(o);
      continue;
    }
    titles.push({ kind: 'movie', movie, request: o });
    if (!LIST_ONLY.has(String(o.status))) leaves.push({ type: 'movie', movie, when: whenOf(o, undefined) });
  }

  for (const [sentAs, list] of [['show', body.shows], ['anime', body.anime]] as const) {
    for (const o of objects(list)) {
      const show = index.findShow(o);
      if (!show) {
        notFound.shows.push(o);
        continue;
      }
      titles.push({ kind: 'show', show, request: o, sentAs, whole: !Array.isArray(o.seasons) && !Array.isArray(o.episodes) });
      showLeaves(show, o, leaves, notFound);
    }
  }

  for (const o of objects(body.episodes)) {
    const ref = index.findEpisode(o);
    if (ref) leaves.push({ type: 'episode', ref, when: whenOf(o, undefined) });
    else notFound.episodes.push(o);
  }
  return { leaves, titles, notFound };
}
