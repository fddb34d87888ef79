import type { MediaItem } from '../schema/types';
import { safeName, type StateStore } from '../store/state-store';
import { identityKeys, minuteOf, playKeys } from './play-keys';

type JournalRecord =
  | { op: 'ok'; plays: string[][] }
  | { op: 'nf'; at: number; plays: string[][] }
  | { op: 'pending'; batch: string; from: string; to: string; types: Array<'movie' | 'episode'> }
  | { op: 'settled'; batch: string }
  // A live scrobble: its identities, its minute and how far from it another play is the same sitting.
  | { op: 'sc'; keys: string[]; at: string; win: number }
  | { op: 'ls'; keys: string[] };

export interface PendingWrite {
  batch: string;
  from: string;
  to: string;
  types: Array<'movie' | 'episode'>;
}

/** How long a "not found on the tracker" answer is believed before the play is tried again. */
const NOT_FOUND_TTL_MS = 7 * 24 * 3600 * 1000;

/** Trakt's own "just scrobbled" (409) window is an hour; a source's time for the same sitting falls well inside it. */
export const SCROBBLE_WINDOW_MINUTES = 60;

const MINUTE_MS = 60_000;

/**
 * The sync ledger of one tracker account: which plays the tracker confirmed (so none is written
 * twice, also across restarts), which plays were scrobbled live (so a history sync of the same
 * sitting writes nothing), and which writes are in flight or ended without an answer (so the next
 * attempt reads the tracker's history before writing again). Append-only journal, fsynced.
 */
export class SyncLedger {
  private static readonly open_ = new Map<string, SyncLedger>();

  /** One ledger object per account and state dir, however many nodes and config nodes use it. */
  static open(store: StateStore, account: string): SyncLedger {
    const key = `${store.dir}|${account}`;
    let ledger = SyncLedger.open_.get(key);
    if (!ledger) {
      ledger = new SyncLedger(store, account);
      SyncLedger.open_.set(key, ledger);
    }
    return ledger;
  }

  /** Forgets cached ledgers (tests that simulate a restart in one process). */
  static closeAll(): void {
    SyncLedger.open_.clear();
  }

  private readonly confirmed = new Set<string>();
  private readonly listed = new Set<string>();
  /** Ratings: the value last confirmed per identity, so a rating changed back to an earlier value is written again. */
  private readonly rated = new Map<string, string>();
  private readonly watchedItems = new Set<string>();
  private readonly notFound = new Map<string, number>();
  private readonly pending = new Map<string, PendingWrite>();
  /**
   * Writes this process has on the way now. Not yet unsettled: another sync on the same account
   * reading their window back before they land would settle them and lose the check they need.
   */
  private readonly inFlight = new Set<string>();
  /** Identity key → scrobbled plays (minute in ms, window in minutes). */
  private readonly scrobbles = new Map<string, Array<{ at: number; win: number }>>();
  private readonly file: string;

  constructor(
    private readonly store: StateStore,
    readonly account: string,
  ) {
    this.file = `ledger-${safeName(account)}.jsonl`;
    for (const record of store.readLines<JournalRecord>(this.file)) this.apply(record);
  }

  get size(): number {
    return this.confirmed.size;
  }

  /**
   * True when the tracker already holds this play: confirmed at the same minute, or scrobbled live
   * within the scrobble's window (a source reports the same sitting a few minutes off the scrobble).
   */
  isSynced(item: MediaItem): boolean {
    if (playKeys(item).some((key) => this.confirmed.has(key))) return true;
    if (!this.scrobbles.size) return false;
    const at = Date.parse(minuteOf(item.watchedAt));
    return identityKeys(item).some((key) => (this.scrobbles.get(key) ?? []).some((s) => Math.abs(at - s.at) <= s.win * MINUTE_MS));
  }

  /**
   * Any play of this item, confirmed or scrobbled, within ±windowMinutes of `at`: a live stop must
   * not add a play a history sync (or an earlier stop) already wrote for this sitting.
   */
  hasPlayNear(item: MediaItem, at: number | string, windowMinutes = SCROBBLE_WINDOW_MINUTES): boolean {
    const keys = identityKeys(item);
    const base = Date.parse(minuteOf(typeof at === 'number' ? new Date(at).toISOString() : at));
    if (keys.some((key) => (this.scrobbles.get(key) ?? []).some((s) => Math.abs(base - s.at) <= windowMinutes * MINUTE_MS))) return true;
    // Confirmed plays are kept by minute: look each minute of the window up (cheaper than an index by item).
    for (let offset = -windowMinutes; offset <= windowMinutes; offset++) {
      const minute = minuteOf(new Date(base + offset * MINUTE_MS).toISOString());
      if (keys.some((key) => this.confirmed.has(`${key}@${minute}`))) return true;
    }
    return false;
  }

  /** For the "first play only" rewatch policy: any play of this item, at any time. */
  hasAnyPlay(item: MediaItem): boolean {
    return identityKeys(item).some((key) => this.watchedItems.has(key));
  }

  wasNotFoundRecently(item: MediaItem, now = Date.now()): boolean {
    return playKeys(item).some((key) => (this.notFound.get(key) ?? 0) > now - NOT_FOUND_TTL_MS);
  }

  recordConfirmed(items: MediaItem[]): void {
    if (!items.length) return;
    this.write({ op: 'ok', plays: items.map(playKeys) });
  }

  /**
   * Remembers a live scrobble so a history sync of the same sitting writes nothing: any play of
   * the item within ±windowMinutes of `watchedAt` counts as this one.
   */
  recordScrobbled(item: MediaItem, watchedAt: string, windowMinutes = SCROBBLE_WINDOW_MINUTES): void {
    const keys = identityKeys(item);
    if (!keys.length) return;
    this.write({ op: 'sc', keys, at: minuteOf(watchedAt), win: windowMinutes });
  }

  /**
   * Ratings, watchlist and collection entries the tracker confirmed. A rating is keyed with its value,
   * so a changed rating is written again; a watchlist or collection entry only once.
   */
  isListed(list: string, item: MediaItem): boolean {
    if (list === 'ratings') return listKeys(list, item).some((key) => this.rated.get(key.slice(0, key.lastIndexOf('='))) === key.slice(key.lastIndexOf('=') + 1));
    return listKeys(list, item).some((key) => this.listed.has(key));
  }

  recordListed(list: string, items: MediaItem[]): void {
    const keys = items.flatMap((item) => listKeys(list, item));
    if (keys.length) this.write({ op: 'ls', keys });
  }

  recordNotFound(items: MediaItem[]): void {
    if (!items.length) return;
    this.write({ op: 'nf', at: Date.now(), plays: items.map(playKeys) });
  }

  /** Written before the request leaves, so a crash mid-write is noticed at the next start. */
  beginWrite(items: MediaItem[]): PendingWrite {
    const minutes = items.map((item) => minuteOf(item.watchedAt)).sort();
    const pending: PendingWrite = {
      batch: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      from: `${minutes[0].slice(0, 16)}:00.000Z`,
      to: `${minutes[minutes.length - 1].slice(0, 16)}:59.999Z`,
      types: [...new Set(items.map((item) => (item.type === 'episode' ? 'episode' : 'movie') as 'movie' | 'episode'))],
    };
    this.write({ op: 'pending', ...pending });
    this.inFlight.add(pending.batch);
    return pending;
  }

  /** The write of `batch` is over; unless settled, it now shows in unsettled(). */
  endWrite(batch: string): void {
    this.inFlight.delete(batch);
  }

  settle(batch: string): void {
    this.write({ op: 'settled', batch });
  }

  /**
   * Writes that never got a clear answer (left unchecked, or cut by a crash): their window must be
   * read back before writing again. Writes still on the way in this process are not among them.
   */
  unsettled(): PendingWrite[] {
    return [...this.pending.values()].filter((pending) => !this.inFlight.has(pending.batch));
  }

  private write(record: JournalRecord): void {
    this.store.appendLines(this.file, [record]);
    this.apply(record);
  }

  private apply(record: JournalRecord): void {
    switch (record.op) {
      case 'ok':
        for (const keys of record.plays) {
          for (const key of keys) {
            this.confirmed.add(key);
            this.watchedItems.add(key.slice(0, key.lastIndexOf('@')));
            this.notFound.delete(key);
          }
        }
        break;
      case 'nf':
        for (const keys of record.plays) for (const key of keys) this.notFound.set(key, record.at);
        break;
      case 'pending':
        this.pending.set(record.batch, { batch: record.batch, from: record.from, to: record.to, types: record.types });
        break;
      case 'settled':
        this.pending.delete(record.batch);
        break;
      case 'ls':
        if (!Array.isArray(record.keys)) break;
        for (const key of record.keys) {
          // `ratings:<identity>=<value>`: the journal is replayed in order, so the latest value wins.
          const eq = key.startsWith('ratings:') ? key.lastIndexOf('=') : -1;
          if (eq >= 0) this.rated.set(key.slice(0, eq), key.slice(eq + 1));
          else this.listed.add(key);
        }
        break;
      case 'sc': {
        const at = Date.parse(record.at);
        if (Number.isNaN(at) || !Array.isArray(record.keys)) break;
        for (const key of record.keys) {
          const list = this.scrobbles.get(key) ?? [];
          list.push({ at, win: Number(record.win) || SCROBBLE_WINDOW_MINUTES });
          this.scrobbles.set(key, list);
          this.watchedItems.add(key);
        }
        break;
      }
      // Unknown ops (written by a later version) are skipped, not fatal.
    }
  }
}

/** `ratings:movie:imdb:tt0110413=9`, `watchlist:show:tvdb:121361`: one key per identity of the item. */
function listKeys(list: string, item: MediaItem): string[] {
  const suffix = list === 'ratings' ? `=${item.rating ?? ''}` : '';
  return identityKeys(item).map((key) => `${list}:${key}${suffix}`);
}
