// Row dicts of cmd=get_history with every key and quirk of api-facts §3.2: aggregates over the
// group's sittings, "" for the parent/grandparent fields of movies, numbers as numbers.
import { percentOf, watchedStatus } from './watched';
import type { Device, TautulliActivity, TautulliItem, TautulliSession, TautulliUser } from './types';

export type Row = Record<string, unknown>;

export interface ItemContext {
  item: TautulliItem;
  season?: TautulliItem;
  show?: TautulliItem;
  user?: TautulliUser;
}

const blank = (v: number | string | '' | undefined): number | string => (v === undefined ? '' : v);

/** Fields that come from the item and the user, shared by history and activity rows. */
function describe(ctx: ItemContext, device: Device, userId: number, username: string): Row {
  const { item, season, show, user } = ctx;
  const isEpisode = item.mediaType === 'episode';
  return {
    user_id: userId,
    user: username,
    friendly_name: user?.friendlyName ?? username,
    user_thumb: user?.thumb ?? 'interfaces/default/images/gravatar-default-80x80.png',
    platform: device.platform,
    product: device.product,
    player: device.player,
    ip_address: device.ipAddress,
    live: 0,
    machine_id: device.machineId,
    location: device.location,
    secure: device.secure,
    relayed: device.relayed,
    media_type: item.mediaType,
    rating_key: item.ratingKey,
    parent_rating_key: blank(item.parentRatingKey),
    grandparent_rating_key: blank(item.grandparentRatingKey),
    full_title: isEpisode ? `${show?.title ?? ''} - ${item.title}` : item.title,
    title: item.title,
    parent_title: isEpisode ? (season?.title ?? '') : '',
    grandparent_title: isEpisode ? (show?.title ?? '') : '',
    original_title: item.originalTitle,
    year: item.year,
    media_index: blank(item.index),
    parent_media_index: blank(item.parentIndex),
    // Episodes show their season's poster.
    thumb: `/library/metadata/${isEpisode && season ? season.ratingKey : item.ratingKey}/thumb/${item.addedAt}`,
    originally_available_at: item.originallyAvailableAt,
    guid: item.guid,
    transcode_decision: device.transcodeDecision,
  };
}

/** One grouped (or, with one sitting, ungrouped) history row. Sittings are in ascending id order. */
export function historyRow(sittings: TautulliSession[], ctx: ItemContext): Row {
  const last = sittings[sittings.length - 1];
  let started = Infinity;
  let date = 0;
  let stopped = 0;
  let elapsed = 0;
  let paused = 0;
  let offset = 0;
  for (const s of sittings) {
    started = Math.min(started, s.started);
    date = Math.max(date, s.started);
    stopped = Math.max(stopped, s.stopped);
    elapsed += s.stopped > 0 ? s.stopped - s.started : 0;
    paused += s.pausedCounter;
    offset = Math.max(offset, s.viewOffsetMs);
  }
  const duration = elapsed - paused;
  return {
    reference_id: sittings[0].referenceId,
    row_id: last.id,
    id: last.id,
    date,
    started,
    stopped,
    duration,
    play_duration: duration,
    paused_counter: paused,
    ...describe(ctx, last.device, last.userId, last.user),
    percent_complete: Math.round(percentOf(offset, ctx.item.durationMs)),
    watched_status: watchedStatus(offset, ctx.item.durationMs),
    group_count: sittings.length,
    group_ids: sittings.map((s) => s.id).join(','),
    state: null,
    session_key: null,
  };
}

/** A currently playing session as the UNION in get_history shows it: no ids, no stop, no group. */
export function activityRow(a: TautulliActivity, ctx: ItemContext, now: number): Row {
  const duration = Math.max(0, now - a.started - a.pausedCounter);
  return {
    reference_id: null,
    row_id: null,
    id: null,
    date: a.started,
    started: a.started,
    stopped: null,
    duration,
    play_duration: duration,
    paused_counter: a.pausedCounter,
    ...describe(ctx, a.device, a.userId, a.user),
    percent_complete: Math.round(percentOf(a.viewOffsetMs, ctx.item.durationMs)),
    watched_status: watchedStatus(a.viewOffsetMs, ctx.item.durationMs),
    group_count: null,
    group_ids: null,
    state: a.state,
    session_key: a.sessionKey,
  };
}

/** helpers.human_duration(s, sig='dhm'): "42 days 5 hrs 18 mins", "0 mins". */
export function humanDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const parts: string[] = [];
  if (d > 0) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h > 0) parts.push(`${h} hr${h === 1 ? '' : 's'}`);
  if (m > 0) parts.push(`${m} min${m === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : '0 mins';
}
