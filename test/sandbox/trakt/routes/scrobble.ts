// POST /scrobble/start|pause|stop, POST /checkin and DELETE /checkin (api-facts §1.10). The plays
// they create carry action 'scrobble' / 'checkin' in history, as on Trakt.
import type { EpisodeRef } from '../catalog-index';
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import type { Movie, Play, ScrobbleLogEntry } from '../types';
import { searchResult } from './search-shape';

type Item = { type: 'movie'; movie: Movie } | { type: 'episode'; ref: EpisodeRef };
type Obj = Record<string, unknown>;

const WATCHED_PERCENT = 80;
const HOUR_MS = 3_600_000;
// A checkin lasts the item's runtime; the catalog has no runtimes, so every item runs 2 hours.
const CHECKIN_MS = 2 * HOUR_MS;
const SHARING = { twitter: false, tumblr: false };

const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const minute = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
const traktIdOf = (item: Item): number => (item.type === 'movie' ? item.movie.trakt : item.ref.episode.ids.trakt);
const keyOf = (username: string, item: Item): string => `${username}|${item.type}:${traktIdOf(item)}`;

/** `undefined` = no movie/episode object at all; `null` = given but not in the catalog. */
function resolveItem(state: TraktState, body: Obj): Item | null | undefined {
  const movie = obj(body.movie);
  if (movie) {
    const found = state.index.findMovie(movie);
    return found ? { type: 'movie', movie: found } : null;
  }
  const episode = obj(body.episode);
  if (!episode) return undefined;
  // Episode ids win; otherwise the show plus season/number, as in Trakt's example body.
  const byIds = state.index.findEpisode(episode);
  if (byIds) return { type: 'episode', ref: byIds };
  const showObj = obj(body.show);
  const show = showObj && state.index.findShow(showObj);
  const season = show?.seasons.find((s) => s.number === Number(episode.season));
  const ep = season?.episodes.find((e) => e.number === Number(episode.number));
  return show && season && ep ? { type: 'episode', ref: { show, season, episode: ep } } : null;
}

/** The movie, or the episode plus its show, in the shape search returns them. */
function media(item: Item): Obj {
  const { type: _type, score: _score, ...rest } = searchResult(item, null) as Obj;
  return rest;
}

function log(state: TraktState, entry: Omit<ScrobbleLogEntry, 'at'>, at: number): void {
  state.scrobbles.push({ at, ...entry });
}

/** The scrobble that makes a new stop of the same item a duplicate, if still inside its window. */
function recentScrobble(state: TraktState, username: string, item: Item, now: number): ScrobbleLogEntry | undefined {
  const windowMs = HOUR_MS * state.options.timeScale;
  const id = traktIdOf(item);
  for (let i = state.scrobbles.length - 1; i >= 0; i--) {
    const e = state.scrobbles[i];
    if (now - e.at >= windowMs) return undefined;
    if (e.result === 'scrobble' && e.username === username && e.type === item.type && e.traktId === id) return e;
  }
  return undefined;
}

function addPlay(state: TraktState, item: Item, at: number, action: Play['action']): Play {
  const play = state.addPlay(item.type, traktIdOf(item), minute(at), action);
  state.touchHistory([item.type]);
  return play;
}

export function scrobble(state: TraktState, call: Call, requested: 'start' | 'pause' | 'stop'): Reply {
  const username = call.username ?? '';
  const now = Date.now();
  const { progress } = call.body;
  const item = resolveItem(state, call.body);
  if (item === undefined) return json(400, { error: 'bad_request', error_description: 'movie or episode is required' });
  const base = { username, requested, ...(item ? { type: item.type, traktId: traktIdOf(item) } : {}) };
  // Progress is required; only stop refuses < 1 % (players legitimately start at 0).
  if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0 || progress > 100 || (requested === 'stop' && progress < 1)) {
    log(state, { ...base, result: 422 }, now);
    return json(422, { error: 'unprocessable_entity', error_description: 'progress must be a number from 0 to 100 (at least 1 to stop)' });
  }
  if (!item) {
    log(state, { ...base, result: 404, progress }, now);
    return json(404, {});
  }
  const key = keyOf(username, item);

  if (requested === 'start') {
    state.playback.set(key, { id: 0, action: 'start', progress, updatedAt: now });
    log(state, { ...base, result: 'start', progress }, now);
    return json(201, { id: 0, action: 'start', progress, sharing: SHARING, ...media(item) });
  }

  if (requested === 'stop' && progress >= WATCHED_PERCENT) {
    const recent = recentScrobble(state, username, item, now);
    if (recent) {
      log(state, { ...base, result: 409, progress }, now);
      const expiresAt = new Date(recent.at + HOUR_MS * state.options.timeScale).toISOString();
      return json(409, { watched_at: recent.watchedAt, expires_at: expiresAt });
    }
    const play = addPlay(state, item, now, 'scrobble');
    state.playback.set(key, { id: play.id, action: 'scrobble', progress, updatedAt: now });
    log(state, { ...base, result: 'scrobble', progress, playId: play.id, watchedAt: play.watchedAt }, now);
    return json(201, { id: play.id, action: 'scrobble', progress, sharing: SHARING, ...media(item) });
  }

  // pause, or a stop below 80 %: Trakt saves the progress as a paused playback.
  const id = state.nextPlaybackId++;
  state.playback.set(key, { id, action: 'pause', progress, updatedAt: now });
  log(state, { ...base, result: 'pause', progress }, now);
  return json(201, { id, action: 'pause', progress, sharing: SHARING, ...media(item) });
}

/**
 * Trakt turns a checkin into a play once it runs out, stamped with the checkin time. The fake adds
 * that play right away (same watched_at, nothing to wait for); DELETE /checkin does not remove it.
 */
export function checkin(state: TraktState, call: Call): Reply {
  const username = call.username ?? '';
  const now = Date.now();
  const active = state.checkins.get(username);
  if (active && active.expiresAt > now) return json(409, { expires_at: new Date(active.expiresAt).toISOString() });
  const item = resolveItem(state, call.body);
  if (item === undefined) return json(400, { error: 'bad_request', error_description: 'movie or episode is required' });
  if (!item) return json(404, {});
  const play = addPlay(state, item, now, 'checkin');
  state.checkins.set(username, {
    playId: play.id,
    type: item.type,
    traktId: traktIdOf(item),
    watchedAt: play.watchedAt,
    expiresAt: now + CHECKIN_MS * state.options.timeScale,
  });
  const sharing = obj(call.body.sharing) ?? SHARING;
  return json(201, { id: play.id, watched_at: play.watchedAt, sharing, ...media(item) });
}

export function cancelCheckin(state: TraktState, call: Call): Reply {
  state.checkins.delete(call.username ?? '');
  return json(204);
}
