// POST /sync/collection(/remove) and GET /sync/collection[/:type] (api-facts §1.9). The collection
// holds movies and episodes; a show is posted and read as its collected episodes. Not paginated.
import type { EpisodeRef } from '../catalog-index';
import { json, type Call, type Reply } from '../http-io';
import { listKey, type TraktState } from '../state';
import type { CollectionEntry } from '../types';
import { episodeRelease, groupOf, mediaOf, movieRelease, postedDate, resolveListBody, touched, traktIdOf, zeroCounts } from './list-common';

export function addCollection(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'collection');
  const now = new Date().toISOString();
  const stamped = leaves.flatMap((leaf) => {
    if (leaf.type === 'show') return [];
    const raw = leaf.fields.collected_at;
    const at = raw === undefined ? undefined : postedDate(raw, () => (leaf.type === 'movie' ? movieRelease(leaf.movie) : episodeRelease(leaf.ref)));
    return [{ leaf, raw, at }];
  });
  // Validate first so a bad date leaves nothing half-written.
  const bad = stamped.find((s) => s.raw !== undefined && s.at === undefined);
  if (bad) return json(422, { error: 'invalid collected_at', collected_at: bad.raw });

  const added = zeroCounts();
  const updated = zeroCounts();
  const existing = zeroCounts();
  for (const { leaf, at } of stamped) {
    const traktId = traktIdOf(leaf);
    const key = listKey(leaf.type, traktId);
    const entry = state.collection.get(key);
    const group = groupOf(leaf.type);
    if (!entry) {
      state.collection.set(key, { type: leaf.type as CollectionEntry['type'], traktId, collectedAt: at ?? now, updatedAt: now });
      added[group]++;
    } else if (at !== undefined && at !== entry.collectedAt) {
      Object.assign(entry, { collectedAt: at, updatedAt: now });
      updated[group]++;
    } else {
      existing[group]++;
    }
  }
  state.touchList('collected_at', touched({ movies: added.movies + updated.movies, episodes: added.episodes + updated.episodes }));
  return json(201, { added, updated, existing, not_found: notFound });
}

export function removeCollection(state: TraktState, call: Call): Reply {
  const { leaves, notFound } = resolveListBody(call.body, state.index, 'collection');
  const deleted = zeroCounts();
  for (const leaf of leaves) if (state.collection.delete(listKey(leaf.type, traktIdOf(leaf)))) deleted[groupOf(leaf.type)]++;
  state.touchList('collected_at', touched(deleted));
  return json(200, { deleted, not_found: notFound });
}

export function readCollection(state: TraktState, _call: Call, type?: string): Reply {
  if (type !== undefined && type !== 'movies' && type !== 'shows') return json(404, { error: 'not_found' });
  const entries = [...state.collection.values()];
  const movies = type === 'shows' ? [] : movieRows(state, entries);
  const shows = type === 'movies' ? [] : showRows(state, entries);
  return json(200, [...movies, ...shows]);
}

function movieRows(state: TraktState, entries: CollectionEntry[]): unknown[] {
  return entries
    .filter((e) => e.type === 'movie')
    .sort((a, b) => b.collectedAt.localeCompare(a.collectedAt))
    .map((e) => ({ collected_at: e.collectedAt, updated_at: e.updatedAt, ...mediaOf(state, 'movie', e.traktId) }));
}

/** One row per show: its collected episodes by season, and the latest stamps among them. */
function showRows(state: TraktState, entries: CollectionEntry[]): unknown[] {
  const byShow = new Map<number, Array<{ entry: CollectionEntry; ref: EpisodeRef }>>();
  for (const entry of entries) {
    const ref = entry.type === 'episode' ? state.index.episode(entry.traktId) : undefined;
    if (!ref) continue;
    byShow.set(ref.show.trakt, [...(byShow.get(ref.show.trakt) ?? []), { entry, ref }]);
  }
  return [...byShow.entries()].map(([showId, list]) => {
    const seasons = new Map<number, Array<{ number: number; collected_at: string; metadata: Record<string, never> }>>();
    for (const { entry, ref } of list.sort((a, b) => a.ref.season.number - b.ref.season.number || a.ref.episode.number - b.ref.episode.number)) {
      const episodes = seasons.get(ref.season.number) ?? [];
      episodes.push({ number: ref.episode.number, collected_at: entry.collectedAt, metadata: {} });
      seasons.set(ref.season.number, episodes);
    }
    return {
      last_collected_at: list.map((x) => x.entry.collectedAt).sort().pop(),
      last_updated_at: list.map((x) => x.entry.updatedAt).sort().pop(),
      ...mediaOf(state, 'show', showId),
      seasons: [...seasons].map(([number, episodes]) => ({ number, episodes })),
    };
  });
}
