// POST /sync/watchlist(/remove) and GET /sync/watchlist[/:type[/:sort]] (api-facts §1.9), with
// the free account's item limit: over it, 420 and the headers Trakt sends with it.
import { json, type Call, type Reply } from '../http-io';
import { listKey, type TraktState } from '../state';
import { groupOf, mediaOf, paged, resolveListBody, touched, traktIdOf, zeroCounts } from './list-common';

const TYPES: Record<string, string | undefined> = { movies: 'movie', shows: 'show', seasons: 'season', episodes: 'episode', all: undefined };

function listInfo(state: TraktState): { item_count: number; updated_at: string } {
  const stamps = [...state.watchlist.values()].map((e) => e.listedAt).sort();
  return { item_count: state.watchlist.size, updated_at: stamps.pop() ?? state.lastActivities.all };
}

export function addWatchlist(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'watchlist');
  const fresh = new Map(leaves.filter((l) => !state.watchlist.has(listKey(l.type, traktIdOf(l)))).map((l) => [listKey(l.type, traktIdOf(l)), l]));
  const limit = state.options.watchlistLimit;
  // Nothing is added when the whole request does not fit; existing items do not count twice.
  if (fresh.size && state.watchlist.size + fresh.size > limit) {
    return json(420, {}, { 'X-Account-Limit': String(limit), 'X-Upgrade-URL': 'https://trakt.tv/vip', 'X-VIP-User': 'false' });
  }
  const added = zeroCounts();
  const existing = zeroCounts();
  const now = new Date().toISOString();
  for (const leaf of leaves) {
    const key = listKey(leaf.type, traktIdOf(leaf));
    if (!fresh.delete(key)) {
      existing[groupOf(leaf.type)]++;
      continue;
    }
    state.watchlist.set(key, { id: state.nextListEntryId++, type: leaf.type, traktId: traktIdOf(leaf), listedAt: now });
    added[groupOf(leaf.type)]++;
  }
  state.touchList('watchlisted_at', touched(added));
  return json(201, { added, existing, not_found: notFound, list: listInfo(state) });
}

export function removeWatchlist(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'watchlist');
  const deleted = zeroCounts();
  for (const leaf of leaves) if (state.watchlist.delete(listKey(leaf.type, traktIdOf(leaf)))) deleted[groupOf(leaf.type)]++;
  state.touchList('watchlisted_at', touched(deleted));
  return json(200, { deleted, not_found: notFound, list: listInfo(state) });
}

/** In rank order (the order added); only the default sort. Pagination optional. */
export function readWatchlist(state: TraktState, call: Call, type = 'all'): Reply {
  if (!(type in TYPES)) return json(404, { error: 'not_found' });
  const wanted = TYPES[type];
  const rows = [...state.watchlist.values()]
    .sort((a, b) => a.id - b.id)
    .map((e, i) => ({ rank: i + 1, id: e.id, listed_at: e.listedAt, notes: null, type: e.type, ...mediaOf(state, e.type, e.traktId) }))
    .filter((row) => wanted === undefined || row.type === wanted);
  return paged(call, rows, { optional: true, defaultLimit: 10 });
}
