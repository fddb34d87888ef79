import { safeName, type StateStore } from '../store/state-store';
import type { TautulliMetadata } from './types';

/** What the cache needs from the client (a fake in tests). */
export interface MetadataSource {
  readonly url: string;
  getMetadata(ratingKey: string | number): Promise<TautulliMetadata | undefined>;
}

/** The parts of get_metadata that mapping uses: ids, and the show's year (the history row has only the episode's). */
type CachedMetadata = Pick<TautulliMetadata, 'guids' | 'grandparent_guids' | 'grandparent_year'>;

/**
 * get_metadata by rating key, asked once per item: concurrent asks share one request, answers are
 * kept for the client's life and, with a store, across restarts. "Not found" is kept in memory
 * only, so an item Plex re-adds is looked up again after a restart.
 */
export class MetadataCache {
  private readonly known = new Map<string, CachedMetadata | undefined>();
  private readonly pending = new Map<string, Promise<TautulliMetadata | undefined>>();
  private readonly file: string;
  private dirty = false;
  /** Requests sent to Tautulli so far. */
  fetches = 0;

  constructor(
    private readonly source: MetadataSource,
    private readonly store?: StateStore,
  ) {
    this.file = `tautulli-metadata-${safeName(source.url)}.json`;
    const saved = store?.readJson<Record<string, CachedMetadata>>(this.file, {}) ?? {};
    for (const [key, value] of Object.entries(saved)) this.known.set(key, value);
  }

  async get(ratingKey: string | number): Promise<TautulliMetadata | undefined> {
    const key = String(ratingKey);
    if (this.known.has(key)) return this.known.get(key);
    let request = this.pending.get(key);
    if (!request) {
      this.fetches += 1;
      request = this.source.getMetadata(key).then(
        (metadata) => {
          this.pending.delete(key);
          this.remember(key, metadata);
          return this.known.get(key);
        },
        (error: unknown) => {
          // A failure is not an answer: the next ask tries again.
          this.pending.delete(key);
          throw error;
        },
      );
      this.pending.set(key, request);
    }
    return request;
  }

  /** Writes new answers to the state store (atomically); a no-op without a store or news. */
  save(): void {
    if (!this.store || !this.dirty) return;
    const out: Record<string, CachedMetadata> = {};
    for (const [key, value] of this.known) if (value) out[key] = value;
    this.store.writeJson(this.file, out);
    this.dirty = false;
  }

  private remember(key: string, metadata: TautulliMetadata | undefined): void {
    if (!metadata) {
      this.known.set(key, undefined);
      return;
    }
    const kept: CachedMetadata = {};
    if (Array.isArray(metadata.guids)) kept.guids = metadata.guids.filter((g) => typeof g === 'string');
    if (Array.isArray(metadata.grandparent_guids)) kept.grandparent_guids = metadata.grandparent_guids.filter((g) => typeof g === 'string');
    if (metadata.grandparent_year) kept.grandparent_year = String(metadata.grandparent_year);
    this.known.set(key, kept);
    this.dirty = true;
  }
}
