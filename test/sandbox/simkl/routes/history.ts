// POST /sync/history and /sync/history/remove (api-facts §2.5). Every submitted play is recorded,
// repeats included (see SimklState.duplicates), so the fake is no more forgiving than Trakt.
import { json, simklError, type Call, type Reply } from '../http';
import { recordChange, statusOf } from '../library';
import type { SimklState } from '../state';
import type { SimklPlay } from '../types';
import { resolveSimklSync, type SimklLeaf, type Title } from './sync-resolve';

const MINUTE = 60_000;
const STATUSES = new Set(['watching', 'plantowatch', 'completed', 'dropped', 'hold']);
// Simkl's own example sends "2011-12-03 13:44:00": a zone-less time there means UTC, not local.
const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Minute-precision ISO; missing = now; undefined when the value cannot be a date. */
export function storedWatchedAt(raw: unknown, now: number): string | undefined {
  if (raw === undefined || raw === null) return new Date(Math.floor(now / MINUTE) * MINUTE).toISOString();
  if (typeof raw !== 'string') return undefined;
  const ms = Date.parse(ZONELESS.test(raw.trim()) ? `${raw.trim().replace(' ', 'T')}Z` : raw);
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();
}

const leafPlay = (leaf: SimklLeaf, watchedAt: string): Omit<SimklPlay, 'id'> =>
  leaf.type === 'movie'
    ? { type: 'movie', simklId: leaf.movie.simkl, watchedAt, via: 'sync' }
    : { type: 'episode', simklId: leaf.ref.show.simkl, season: leaf.ref.season.number, episode: leaf.ref.episode.number, watchedAt, via: 'sync' };

const titleKey = (t: Title): ['movie' | 'show', number] => (t.kind === 'movie' ? ['movie', t.movie.simkl] : ['show', t.show.simkl]);

/** One `statuses` entry as in samples/simkl/sync_history.response_201.json. */
function statusEntry(state: SimklState, t: Title): unknown {
  const { seasons: _s, episodes: _e, ...request } = t.request;
  const [kind, id] = titleKey(t);
  const asked = typeof t.request.status === 'string' && STATUSES.has(t.request.status) ? t.request.status : undefined;
  // A list status the client asked for wins; otherwise what the plays make of the title.
  const status: string = asked ?? statusOf(state, kind, id) ?? 'completed';
  const simklType = t.kind === 'movie' ? 'movie' : t.show.simklType;
  return {
    request: { ...request, type: t.kind === 'movie' ? 'movie' : t.sentAs, rating: t.request.rating ?? null },
    response: { status, simkl_type: simklType, anime_type: simklType === 'anime' ? 'tv' : null },
  };
}

export function addHistory(state: SimklState, call: Call): Reply {
  const { leaves, titles, notFound } = resolveSimklSync(call.body, state.index);
  const now = Date.now();
  const stamped = leaves.map((leaf) => ({ leaf, at: storedWatchedAt(leaf.when, now) }));
  // Validate everything first so a bad date leaves no partial write behind.
  const bad = stamped.find((s) => s.at === undefined);
  if (bad) return simklError(400, 'wrong_parameter', `watched_at is not a date: ${JSON.stringify(bad.leaf.when)}`);

  const changed = new Map<string, ['movie' | 'show', number]>();
  for (const { leaf, at } of stamped) {
    const play = state.addPlay(leafPlay(leaf, at as string));
    changed.set(`${play.type}:${play.simklId}`, [play.type === 'movie' ? 'movie' : 'show', play.simklId]);
  }
  for (const [kind, id] of changed.values()) recordChange(state, kind, id);
  return json(201, {
    added: {
      movies: titles.filter((t) => t.kind === 'movie').length,
      shows: titles.filter((t) => t.kind === 'show').length,
      episodes: leaves.filter((l) => l.type === 'episode').length,
      statuses: titles.map((t) => statusEntry(state, t)),
    },
    not_found: notFound,
  });
}

/** Simkl's remove answer has no not_found.episodes. */
export function removeHistory(state: SimklState, call: Call): Reply {
  const { leaves, titles, notFound } = resolveSimklSync(call.body, state.index);
  const keyOf = (p: Omit<SimklPlay, 'id'>): string => `${p.type}:${p.simklId}:${p.season ?? ''}x${p.episode ?? ''}`;
  const wanted = new Set(leaves.map((l) => keyOf(leafPlay(l, ''))));
  const removed = state.removePlays((p) => wanted.has(keyOf(p)));

  const gone = new Set(removed.map(keyOf));
  const touched = new Map(removed.map((p) => [`${p.type}:${p.simklId}`, [p.type === 'movie' ? 'movie' : 'show', p.simklId] as const]));
  for (const [kind, id] of touched.values()) recordChange(state, kind, id);
  const wholeShows = titles.filter((t) => t.kind === 'show' && t.whole && touched.has(`episode:${t.show.simkl}`));
  return json(201, {
    deleted: {
      movies: [...gone].filter((k) => k.startsWith('movie:')).length,
      shows: wholeShows.length,
      episodes: [...gone].filter((k) => k.startsWith('episode:')).length,
    },
    not_found: { movies: notFound.movies, shows: notFound.shows },
  });
}
