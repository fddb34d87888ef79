import type { MediaItem } from '../schema/types';
import { mediaFields } from './ids';
import type { SimklActivities, SimklActivityGroup, SimklAllItems, SimklListRow, SimklWatchedSeason } from './types';

export type SimklList = 'movies' | 'shows' | 'anime';

/**
 * How far before the window `date_from` and the activity check reach. Both compare Simkl's update
 * times with play times, which only ever come after them; the margin absorbs clock skew and Simkl's
 * history of New York times sent as UTC (SIMKL-APIB "Dates").
 */
export const READ_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * The lists worth reading: those whose activity moved since `fromMs` (less the margin). A category
 * Simkl left out entirely is read (unknown is not "unchanged"); one that is null never changed.
 */
export function listsToRead(activities: SimklActivities | null | undefined, fromMs: number, types: Array<'movie' | 'episode'>): SimklList[] {
  const since = fromMs - READ_MARGIN_MS;
  const changed = (group: SimklActivityGroup | null | undefined) => group === undefined || latest(group) >= since;
  const out: SimklList[] = [];
  if (types.includes('movie') && changed(activities?.movies)) out.push('movies');
  if (types.includes('episode') && changed(activities?.tv_shows)) out.push('shows');
  if (types.includes('episode') && changed(activities?.anime)) out.push('anime');
  return out;
}

function latest(group: SimklActivityGroup | null): number {
  if (!group) return -Infinity;
  return Math.max(-Infinity, ...Object.values(group).map((value) => (typeof value === 'string' ? Date.parse(value) : NaN)).filter((ms) => !Number.isNaN(ms)));
}

/**
 * The plays of one all-items answer inside [fromMs, toMs]: a movie's last watch, each episode's own
 * watch time. Simkl keeps no list of every play, so an earlier watch of a rewatched movie is not seen.
 */
export function playsFromList(list: SimklList, data: SimklAllItems | null | undefined, fromMs: number, toMs: number): MediaItem[] {
  const inWindow = (at: string | null | undefined): at is string => {
    const ms = typeof at === 'string' ? Date.parse(at) : NaN;
    return !Number.isNaN(ms) && ms >= fromMs && ms <= toMs;
  };
  const rows: SimklListRow[] = Array.isArray(data?.[list]) ? data![list]! : [];
  const out: MediaItem[] = [];
  for (const row of rows) {
    if (list === 'movies') {
      if (row.movie && inWindow(row.last_watched_at)) out.push({ type: 'movie', ...mediaFields(row.movie), watchedAt: row.last_watched_at });
      continue;
    }
    if (!row.show) continue;
    const show = mediaFields(row.show);
    const episodes = episodesOf(row);
    for (const { season, episode, watchedAt } of episodes) {
      if (inWindow(watchedAt)) out.push({ type: 'episode', season, episode, show, watchedAt });
    }
  }
  return out;
}

interface WatchedEpisode {
  season: number;
  episode: number;
  watchedAt: string | null | undefined;
}

/** Per-episode watch times (episode_watched_at=yes); without them, the last episode and its time. */
function episodesOf(row: SimklListRow): WatchedEpisode[] {
  const seasons: SimklWatchedSeason[] = row.seasons ?? row.show?.seasons ?? [];
  const out: WatchedEpisode[] = [];
  for (const season of seasons) {
    for (const episode of season.episodes ?? []) {
      if (typeof episode.number === 'number') out.push({ season: season.number ?? 1, episode: episode.number, watchedAt: episode.watched_at });
    }
  }
  // Anime may come as one flat list: AniDB numbering has a single season.
  for (const episode of row.episodes ?? []) {
    if (typeof episode.number === 'number') out.push({ season: 1, episode: episode.number, watchedAt: episode.watched_at });
  }
  if (out.length) return out;
  const last = /^(?:S(\d+))?E(\d+)$/i.exec(row.last_watched ?? '');
  return last ? [{ season: last[1] ? Number(last[1]) : 1, episode: Number(last[2]), watchedAt: row.last_watched_at }] : [];
}
