// GET /sync/history[/:type[/:id]] and /users/:user/history[...]: newest first, paginated the
// way Trakt does it in 2025+ (default limit 100, silently clamped to 250).
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import type { Play } from '../types';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 250;
const TYPES = ['movies', 'shows', 'seasons', 'episodes'];

function positiveInt(v: string | null, fallback: number): number {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Selects the plays a type/id path segment refers to; undefined = unknown type (404). */
function typeFilter(state: TraktState, type: string | undefined, id: string | undefined): ((p: Play) => boolean) | undefined {
  if (type === undefined) return () => true;
  if (!TYPES.includes(type)) return undefined;
  const matchId = (traktId: number, slug?: string): boolean => id === undefined || id === String(traktId) || id === slug;
  if (type === 'movies') {
    return (p) => p.type === 'movie' && matchId(p.movieId ?? -1, state.index.movie(p.movieId ?? -1)?.slug);
  }
  // No season ids in the fake catalog: seasons/<id> never matches, plain seasons lists episodes.
  if (type === 'seasons') return (p) => p.type === 'episode' && id === undefined;
  return (p) => {
    if (p.type !== 'episode') return false;
    const ref = state.index.episode(p.episodeId ?? -1);
    if (!ref) return false;
    return type === 'shows' ? matchId(ref.show.trakt, ref.show.slug) : matchId(ref.episode.ids.trakt);
  };
}

function row(state: TraktState, p: Play): unknown {
  const base = { id: p.id, watched_at: p.watchedAt, action: p.action, type: p.type };
  if (p.type === 'movie') {
    const m = state.index.movie(p.movieId ?? -1);
    return { ...base, movie: m && { title: m.title, year: m.year, ids: { trakt: m.trakt, slug: m.slug, imdb: m.imdb, tmdb: m.tmdb } } };
  }
  const ref = state.index.episode(p.episodeId ?? -1);
  if (!ref) return base;
  const { show, season, episode } = ref;
  return {
    ...base,
    episode: { season: season.number, number: episode.number, title: episode.title, ids: { ...episode.ids } },
    show: {
      title: show.title,
      year: show.year,
      ids: { trakt: show.trakt, slug: show.slug, tvdb: show.tvdb, imdb: show.imdb, tmdb: show.tmdb },
    },
  };
}

export function readHistory(state: TraktState, call: Call, type?: string, id?: string): Reply {
  const byType = typeFilter(state, type, id);
  if (!byType) return json(404, { error: 'not_found' });
  const startAt = Date.parse(call.query.get('start_at') ?? '');
  const endAt = Date.parse(call.query.get('end_at') ?? '');
  const items = state.plays
    .filter((p) => {
      const t = Date.parse(p.watchedAt);
      return byType(p) && !(t < startAt) && !(t > endAt);
    })
    .sort((a, b) => b.watchedAt.localeCompare(a.watchedAt) || b.id - a.id);

  const limit = Math.min(MAX_LIMIT, positiveInt(call.query.get('limit'), DEFAULT_LIMIT));
  const page = positiveInt(call.query.get('page'), 1);
  // Rails' will_paginate reports one page even for an empty result.
  const pageCount = Math.max(1, Math.ceil(items.length / limit));
  const body = items.slice((page - 1) * limit, page * limit).map((p) => row(state, p));
  return json(200, body, {
    'X-Pagination-Page': String(page),
    'X-Pagination-Limit': String(limit),
    'X-Pagination-Page-Count': String(pageCount),
    'X-Pagination-Item-Count': String(items.length),
  });
}

/** /users/:user/history: "me" needs OAuth; the sandbox user's own slug is public. */
export function readUserHistory(state: TraktState, call: Call, user: string, type?: string, id?: string): Reply {
  if (user === 'me' && !call.username) return json(401, { error: 'invalid_token' });
  if (user !== 'me' && user.toLowerCase() !== state.options.username.toLowerCase()) return json(404, { error: 'not_found' });
  return readHistory(state, call, type, id);
}
