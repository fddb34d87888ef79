import type { MatchCaches } from '../../lib/match/caches';
import { IdCache } from '../../lib/store/id-cache';
import type { StateStore } from '../../lib/store/state-store';

const caches = new Map<string, MatchCaches>();

/** One cache object per tracker and state dir, shared by match and scrobble nodes (they would overwrite each other). */
export function idCachesFor(store: StateStore, kind: string): MatchCaches {
  const key = `${store.dir}|${kind}`;
  let found = caches.get(key);
  if (!found) {
    found = { movie: new IdCache(store, undefined, `id-cache-${kind}-movies.json`), show: new IdCache(store, undefined, `id-cache-${kind}-shows.json`) };
    caches.set(key, found);
  }
  return found;
}
