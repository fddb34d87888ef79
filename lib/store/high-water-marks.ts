import type { StateStore } from './state-store';

interface SyncStateFile {
  /** Epoch seconds of the newest item read, per source (shape of the reference's "Sync State"). */
  last_sync: Record<string, number>;
}

const FILE = 'sync-state.json';

/** Where each incremental reader stopped, so a restart neither re-reads nor skips. */
export class HighWaterMarks {
  constructor(private readonly store: StateStore) {}

  get(key: string): number | undefined {
    return this.read().last_sync[key];
  }

  /** Moves a mark forward; a mark never goes back (an older page arriving late must not re-open it). */
  advance(key: string, epochSeconds: number): void {
    const state = this.read();
    if ((state.last_sync[key] ?? -Infinity) >= epochSeconds) return;
    state.last_sync[key] = epochSeconds;
    this.store.writeJson(FILE, state);
  }

  reset(key: string): void {
    const state = this.read();
    delete state.last_sync[key];
    this.store.writeJson(FILE, state);
  }

  private read(): SyncStateFile {
    const state = this.store.readJson<Partial<SyncStateFile>>(FILE, {});
    return { last_sync: state.last_sync ?? {} };
  }
}
