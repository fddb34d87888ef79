import { foldTitle } from '../schema/fold-title';
import type { MediaIds } from '../schema/types';
import type { StateStore } from './state-store';

interface CacheEntry {
  /** Ids found for the title; absent for a remembered miss. */
  ids?: MediaIds;
  /** Epoch ms when the entry was written. */
  at: number;
}

const FILE = 'id-cache.json';
const DEFAULT_MISS_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Ids found for a title, keyed like the reference's "ID Caching" (`inception_2010`), so a re-run
 * does not search again. Misses are remembered for a while too, then searched again (the tracker
 * may have added the title since).
 */
export class IdCache {
  private readonly entries: Record<string, CacheEntry>;
  private dirty = false;

  constructor(
    private readonly store: StateStore,
    private readonly missTtlMs = DEFAULT_MISS_TTL_MS,
    /** One file per tracker and media type, so their ids never mix (`id-cache.trakt.movie.json`). */
    private readonly file = FILE,
  ) {
    this.entries = store.readJson<Record<string, CacheEntry>>(file, {});
  }

  /** `inception_2010`: folded title (accents and punctuation dropped) and year. */
  static keyOf(title: string, year?: number): string {
    const folded = foldTitle(title, '_');
    return year ? `${folded}_${year}` : folded;
  }

  /** The cached ids, 'miss' for a recent miss, or undefined when the title must be looked up. */
  get(key: string, now = Date.now()): MediaIds | 'miss' | undefined {
    const entry = this.entries[key];
    if (!entry) return undefined;
    if (entry.ids) return entry.ids;
    return now - entry.at < this.missTtlMs ? 'miss' : undefined;
  }

  /** When a remembered miss stops being believed (epoch ms), or undefined when there is no miss. */
  missExpiry(key: string): number | undefined {
    const entry = this.entries[key];
    return entry && !entry.ids ? entry.at + this.missTtlMs : undefined;
  }

  set(key: string, ids: MediaIds): void {
    this.entries[key] = { ids: { ...this.entries[key]?.ids, ...ids }, at: Date.now() };
    this.dirty = true;
  }

  setMiss(key: string): void {
    this.entries[key] = { at: Date.now() };
    this.dirty = true;
  }

  /** Writes the cache (atomically) if anything changed since the last save. */
  save(): void {
    if (!this.dirty) return;
    this.store.writeJson(this.file, this.entries);
    this.dirty = false;
  }
}
