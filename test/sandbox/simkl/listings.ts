// The library as all-items and /sync/ratings show it: titles with plays plus titles only filed (add-to-list,
// ratings), each with its status, and the bookkeeping for filing a title without plays.
import { simklTime, touchActivity } from './activities';
import { groupOf, movieEntries, showEntries, statusOf } from './library';
import type { SimklState } from './state';
import type { SimklListStatus, SimklMovie, SimklShow } from './types';

export interface LibraryMovie {
  movie: SimklMovie;
  lastWatchedAt?: string;
  status: SimklListStatus;
}

export interface LibraryShow {
  show: SimklShow;
  watched: Map<string, string>;
  lastWatchedAt?: string;
  status: SimklListStatus;
}

/** Simkl ids of titles filed without plays, for one kind. */
function filedIds(state: SimklState, kind: 'movie' | 'show'): number[] {
  return [...state.listings.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => Number(k.slice(kind.length + 1)));
}

export function libraryMovies(state: SimklState): LibraryMovie[] {
  const out: LibraryMovie[] = movieEntries(state).map((e) => ({ ...e, status: statusOf(state, 'movie', e.movie.simkl) ?? 'completed' }));
  const seen = new Set(out.map((e) => e.movie.simkl));
  for (const id of filedIds(state, 'movie')) {
    const movie = state.index.movie(id);
    if (movie && !seen.has(id)) out.push({ movie, status: statusOf(state, 'movie', id) ?? 'completed' });
  }
  return out;
}

export function libraryShows(state: SimklState): LibraryShow[] {
  const out: LibraryShow[] = showEntries(state).map((e) => ({ ...e, status: statusOf(state, 'show', e.show.simkl) ?? e.status }));
  const seen = new Set(out.map((e) => e.show.simkl));
  for (const id of filedIds(state, 'show')) {
    const show = state.index.show(id);
    if (show && !seen.has(id)) out.push({ show, watched: new Map(), status: statusOf(state, 'show', id) ?? 'watching' });
  }
  return out;
}

/**
 * Files a title under a status without plays. The lists it leaves and enters both move in the
 * activities ("items moved into/out of these lists"); a title staying put keeps its `since`.
 */
export function fileTitle(state: SimklState, kind: 'movie' | 'show', simklId: number, status: SimklListStatus, now = Date.now()): void {
  const key = `${kind}:${simklId}`;
  const before = statusOf(state, kind, simklId);
  const previous = state.listings.get(key);
  state.listings.set(key, { status, since: previous?.status === status ? previous.since : simklTime(now) });
  const group = groupOf(state, kind, simklId);
  if (before && before !== status) touchActivity(state.activities, group, before, now);
  touchActivity(state.activities, group, status, now);
  state.itemUpdatedAt.set(key, now);
  state.onChange();
}
