import type { ScrobbleAction, ScrobbleProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import { identityKeys } from '../sync/play-keys';

const ACTIONS: readonly string[] = ['start', 'pause', 'stop'];

export interface CheckRules {
  minProgress: number;
  mode: 'scrobble' | 'checkin';
}

/**
 * Why an event cannot be sent at all, or undefined when it can. Refusals are outcomes the node
 * routes to its second output, so each says what to fix.
 */
export function refusalOf(item: MediaItem | undefined, rules: CheckRules, provider: ScrobbleProvider): string | undefined {
  if (!item || typeof item !== 'object') return 'no media item: a playback event is a media item with "action" and "progress"';
  const action = item.action as string | undefined;
  if (action === undefined) return 'no action: a playback event needs "action" (start, pause or stop)';
  if (!ACTIONS.includes(action)) return `unknown action ${JSON.stringify(action)}: use start, pause or stop`;
  const progress = item.progress as unknown;
  if (progress === undefined || progress === null) return 'no progress: a playback event needs "progress" (0-100)';
  if (typeof progress !== 'number' || !Number.isFinite(progress)) return `progress ${JSON.stringify(progress)} is not a number (0-100)`;
  if (progress > 100) return `progress ${progress} is above 100`;
  if (progress < 0) return `progress ${progress} is below 0`;
  // Only a stop: Trakt answers 422 to a stop below 1 %, while a start at 0 (a fresh play) is what shows "watching now".
  if (action === 'stop' && progress < rules.minProgress) return `progress below ${rules.minProgress} % is not scrobbled`;
  if (item.type === 'show') return 'a show cannot be scrobbled: send the episode being played';
  if (item.type !== 'movie' && item.type !== 'episode') return `media type ${JSON.stringify(item.type)} cannot be scrobbled: use movie or episode`;
  if (identityKeys(item).length === 0) return 'the item has neither ids nor a title, so the tracker cannot find it';
  if (item.type === 'episode' && !hasOwnIds(item) && (item.season === undefined || item.episode === undefined)) {
    return 'the episode has no ids and no season/episode numbers, so the tracker cannot find it';
  }
  if (rules.mode === 'checkin') {
    if (!provider.checkin || !provider.cancelCheckin) return `${provider.label} has no check-ins: use scrobble mode`;
    if ((action as ScrobbleAction) === 'pause') return 'check-ins have no pause';
  }
  return undefined;
}

function hasOwnIds(item: MediaItem): boolean {
  return Object.values(item.ids ?? {}).some((value) => value !== undefined && value !== null && value !== '');
}
