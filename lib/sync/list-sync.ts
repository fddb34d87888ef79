import { ClawarrError } from '../core/errors';
import type { ListKind, ListProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import type { SyncLedger } from './ledger';
import { emptyReport, type ProgressListener, type SyncReport } from './history-sync';
import { identityKeys } from './play-keys';

/** The same report as a history sync's (the sync-history node shows either); this name stays for code importing it. */
export type ListSyncReport = SyncReport;

/**
 * Writes items to a tracker's ratings, watchlist or collection in batches, each at most once (a
 * rating again when its value changed). Unlike history, these writes are idempotent on the tracker
 * (a second add updates, it does not duplicate), so a write without an answer may simply be retried.
 */
export class ListSync {
  constructor(
    private readonly provider: ListProvider,
    private readonly ledger: SyncLedger,
    private readonly list: ListKind,
    private readonly options: { batchSize?: number; dryRun?: boolean } = {},
  ) {}

  async sync(items: MediaItem[], onProgress: ProgressListener = () => undefined): Promise<SyncReport> {
    const report = emptyReport(this.options.dryRun === true);
    const toWrite = this.select(items, report);
    let done = items.length - toWrite.length;
    onProgress(done, items.length);
    if (this.options.dryRun) {
      report.wouldAdd.push(...toWrite);
      onProgress(items.length, items.length);
      return report;
    }
    const batchSize = this.options.batchSize ?? 100;
    for (let start = 0; start < toWrite.length; start += batchSize) {
      const batch = toWrite.slice(start, start + batchSize);
      try {
        report.writes += 1;
        const result = await this.provider.addToList(this.list, batch);
        const notFound = new Set(result.notFound);
        const found = batch.filter((_, i) => !notFound.has(i));
        this.ledger.recordListed(this.list, found);
        report.added.push(...found);
        report.notFound.push(...batch.filter((_, i) => notFound.has(i)));
      } catch (error) {
        const reason = `not written: ${(error as Error).message}`;
        // An account limit or a refused token stops the rest; other errors cost only this batch.
        const fatal = error instanceof ClawarrError && ['auth_required', 'account_locked', 'account_limit', 'blocked', 'config'].includes(error.code);
        for (const item of fatal ? toWrite.slice(start) : batch) report.failed.push({ item, reason });
        if (fatal) break;
      }
      done += batch.length;
      onProgress(Math.min(done, items.length), items.length);
    }
    return report;
  }

  private select(items: MediaItem[], report: SyncReport): MediaItem[] {
    const seen = new Set<string>();
    const out: MediaItem[] = [];
    for (const item of items) {
      if (this.list === 'ratings' && !(Number.isInteger(item.rating) && item.rating! >= 1 && item.rating! <= 10)) {
        report.failed.push({ item, reason: 'no rating: ratings need "rating" from 1 to 10' });
        continue;
      }
      if (item.type === 'show' && this.list !== 'watchlist' && this.list !== 'ratings') {
        report.failed.push({ item, reason: `a whole show cannot go into the ${this.list}: send its episodes` });
        continue;
      }
      const keys = identityKeys(item);
      if (!keys.length) {
        report.failed.push({ item, reason: 'the item has neither ids nor a title, so the tracker cannot find it' });
        continue;
      }
      if (this.ledger.isListed(this.list, item) || keys.some((key) => seen.has(key))) {
        report.skipped.push(item);
        continue;
      }
      keys.forEach((key) => seen.add(key));
      out.push(item);
    }
    return out;
  }
}
