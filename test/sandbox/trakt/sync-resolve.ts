// Turns a /sync/history(/remove) body into concrete catalog items, echoing unmatched objects
// verbatim under not_found as Trakt does.
import type { CatalogIndex, EpisodeRef } from './catalog-index';
import type { Movie } from './types';

type Obj = Record<string, unknown>;

export type Leaf =
  | { type: 'movie'; movie: Movie; when: unknown }
  | { type: 'episode'; ref: EpisodeRef; when: unknown };

export interface NotFound {
  movies: unknown[];
  shows: unknown[];
  seasons: unknown[];
  episodes: unknown[];
}

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);

/** Nested watched_at values override the parent's; absent means "inherit". */
const whenOf = (o: Obj, inherited: unknown): unknown => ('watched_at' in o ? o.watched_at : inherited);

export function resolveSync(body: Obj, index: CatalogIndex): { leaves: Leaf[]; notFound: NotFound } {
  const leaves: Leaf[] = [];
  const notFound: NotFound = { movies: [], shows: [], seasons: [], episodes: [] };

  for (const o of objects(body.movies)) {
    const movie = index.findMovie(o);
    if (movie) leaves.push({ type: 'movie', movie, when: whenOf(o, undefined) });
    else notFound.movies.push(o);
  }

  for (const o of objects(body.shows)) {
    const show = index.findShow(o);
    if (!show) {
      notFound.shows.push(o);
      continue;
    }
    const showWhen = whenOf(o, undefined);
    // A show without seasons means every episode; a season without episodes means the whole season.
    const seasonObjs: Obj[] = Array.isArray(o.seasons) ? objects(o.seasons) : show.seasons.map((s) => ({ number: s.number }));
    for (const so of seasonObjs) {
      const season = show.seasons.find((s) => s.number === Number(so.number));
      if (!season) {
        notFound.seasons.push(so);
        continue;
      }
      const seasonWhen = whenOf(so, showWhen);
      const episodeObjs: Obj[] = Array.isArray(so.episodes) ? objects(so.episodes) : season.episodes.map((e) => ({ number: e.number }));
      for (const eo of episodeObjs) {
        const episode = season.episodes.find((e) => e.number === Number(eo.number));
        if (episode) leaves.push({ type: 'episode', ref: { show, season, episode }, when: whenOf(eo, seasonWhen) });
        else notFound.episodes.push(eo);
      }
    }
  }

  // The fake catalog has no season ids, so top-level seasons[] never match.
  for (const o of objects(body.seasons)) notFound.seasons.push(o);

  for (const o of objects(body.episodes)) {
    const ref = index.findEpisode(o);
    if (ref) leaves.push({ type: 'episode', ref, when: whenOf(o, undefined) });
    else notFound.episodes.push(o);
  }

  return { leaves, notFound };
}
