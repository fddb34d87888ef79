import { ClawarrError } from '../core/errors';
import type { ScrobbleAction, ScrobbleResult } from '../provider';
import type { MediaItem } from '../schema/types';
import { isAnime } from './anime';
import { mediaFields, simklIds } from './ids';
import type { SimklScrobbleResponse } from './types';

/** Simkl takes at most two decimals (api-facts §2.8). */
export function roundProgress(progress: number): number {
  const value = Number.isFinite(progress) ? progress : 0;
  return Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;
}

/**
 * The item part of a scrobble or check-in: `movie`, or `show` / `anime` plus `episode` numbers.
 * Episodes go by their show and numbers: Simkl errs on episode TVDB ids here (jellyfin-plugin-simkl#61).
 */
export function scrobbleItem(item: MediaItem): Record<string, unknown> {
  if (item.type === 'movie') return { movie: media(item.title, item.year, item) };
  if (item.type !== 'episode') throw new ClawarrError('a show cannot be scrobbled: send one of its episodes', 'bad_request');
  const show = media(item.show?.title, item.show?.year, { ids: item.show?.ids });
  return { [isAnime(item) ? 'anime' : 'show']: show, episode: { season: item.season ?? 1, number: item.episode ?? 0 } };
}

function media(title: string | undefined, year: number | undefined, from: Pick<MediaItem, 'ids'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (title) out.title = title;
  if (year) out.year = year;
  const ids = simklIds(from.ids);
  if (ids) out.ids = ids;
  return out;
}

/** What Simkl recorded; without an `action` in the answer, what the endpoint does at this progress. */
export function scrobbleResult(action: ScrobbleAction, data: SimklScrobbleResponse, progress: number): ScrobbleResult {
  const said = data.action === 'start' || data.action === 'pause' || data.action === 'scrobble' ? data.action : undefined;
  const acted = said ?? (action === 'stop' ? (progress >= 80 ? 'scrobble' : 'pause') : action);
  const result: ScrobbleResult = { action: acted, progress: typeof data.progress === 'number' ? data.progress : progress };
  if (acted === 'scrobble') result.watchedAt = currentMinute();
  const item = echoedItem(data);
  if (item) result.item = item;
  return result;
}

/** Now, to the minute: Simkl's stop answer carries no time, and plays are kept to the minute. */
export function currentMinute(): string {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
}

function echoedItem(data: SimklScrobbleResponse): MediaItem | undefined {
  if (data.movie) return { type: 'movie', ...mediaFields(data.movie) };
  const show = data.show ?? data.anime;
  if (!show || !data.episode) return undefined;
  const item: MediaItem = { type: 'episode', season: data.episode.season ?? 1, episode: data.episode.number, show: mediaFields(show) };
  if (data.episode.title) item.title = data.episode.title;
  return item;
}
