import type { MediaItem } from '../schema/types';
import { parseGuid } from './guids';
import { mergeIds, nonEmpty } from './mapping';
import { asObject, field, numberOf, percent, utcInstant, type WebhookResult } from './webhook-values';
import { compact, toId, toImdb, toIndex, toYear } from './values';

export { fromPlexWebhook } from './plex-webhook';
export type { WebhookResult } from './webhook-values';

/**
 * Template for Tautulli → Settings → Notification Agents → Webhook (JSON Data, same text for the
 * Playback Start, Stop, Pause, Resume and Watched triggers). Tautulli substitutes every value as a
 * string; for episodes {imdb_id}, {themoviedb_id} and {thetvdb_id} are the SHOW's ids.
 *
 *   { "action": "{action}", "media_type": "{media_type}", "title": "{title}", "show_name": "{show_name}",
 *     "season_num": "{season_num}", "episode_num": "{episode_num}", "year": "{year}",
 *     "imdb_id": "{imdb_id}", "tmdb_id": "{themoviedb_id}", "tvdb_id": "{thetvdb_id}", "guid": "{guid}",
 *     "rating_key": "{rating_key}", "progress_percent": "{progress_percent}", "user": "{username}",
 *     "user_id": "{user_id}", "watched_at": "{utctime}" }
 */
const ACTIONS: Record<string, 'start' | 'pause' | 'stop' | 'play'> = { play: 'start', resume: 'start', pause: 'pause', stop: 'stop', watched: 'play' };

/** A Tautulli webhook as a playback event (start, pause, stop) or, for "watched", a play. */
export function fromTautulliWebhook(body: unknown, now: Date = new Date()): WebhookResult {
  const data = asObject(body);
  if (!data) return { error: 'the Tautulli webhook body is not a JSON object: set the agent\'s "JSON Data" to clawarr\'s template' };
  const action = field(data.action)?.toLowerCase();
  if (!action) return { error: 'the Tautulli webhook has no "action": add "action": "{action}" to its JSON Data' };
  const kind = ACTIONS[action];
  if (!kind) return { error: `Tautulli webhook action "${action}" is not a playback event clawarr handles (play, resume, pause, stop, watched)` };

  const mediaType = field(data.media_type);
  const guid = parseGuid(field(data.guid));
  const externalIds = { imdb: toImdb(field(data.imdb_id)), tmdb: toId(field(data.tmdb_id)) };
  let item: MediaItem;
  if (mediaType === 'movie') {
    const title = field(data.title);
    if (!title) return { error: 'Tautulli webhook for a movie without "title"' };
    item = { type: 'movie', title, year: toYear(field(data.year)), ids: nonEmpty(mergeIds(clean(externalIds), guid.ids)) };
  } else if (mediaType === 'episode') {
    const season = toIndex(field(data.season_num)) ?? guid.season;
    const episode = toIndex(field(data.episode_num)) ?? guid.episode;
    if (season === undefined || episode === undefined) return { error: 'Tautulli webhook for an episode without "season_num" / "episode_num"' };
    const showTitle = field(data.show_name);
    const showIds = mergeIds(clean({ ...externalIds, tvdb: toId(field(data.tvdb_id)) }), guid.show?.ids ?? {});
    if (!showTitle && !nonEmpty(showIds)) return { error: 'Tautulli webhook for an episode without "show_name" or show ids' };
    item = { type: 'episode', title: episodeTitle(field(data.title), showTitle), season, episode, show: compact({ title: showTitle, ids: nonEmpty(showIds) }), ids: nonEmpty(guid.ids) };
  } else {
    return { error: `Tautulli webhook for media type "${mediaType ?? ''}": only movie and episode are handled` };
  }

  if (kind === 'play') {
    const raw = field(data.watched_at);
    const watchedAt = raw === undefined ? now.toISOString() : utcInstant(raw);
    if (!watchedAt) return { error: `Tautulli webhook "watched_at" ${JSON.stringify(raw)} is not a date: use {utctime}` };
    item.watchedAt = watchedAt;
  } else {
    item.action = kind;
  }
  item.progress = percent(numberOf(data.progress_percent));
  item.source = compact({ kind: 'tautulli', ref: field(data.rating_key), user: field(data.user) });
  return { item: compact(item) };
}

/** {title} is the full title "Show - Episode"; the item wants the episode's own. */
function episodeTitle(title: string | undefined, show: string | undefined): string | undefined {
  if (title && show && title.startsWith(`${show} - `)) return title.slice(show.length + 3) || undefined;
  return title;
}

function clean<T extends object>(ids: T): T {
  return compact({ ...ids });
}
