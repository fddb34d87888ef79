// GET /recommendations/:type, /:type/trending, /:type/popular and /calendars/my/:type/:start/:days,
// computed from the catalog and the sandbox user's data so they are deterministic.
import type { EpisodeRef } from '../catalog-index';
import { json, type Call, type Reply } from '../http-io';
import { listKey, type TraktState } from '../state';
import type { Movie, Show } from '../types';
import { episodeRelease, mediaOf, movieRelease, paged } from './list-common';

type Type = 'movies' | 'shows';
const RECOMMENDATIONS_MAX = 100;
const CALENDAR_MAX_DAYS = 33;
const DAY_MS = 86_400_000;

const single = (type: Type): 'movie' | 'show' => (type === 'movies' ? 'movie' : 'show');
const itemsOf = (state: TraktState, type: Type): Array<Movie | Show> => (type === 'movies' ? state.catalog.movies : state.catalog.shows);
/** The show of an episode id (of a play or a collection entry). */
const showOfPlay = (state: TraktState, episodeId: number | undefined): number | undefined => state.index.episode(episodeId ?? -1)?.show.trakt;

/** Plays per movie or show: the fake's "watchers". */
function playCounts(state: TraktState, type: Type): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of state.plays) {
    const id = type === 'movies' ? (p.type === 'movie' ? p.movieId : undefined) : p.type === 'episode' ? showOfPlay(state, p.episodeId) : undefined;
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Catalog order minus what the user watched; ignore_collected / ignore_watchlisted as Trakt takes them. */
export function recommendations(state: TraktState, call: Call, type: Type): Reply {
  const limit = Math.min(RECOMMENDATIONS_MAX, Number.parseInt(call.query.get('limit') ?? '', 10) || 10);
  const watched = playCounts(state, type);
  const collectedShows = new Set([...state.collection.values()].map((c) => (c.type === 'episode' ? showOfPlay(state, c.traktId) : undefined)));
  const collected = (id: number): boolean => (type === 'movies' ? state.collection.has(listKey('movie', id)) : collectedShows.has(id));
  const rows = itemsOf(state, type)
    .filter((m) => !watched.has(m.trakt))
    .filter((m) => call.query.get('ignore_collected') !== 'true' || !collected(m.trakt))
    .filter((m) => call.query.get('ignore_watchlisted') !== 'true' || !state.watchlist.has(listKey(single(type), m.trakt)))
    .slice(0, limit)
    .map((m) => ({ ...(mediaOf(state, single(type), m.trakt)?.[single(type)] as object), favorited_by: [] }));
  return json(200, rows);
}

/** Most played first, then catalog order; rows wrap the media with `watchers`. Paginated (10 a page). */
export function trending(state: TraktState, call: Call, type: Type): Reply {
  const counts = playCounts(state, type);
  const rows = itemsOf(state, type)
    .map((m, i) => ({ m, i, watchers: counts.get(m.trakt) ?? 0 }))
    .sort((a, b) => b.watchers - a.watchers || a.i - b.i)
    .map(({ m, watchers }) => ({ watchers, ...mediaOf(state, single(type), m.trakt) }));
  return paged(call, rows, { optional: false, defaultLimit: 10 });
}

/** Catalog order, bare media objects. Paginated (10 a page). */
export function popular(state: TraktState, call: Call, type: Type): Reply {
  const rows = itemsOf(state, type).map((m) => mediaOf(state, single(type), m.trakt)?.[single(type)]);
  return paged(call, rows, { optional: false, defaultLimit: 10 });
}

/**
 * "My" calendar: movies the user watched, collected or watchlisted, released in the window; episodes
 * of shows the user watched, collected or watchlisted, aired in it. At most 33 days (else 400).
 */
export function calendar(state: TraktState, _call: Call, type: Type, startDate: string, daysText: string): Reply {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? Date.parse(`${startDate}T00:00:00.000Z`) : NaN;
  const days = Number(daysText);
  if (Number.isNaN(start) || !Number.isInteger(days) || days < 1 || days > CALENDAR_MAX_DAYS) {
    return json(400, { error: 'bad_request', error_description: `start_date must be YYYY-MM-DD and days 1 to ${CALENDAR_MAX_DAYS}` });
  }
  const inWindow = (ms: number): boolean => ms >= start && ms < start + days * DAY_MS;
  if (type === 'movies') {
    const mine = new Set([...state.plays.map((p) => p.movieId), ...[...state.watchlist.values(), ...state.collection.values()].filter((e) => e.type === 'movie').map((e) => e.traktId)]);
    const rows = state.catalog.movies
      .filter((m) => mine.has(m.trakt) && inWindow(movieRelease(m)))
      .sort((a, b) => movieRelease(a) - movieRelease(b))
      .map((m) => ({ released: new Date(movieRelease(m)).toISOString().slice(0, 10), ...mediaOf(state, 'movie', m.trakt) }));
    return json(200, rows);
  }
  const shows = myShows(state);
  const refs: EpisodeRef[] = state.catalog.shows
    .filter((s) => shows.has(s.trakt))
    .flatMap((show) => show.seasons.flatMap((season) => season.episodes.map((episode) => ({ show, season, episode }))))
    .filter((ref) => inWindow(episodeRelease(ref)))
    .sort((a, b) => episodeRelease(a) - episodeRelease(b));
  return json(200, refs.map((ref) => ({ first_aired: new Date(episodeRelease(ref)).toISOString(), ...mediaOf(state, 'episode', ref.episode.ids.trakt) })));
}

function myShows(state: TraktState): Set<number | undefined> {
  const shows = new Set<number | undefined>(state.plays.map((p) => (p.type === 'episode' ? showOfPlay(state, p.episodeId) : undefined)));
  for (const e of state.collection.values()) if (e.type === 'episode') shows.add(showOfPlay(state, e.traktId));
  for (const e of state.watchlist.values()) shows.add(e.type === 'show' ? e.traktId : e.type === 'episode' ? showOfPlay(state, e.traktId) : undefined);
  return shows;
}
