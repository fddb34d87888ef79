// POST /scrobble/start|pause|stop (api-facts §2.8). One scrobble per user at a time: a request
// arriving while another of the same user is processed gets 400 RATE_LIMIT (Simkl's 20 s lock).
import { touchActivity } from '../activities';
import { episodeOf, type SimklEpisodeRef } from '../catalog-index';
import { json, simklError, type Call, type Reply } from '../http';
import { groupOf, recordChange } from '../library';
import type { SimklState } from '../state';
import type { SimklMovie, SimklScrobbleLogEntry } from '../types';

type Obj = Record<string, unknown>;
type Item = { kind: 'movie'; movie: SimklMovie } | { kind: 'episode'; ref: SimklEpisodeRef; sentAs: 'show' | 'anime' };
type Requested = SimklScrobbleLogEntry['requested'];

const WATCHED_PERCENT = 80;
const HOUR_MS = 3_600_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const minute = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

/** `undefined` = nothing to scrobble in the body; `null` = given but not in the catalog. */
function resolveItem(state: SimklState, body: Obj): Item | null | undefined {
  const movie = obj(body.movie);
  if (movie) {
    const found = state.index.findMovie(movie);
    return found ? { kind: 'movie', movie: found } : null;
  }
  const sentAs = obj(body.show) ? 'show' : 'anime';
  const showObj = obj(body.show) ?? obj(body.anime);
  const episode = obj(body.episode);
  if (!showObj) {
    if (!episode) return undefined;
    const ref = state.index.findEpisode(episode);
    return ref ? { kind: 'episode', ref, sentAs: ref.show.simklType === 'anime' ? 'anime' : 'show' } : null;
  }
  const show = state.index.findShow(showObj);
  // Anime episodes come as absolute numbers without a season: season 1 in this catalog.
  const ref = show && episode ? episodeOf(show, episode.season ?? 1, episode.number) : undefined;
  return ref ? { kind: 'episode', ref, sentAs } : null;
}

const itemKeyOf = (item: Item): string =>
  item.kind === 'movie' ? `movie:${item.movie.simkl}` : `episode:${item.ref.show.simkl}:${item.ref.season.number}x${item.ref.episode.number}`;

function media(item: Item): Obj {
  if (item.kind === 'movie') {
    const m = item.movie;
    return { movie: { title: m.title, year: m.year, ids: { simkl: m.simkl, slug: m.slug, imdb: m.imdb, tmdb: m.tmdb } } };
  }
  const { show, season, episode } = item.ref;
  const anime = show.simklType === 'anime';
  return {
    [item.sentAs]: { title: show.title, year: show.year, ids: { simkl: show.simkl, slug: show.slug, tvdb: show.tvdb, imdb: show.imdb, tmdb: show.tmdb } },
    // Simkl remaps anime to AniDB numbering and reports the TVDB numbers next to it (the same here).
    episode: { season: season.number, number: episode.number, title: episode.title, ...(anime ? { tvdb_season: season.number, tvdb_number: episode.number } : {}) },
  };
}

/** The scrobble that makes this one a duplicate, if it is still inside its 1 h (scaled) window. */
function recentScrobble(state: SimklState, username: string, itemKey: string, now: number): SimklScrobbleLogEntry | undefined {
  const windowMs = HOUR_MS * state.options.timeScale;
  for (let i = state.scrobbles.length - 1; i >= 0; i--) {
    const e = state.scrobbles[i];
    if (now - e.at >= windowMs) return undefined;
    if (e.result === 'scrobble' && e.username === username && e.itemKey === itemKey) return e;
  }
  return undefined;
}

function process(state: SimklState, call: Call, requested: Requested, username: string): Reply {
  const now = Date.now();
  const log = (entry: Omit<SimklScrobbleLogEntry, 'at' | 'username' | 'requested'>): void => {
    state.scrobbles.push({ at: now, username, requested, ...entry });
  };
  const raw = call.body.progress;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 100) {
    log({ result: 400 });
    return simklError(400, 'wrong_parameter', 'progress must be a number from 0 to 100');
  }
  // Simkl keeps two decimals.
  const progress = Math.round(raw * 100) / 100;
  const item = resolveItem(state, call.body);
  if (item === undefined) {
    log({ result: 400, progress });
    return simklError(400, 'empty_field', 'Send a movie, or a show/anime with an episode');
  }
  if (item === null) {
    log({ result: 404, progress });
    return simklError(404, 'not_found', 'Item not found');
  }
  const itemKey = itemKeyOf(item);
  const kind = item.kind === 'movie' ? 'movie' : 'show';
  const simklId = item.kind === 'movie' ? item.movie.simkl : item.ref.show.simkl;
  const watched = progress >= WATCHED_PERCENT;

  if (requested !== 'start' && watched) {
    const recent = recentScrobble(state, username, itemKey, now);
    if (recent) {
      log({ result: 409, itemKey, progress });
      return json(409, { watched_at: recent.watchedAt, expires_at: new Date(recent.at + HOUR_MS * state.options.timeScale).toISOString() });
    }
  }
  const playbackKey = `${username}|${itemKey}`;
  if (requested === 'stop' && watched) {
    const play = state.addPlay({ ...(item.kind === 'movie' ? { type: 'movie' } : { type: 'episode', season: item.ref.season.number, episode: item.ref.episode.number }), simklId, watchedAt: minute(now), via: 'scrobble' });
    recordChange(state, kind, simklId);
    const id = state.nextScrobbleId++;
    state.playback.set(playbackKey, { id, action: 'scrobble', progress, updatedAt: now });
    log({ result: 'scrobble', itemKey, progress, watchedAt: play.watchedAt });
    return json(201, { id, action: 'scrobble', progress, ...media(item) });
  }
  // start, pause, or a stop below 80 % (saved as a paused playback).
  const action = requested === 'start' ? 'start' : 'pause';
  const id = action === 'start' ? 0 : state.nextScrobbleId++;
  state.playback.set(playbackKey, { id, action, progress, updatedAt: now });
  touchActivity(state.activities, groupOf(state, kind, simklId), 'playback', now);
  log({ result: action, itemKey, progress });
  return json(201, { id, action, progress, ...media(item) });
}

export async function scrobble(state: SimklState, call: Call, requested: Requested): Promise<Reply> {
  const username = call.username ?? '';
  if (state.scrobbleBusy.has(username)) return simklError(400, 'RATE_LIMIT', 'One scrobble operation per user at a time');
  state.scrobbleBusy.add(username);
  try {
    if (state.options.scrobbleDelayMs > 0) await sleep(state.options.scrobbleDelayMs);
    return process(state, call, requested, username);
  } finally {
    state.scrobbleBusy.delete(username);
  }
}
