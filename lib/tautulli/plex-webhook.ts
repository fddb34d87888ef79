import type { MediaItem } from '../schema/types';
import { idsFromGuidList, parseGuid } from './guids';
import { mergeIds, nonEmpty } from './mapping';
import type { PlexWebhookPayload } from './types';
import { asObject, field, numberOf, percent, type WebhookResult } from './webhook-values';
import { compact, toIndex, toYear } from './values';

const EVENTS: Record<string, 'start' | 'pause' | 'stop' | 'play'> = {
  'media.play': 'start',
  'media.resume': 'start',
  'media.pause': 'pause',
  'media.stop': 'stop',
  // Plex sends it once an item is played past 90 %: the play itself.
  'media.scrobble': 'play',
};

/**
 * A Plex webhook (the JSON of its multipart `payload` field) as a playback event or, for
 * media.scrobble, a play watched now. `Metadata.Guid` holds the item's own ids (an episode's, not
 * its show's); legacy-agent items have none, their guid carries the ids instead.
 */
export function fromPlexWebhook(payload: unknown, now: Date = new Date()): WebhookResult {
  let data = asObject(payload);
  if (data && typeof data.payload === 'string') data = asObject(data.payload);
  if (!data) return { error: 'the Plex webhook payload is not JSON: pass the "payload" form field of the request' };
  const body = data as PlexWebhookPayload;
  const event = field(body.event);
  if (!event) return { error: 'the Plex webhook has no "event"' };
  const kind = EVENTS[event];
  if (!kind) return { error: `Plex webhook event "${event}" is not a playback event clawarr handles (media.play, media.pause, media.resume, media.stop, media.scrobble)` };
  const meta = body.Metadata;
  if (!meta || typeof meta !== 'object') return { error: `Plex webhook ${event} without "Metadata"` };

  const guid = parseGuid(meta.guid);
  const ids = nonEmpty(mergeIds(idsFromGuidList(meta.Guid), guid.ids));
  let item: MediaItem;
  if (meta.type === 'movie') {
    const title = field(meta.title);
    if (!title) return { error: `Plex webhook ${event} for a movie without a title` };
    item = { type: 'movie', title, year: toYear(meta.year), ids };
  } else if (meta.type === 'episode') {
    const season = toIndex(meta.parentIndex) ?? guid.season;
    const episode = toIndex(meta.index) ?? guid.episode;
    if (season === undefined || episode === undefined) return { error: `Plex webhook ${event} for an episode without season or episode number` };
    const showTitle = field(meta.grandparentTitle);
    const showIds = nonEmpty(mergeIds(guid.show?.ids ?? {}, parseGuid(meta.grandparentGuid).ids));
    if (!showTitle && !showIds) return { error: `Plex webhook ${event} for an episode without its show` };
    item = { type: 'episode', title: field(meta.title), season, episode, show: compact({ title: showTitle, ids: showIds }), ids };
  } else {
    return { error: `Plex webhook ${event} for a ${String(meta.type ?? 'item without type')}: only movies and episodes are handled` };
  }

  if (kind === 'play') item.watchedAt = now.toISOString();
  else item.action = kind;
  const offset = numberOf(meta.viewOffset);
  const duration = numberOf(meta.duration);
  if (offset !== undefined && duration) item.progress = percent((offset / duration) * 100);
  item.source = compact({ kind: 'plex', ref: field(meta.ratingKey), user: field(body.Account?.title) });
  return { item: compact(item) };
}
