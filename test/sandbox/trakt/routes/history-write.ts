// POST /sync/history and /sync/history/remove. No dedup on add: real Trakt stores every play
// it is sent, and preventing duplicates is the client's job.
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import { resolveSync } from '../sync-resolve';
import { storedWatchedAt } from '../watched-at';

export function addHistory(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveSync(call.body, state.index);
  const now = Date.now();
  const stamped = leaves.map((leaf) => ({ leaf, at: storedWatchedAt(leaf, now) }));
  // Validate everything first so a bad date leaves no partial write behind.
  const bad = stamped.find((s) => s.at === undefined);
  if (bad) return json(422, { error: 'invalid watched_at', watched_at: bad.leaf.when });

  const added = { movies: 0, episodes: 0 };
  for (const { leaf, at } of stamped) {
    if (leaf.type === 'movie') state.addPlay('movie', leaf.movie.trakt, at as string);
    else state.addPlay('episode', leaf.ref.episode.ids.trakt, at as string);
    added[leaf.type === 'movie' ? 'movies' : 'episodes']++;
  }
  const touched = [...(added.movies ? ['movie' as const] : []), ...(added.episodes ? ['episode' as const] : [])];
  if (touched.length) state.touchHistory(touched);
  return json(201, { added, not_found: notFound });
}

export function removeHistory(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveSync(call.body, state.index);
  const movieIds = new Set(leaves.flatMap((l) => (l.type === 'movie' ? [l.movie.trakt] : [])));
  const episodeIds = new Set(leaves.flatMap((l) => (l.type === 'episode' ? [l.ref.episode.ids.trakt] : [])));
  const historyIds = Array.isArray(call.body.ids) ? call.body.ids : [];
  const known = new Set(state.plays.map((p) => p.id));
  const wantedIds = new Set(historyIds.map(Number).filter((id) => known.has(id)));

  const removed = state.removePlays(
    (p) =>
      wantedIds.has(p.id) ||
      (p.movieId !== undefined && movieIds.has(p.movieId)) ||
      (p.episodeId !== undefined && episodeIds.has(p.episodeId)),
  );
  const deleted = {
    movies: removed.filter((p) => p.type === 'movie').length,
    episodes: removed.filter((p) => p.type === 'episode').length,
  };
  const touched = [...(deleted.movies ? ['movie' as const] : []), ...(deleted.episodes ? ['episode' as const] : [])];
  if (touched.length) state.touchHistory(touched);
  const missingIds = historyIds.filter((id) => !known.has(Number(id)));
  return json(200, { deleted, not_found: { ...notFound, ids: missingIds } });
}
