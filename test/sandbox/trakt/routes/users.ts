// GET /users/:user/watching and /users/:user/stats. "me" needs OAuth; the sandbox user's own slug
// is public, like /users/:user/history.
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import type { ListedType } from '../types';
import { mediaOf } from './list-common';

// The catalog has no runtimes; scrobble.ts runs every check-in 2 hours, so everything does here.
const RUNTIME_MS = 2 * 3_600_000;
const MOVIE_MINUTES = 120;
const EPISODE_MINUTES = 45;

interface Watching {
  startedAt: number;
  expiresAt: number;
  action: 'scrobble' | 'checkin';
  type: ListedType;
  traktId: number;
}

/** undefined: the user is known and the caller may see them. */
function refuse(state: TraktState, call: Call, user: string): Reply | undefined {
  if (user === 'me') return call.username ? undefined : json(401, { error: 'invalid_token' });
  return user.toLowerCase() === state.options.username.toLowerCase() ? undefined : json(404, { error: 'not_found' });
}

/**
 * The latest running scrobble (a start not yet paused or stopped) or check-in. Trakt derives
 * started_at from the progress and expires_at from the runtime; scaled like the check-in clock.
 */
function current(state: TraktState, now: number): Watching | undefined {
  const runtime = RUNTIME_MS * state.options.timeScale;
  const prefix = `${state.options.username}|`;
  const found: Watching[] = [];
  for (const [key, playback] of state.playback) {
    if (!key.startsWith(prefix) || playback.action !== 'start') continue;
    const [type, id] = key.slice(prefix.length).split(':');
    const startedAt = playback.updatedAt - (playback.progress / 100) * runtime;
    found.push({ startedAt, expiresAt: startedAt + runtime, action: 'scrobble', type: type as ListedType, traktId: Number(id) });
  }
  const checkin = state.checkins.get(state.options.username);
  if (checkin) found.push({ startedAt: checkin.expiresAt - runtime, expiresAt: checkin.expiresAt, action: 'checkin', type: checkin.type, traktId: checkin.traktId });
  return found.filter((w) => w.expiresAt > now).sort((a, b) => b.startedAt - a.startedAt)[0];
}

export function watching(state: TraktState, call: Call, user: string): Reply {
  const refused = refuse(state, call, user);
  if (refused) return refused;
  const now = current(state, Date.now());
  if (!now) return json(204);
  return json(200, {
    expires_at: new Date(now.expiresAt).toISOString(),
    started_at: new Date(now.startedAt).toISOString(),
    action: now.action,
    type: now.type,
    ...mediaOf(state, now.type, now.traktId),
  });
}

/** Counts from the sandbox's own history, ratings and collection (network and comments are empty). */
export function stats(state: TraktState, call: Call, user: string): Reply {
  const refused = refuse(state, call, user);
  if (refused) return refused;
  const moviePlays = state.plays.filter((p) => p.type === 'movie');
  const episodePlays = state.plays.filter((p) => p.type === 'episode');
  const shows = new Set(episodePlays.map((p) => state.index.episode(p.episodeId ?? -1)?.show.trakt));
  const ratings = [...state.ratings.values()];
  const rated = (type: string): number => ratings.filter((r) => r.type === type).length;
  const collection = [...state.collection.values()];
  const collected = (type: string): number => collection.filter((c) => c.type === type).length;
  const collectedShows = new Set(collection.map((c) => (c.type === 'episode' ? state.index.episode(c.traktId)?.show.trakt : undefined)).filter((id) => id !== undefined));
  const distribution = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), ratings.filter((r) => r.rating === i + 1).length]));
  return json(200, {
    movies: { plays: moviePlays.length, watched: new Set(moviePlays.map((p) => p.movieId)).size, minutes: moviePlays.length * MOVIE_MINUTES, collected: collected('movie'), ratings: rated('movie'), comments: 0 },
    shows: { watched: shows.size, collected: collectedShows.size, ratings: rated('show'), comments: 0 },
    seasons: { ratings: 0, comments: 0 },
    episodes: { plays: episodePlays.length, watched: new Set(episodePlays.map((p) => p.episodeId)).size, minutes: episodePlays.length * EPISODE_MINUTES, collected: collected('episode'), ratings: rated('episode'), comments: 0 },
    network: { friends: 0, followers: 0, following: 0 },
    ratings: { total: ratings.length, distribution },
  });
}
