// POST /sync/ratings(/remove) and GET /sync/ratings[/:type[/:rating]] (api-facts §1.9). A new
// rating of a rated item replaces it and counts as added, as on Trakt.
import { json, type Call, type Reply } from '../http-io';
import { listKey, type TraktState } from '../state';
import { episodeRelease, groupOf, mediaOf, movieRelease, paged, postedDate, resolveListBody, touched, traktIdOf, zeroCounts, type ListLeaf } from './list-common';

const TYPES: Record<string, string | undefined> = { movies: 'movie', shows: 'show', seasons: 'season', episodes: 'episode', all: undefined };

const releaseOf = (leaf: ListLeaf): number => (leaf.type === 'movie' ? movieRelease(leaf.movie) : leaf.type === 'episode' ? episodeRelease(leaf.ref) : Date.UTC(leaf.show.year, 0, 1));

export function addRatings(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'ratings');
  const now = new Date().toISOString();
  // Validate everything first: one bad rating or date and nothing is stored (Trakt's 422).
  const entries = leaves.map((leaf) => {
    const { rating, rated_at: ratedAt } = leaf.fields;
    const at = ratedAt === undefined ? now : postedDate(ratedAt, () => releaseOf(leaf));
    const ok = typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 10 && at !== undefined;
    return { leaf, rating: rating as number, at: at as string, ok };
  });
  const bad = entries.find((e) => !e.ok);
  if (bad) return json(422, { error: 'unprocessable_entity', error_description: 'rating must be an integer from 1 to 10, rated_at a date', rating: bad.leaf.fields.rating ?? null });

  const added = zeroCounts();
  for (const { leaf, rating, at } of entries) {
    state.ratings.set(listKey(leaf.type, traktIdOf(leaf)), { type: leaf.type, traktId: traktIdOf(leaf), rating, ratedAt: at });
    added[groupOf(leaf.type)]++;
  }
  state.touchList('rated_at', touched(added));
  return json(201, { added, not_found: notFound });
}

export function removeRatings(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'ratings');
  const deleted = zeroCounts();
  for (const leaf of leaves) if (state.ratings.delete(listKey(leaf.type, traktIdOf(leaf)))) deleted[groupOf(leaf.type)]++;
  state.touchList('rated_at', touched(deleted));
  return json(200, { deleted, not_found: notFound });
}

/** Newest rating first; `rating` filters by a comma list of values. Pagination optional. */
export function readRatings(state: TraktState, call: Call, type = 'all', rating?: string): Reply {
  if (!(type in TYPES)) return json(404, { error: 'not_found' });
  const wantedType = TYPES[type];
  const wantedRatings = rating === undefined ? undefined : new Set(rating.split(',').map(Number));
  const rows = [...state.ratings.values()]
    .filter((r) => (wantedType === undefined || r.type === wantedType) && (!wantedRatings || wantedRatings.has(r.rating)))
    .sort((a, b) => b.ratedAt.localeCompare(a.ratedAt))
    .map((r) => ({ rated_at: r.ratedAt, rating: r.rating, type: r.type, ...mediaOf(state, r.type, r.traktId) }));
  return paged(call, rows, { optional: true, defaultLimit: 10 });
}
