// The user's library as Simkl shows it, derived from the recorded plays: one watched state per
// movie and per episode (the latest play wins), a list status per title.
import type { ActivityGroup } from './activities';
import { touchActivity } from './activities';
import type { SimklState } from './state';
import type { SimklListStatus, SimklMovie, SimklPlay, SimklShow } from './types';

export type ListStatus = 'completed' | 'watching';

export interface MovieEntry {
  movie: SimklMovie;
  lastWatchedAt: string;
}

export interface ShowEntry {
  show: SimklShow;
  /** `${season}x${number}` → latest watched_at. */
  watched: Map<string, string>;
  lastWatchedAt: string;
  status: ListStatus;
}

const later = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);
export const episodeKey = (season: number, number: number): string => `${season}x${number}`;
export const totalEpisodes = (show: SimklShow): number => show.seasons.reduce((n, s) => n + s.episodes.length, 0);

export function movieEntries(state: SimklState, plays: SimklPlay[] = state.plays): MovieEntry[] {
  const last = new Map<number, string>();
  for (const p of plays) if (p.type === 'movie') last.set(p.simklId, later(last.get(p.simklId), p.watchedAt));
  return [...last].flatMap(([id, at]) => {
    const movie = state.index.movie(id);
    return movie ? [{ movie, lastWatchedAt: at }] : [];
  });
}

export function showEntries(state: SimklState, plays: SimklPlay[] = state.plays): ShowEntry[] {
  const byShow = new Map<number, Map<string, string>>();
  for (const p of plays) {
    if (p.type !== 'episode' || p.season === undefined || p.episode === undefined) continue;
    const watched = byShow.get(p.simklId) ?? new Map<string, string>();
    byShow.set(p.simklId, watched);
    const k = episodeKey(p.season, p.episode);
    watched.set(k, later(watched.get(k), p.watchedAt));
  }
  return [...byShow].flatMap(([id, watched]) => {
    const show = state.index.show(id);
    if (!show) return [];
    const lastWatchedAt = [...watched.values()].reduce((a, b) => (b > a ? b : a));
    const status: ListStatus = watched.size >= totalEpisodes(show) ? 'completed' : 'watching';
    return [{ show, watched, lastWatchedAt, status }];
  });
}

/** The list a title is in now: a status set without plays, else what its plays make it; undefined once out of the library. */
export function statusOf(state: SimklState, kind: 'movie' | 'show', simklId: number): SimklListStatus | undefined {
  const listed = state.listings.get(`${kind}:${simklId}`);
  if (listed) return listed.status;
  const mine = state.plays.filter((p) => p.simklId === simklId && (kind === 'movie') === (p.type === 'movie'));
  if (mine.length === 0) return undefined;
  return kind === 'movie' ? 'completed' : showEntries(state, mine)[0]?.status;
}

export function groupOf(state: SimklState, kind: 'movie' | 'show', simklId: number): ActivityGroup {
  if (kind === 'movie') return 'movies';
  return state.index.show(simklId)?.simklType === 'anime' ? 'anime' : 'tv_shows';
}

/** After plays of a title changed: stamps it for date_from and moves the matching activities. */
export function recordChange(state: SimklState, kind: 'movie' | 'show', simklId: number): void {
  const now = Date.now();
  const key = `${kind}:${simklId}`;
  state.itemUpdatedAt.set(key, now);
  // Watching moves a title out of a status set by hand (plan to watch → watching or completed).
  const left = state.listings.get(key);
  state.listings.delete(key);
  if (left) touchActivity(state.activities, groupOf(state, kind, simklId), left.status, now);
  const status = statusOf(state, kind, simklId);
  // A title that leaves the library loses its rating too (SIMKL-DOCS remove-from-history).
  if (!status) state.ratings.delete(key);
  touchActivity(state.activities, groupOf(state, kind, simklId), status ?? 'removed_from_list', now);
  state.onChange();
}
