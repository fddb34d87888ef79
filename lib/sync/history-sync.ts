import { ClawarrError, UncertainWriteError } from '../core/errors';
import type { TrackerProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import type { PendingWrite, SyncLedger } from './ledger';
import { identityKeys, minuteOf, playKeys } from './play-keys';

export interface HistorySyncOptions {
  batchSize?: number;
  dryRun?: boolean;
  /** Plays without watchedAt: reject them (default) or send them as "unknown" date. */
  undated?: 'reject' | 'unknown';
  /** 'all': every play at a new minute is a new play (rewatch); 'first': only the first play of an item. */
  rewatches?: 'all' | 'first';
  /** How many times a write with an unknown outcome is checked and tried again. */
  uncertainRetries?: number;
}

export interface FailedPlay {
  item: MediaItem;
  reason: string;
}

export interface SyncReport {
  added: MediaItem[];
  skipped: MediaItem[];
  notFound: MediaItem[];
  failed: FailedPlay[];
  /** Dry run: what would have been written. */
  wouldAdd: MediaItem[];
  dryRun: boolean;
  writes: number;
  reads: number;
}

/** A report with nothing in it yet (history and list syncs start from the same one). */
export function emptyReport(dryRun: boolean): SyncReport {
  return { added: [], skipped: [], notFound: [], failed: [], wouldAdd: [], dryRun, writes: 0, reads: 0 };
}

export type ProgressListener = (done: number, total: number) => void;

/**
 * Writes plays to a tracker's history in bulk, at most once each. The ledger says what was already
 * confirmed; a write that ended without a clear answer is never re-sent before the tracker's
 * history for its time window has been read back.
 */
export class HistorySync {
  private readonly o: Required<HistorySyncOptions>;

  constructor(
    private readonly provider: TrackerProvider,
    private readonly ledger: SyncLedger,
    options: HistorySyncOptions = {},
  ) {
    this.o = { batchSize: 100, dryRun: false, undated: 'reject', rewatches: 'all', uncertainRetries: 3, ...options };
  }

  async sync(items: MediaItem[], onProgress: ProgressListener = () => undefined): Promise<SyncReport> {
    const report = emptyReport(this.o.dryRun);
    const toWrite = this.select(items, report);
    const total = items.length;
    let done = total - toWrite.length;
    onProgress(done, total);
    if (!toWrite.length) return report;

    if (this.o.dryRun) {
      report.wouldAdd.push(...toWrite);
      onProgress(total, total);
      return report;
    }

    try {
      await this.reconcileUnsettled(report);
    } catch (error) {
      // The tracker cannot be read: writing now could duplicate an earlier write.
      const reason = `not written: an earlier write's outcome is still unknown and could not be checked (${messageOf(error)})`;
      for (const item of toWrite) report.failed.push({ item, reason });
      onProgress(total, total);
      return report;
    }

    // Sorted by time so each batch covers a short window, should it need to be read back.
    toWrite.sort((a, b) => minuteOf(a.watchedAt).localeCompare(minuteOf(b.watchedAt)));
    const pendingNow = toWrite.filter((item) => !this.ledger.isSynced(item));
    report.skipped.push(...toWrite.filter((item) => this.ledger.isSynced(item)));
    for (let start = 0; start < pendingNow.length; start += this.o.batchSize) {
      const batch = pendingNow.slice(start, start + this.o.batchSize);
      const fatal = await this.writeBatch(batch, report);
      done += batch.length;
      onProgress(Math.min(done, total), total);
      if (fatal) {
        const rest = pendingNow.slice(start + this.o.batchSize);
        for (const item of rest) report.failed.push({ item, reason: `not written: ${fatal}` });
        break;
      }
    }
    onProgress(total, total);
    return report;
  }

  /** Drops what must not be written and returns the plays to write, in input order. */
  private select(items: MediaItem[], report: SyncReport): MediaItem[] {
    const seen = new Set<string>();
    const seenItems = new Set<string>();
    const firstOnly = this.o.rewatches === 'first';
    const out: MediaItem[] = [];
    // 'first': the earliest play of an item wins, whatever the input order.
    const ordered = firstOnly ? [...items].sort((a, b) => minuteOf(a.watchedAt).localeCompare(minuteOf(b.watchedAt))) : items;
    for (const original of ordered) {
      let item = original;
      if (item.type === 'show') {
        report.failed.push({ item, reason: 'a show is not a play: send its episodes (a whole show would mark every episode watched)' });
        continue;
      }
      if (!item.watchedAt) {
        if (this.o.undated === 'reject') {
          report.failed.push({ item, reason: 'no watchedAt: the play has no date (set "plays without a date" to "unknown date" to send it anyway)' });
          continue;
        }
        item = { ...item, watchedAt: 'unknown' };
      }
      const keys = playKeys(item);
      if (keys.length === 0) {
        report.failed.push({ item, reason: 'the item has neither ids nor a title, so the tracker cannot find it' });
        continue;
      }
      if (
        keys.some((key) => seen.has(key)) ||
        this.ledger.isSynced(item) ||
        (firstOnly && (this.ledger.hasAnyPlay(item) || identityKeys(item).some((key) => seenItems.has(key))))
      ) {
        report.skipped.push(original);
        continue;
      }
      if (this.ledger.wasNotFoundRecently(item)) {
        report.notFound.push(original);
        continue;
      }
      keys.forEach((key) => seen.add(key));
      if (firstOnly) identityKeys(item).forEach((key) => seenItems.add(key));
      out.push(item);
    }
    return out;
  }

  /** Returns a reason when nothing more should be tried in this flush (auth, locked account). */
  private async writeBatch(batch: MediaItem[], report: SyncReport): Promise<string | undefined> {
    let remaining = batch;
    for (let attempt = 0; attempt <= this.o.uncertainRetries && remaining.length; attempt++) {
      const pending = this.ledger.beginWrite(remaining);
      try {
        report.writes += 1;
        const result = await this.provider.addHistory(remaining);
        const notFound = result.notFound.map((i) => remaining[i]);
        const accepted = remaining.filter((_, i) => !result.notFound.includes(i));
        const expected = { movies: 0, episodes: 0 };
        for (const item of accepted) expected[item.type === 'movie' ? 'movies' : 'episodes'] += 1;
        if (result.added.movies < expected.movies || result.added.episodes < expected.episodes) {
          // Fewer added than sent and not all reported missing: read back which ones landed.
          let landed: { found: MediaItem[]; missing: MediaItem[] };
          try {
            landed = await this.readBack(pending, accepted, report);
          } catch (readError) {
            // Some of these did land and we cannot tell which: leave the write unsettled so the next flush reads
            // its window before writing anything (settling here would make a re-run send the landed ones again).
            this.ledger.recordNotFound(notFound);
            report.notFound.push(...notFound);
            const reason = `outcome unknown (${this.provider.label} added fewer plays than were sent and its history could not be read: ${messageOf(readError)}); it will be checked against ${this.provider.label} before any retry`;
            for (const item of accepted) report.failed.push({ item, reason });
            return undefined;
          }
          this.ledger.recordConfirmed(landed.found);
          report.added.push(...landed.found);
          this.ledger.recordNotFound(landed.missing);
          report.notFound.push(...landed.missing);
        } else {
          this.ledger.recordConfirmed(accepted);
          report.added.push(...accepted);
        }
        this.ledger.recordNotFound(notFound);
        report.notFound.push(...notFound);
        this.ledger.settle(pending.batch);
        return undefined;
      } catch (error) {
        if (!(error instanceof UncertainWriteError)) {
          // A clear refusal: nothing was written.
          this.ledger.settle(pending.batch);
          for (const item of remaining) report.failed.push({ item, reason: `not written: ${messageOf(error)}` });
          return isFatal(error) ? messageOf(error) : undefined;
        }
        try {
          const landed = await this.readBack(pending, remaining, report);
          this.ledger.recordConfirmed(landed.found);
          report.added.push(...landed.found);
          this.ledger.settle(pending.batch);
          remaining = landed.missing;
        } catch (readError) {
          // Left unsettled on purpose: the next flush reads this window before writing anything.
          const reason = `outcome unknown (${messageOf(error)}); it will be checked against ${this.provider.label} before any retry (${messageOf(readError)})`;
          for (const item of remaining) report.failed.push({ item, reason });
          return undefined;
        }
      } finally {
        this.ledger.endWrite(pending.batch);
      }
    }
    for (const item of remaining) report.failed.push({ item, reason: `not written: ${this.provider.label} kept failing after ${this.o.uncertainRetries + 1} attempts` });
    return undefined;
  }

  private async readBack(pending: PendingWrite, items: MediaItem[], report: SyncReport): Promise<{ found: MediaItem[]; missing: MediaItem[] }> {
    report.reads += 1;
    const rows = await this.provider.readHistory({ from: pending.from, to: pending.to, types: pending.types });
    const onTracker = new Set(rows.flatMap(playKeys));
    const found: MediaItem[] = [];
    const missing: MediaItem[] = [];
    for (const item of items) (playKeys(item).some((key) => onTracker.has(key)) ? found : missing).push(item);
    return { found, missing };
  }

  /** Plays whose write never got an answer (crash, timeout) are confirmed from the tracker's history. */
  private async reconcileUnsettled(report: SyncReport): Promise<void> {
    for (const pending of this.ledger.unsettled()) {
      report.reads += 1;
      const rows = await this.provider.readHistory({ from: pending.from, to: pending.to, types: pending.types });
      this.ledger.recordConfirmed(rows);
      this.ledger.settle(pending.batch);
    }
  }
}

function isFatal(error: unknown): boolean {
  return error instanceof ClawarrError && ['auth_required', 'account_locked', 'account_limit', 'blocked', 'config', 'rate_limited'].includes(error.code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
