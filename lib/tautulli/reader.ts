import type { MediaItem } from '../schema/types';
import type { TautulliClient } from './client';
import { HistoryCursor, type ReaderSnapshot } from './cursor';
import { parseGuid } from './guids';
import { isRejection, type RowMetadata, rowToItem } from './mapping';
import type { MetadataCache } from './metadata-cache';
import type { HistoryQuery, TautulliHistoryRow } from './types';
import { toNumber, toText } from './values';

export type { ReaderSnapshot } from './cursor';

export interface ReaderState {
  load(): ReaderSnapshot;
  save(state: ReaderSnapshot): void;
}

export interface ReadOptions {
  /** Epoch seconds: read plays that stopped from then on, whatever was read before (overrides the mark). */
  since?: number;
  /** Plex usernames (Tautulli's `user` filter). */
  users?: string[];
  /** Default both. */
  mediaTypes?: Array<'movie' | 'episode'>;
  /** 'watched' (default): what Tautulli counts as watched; a number: at least that percent played. */
  minWatched?: 'watched' | number;
  /** Tautulli's grouping of resumed sessions into one play; default true. */
  grouping?: boolean;
  /** Rows per get_history request; default 1000. */
  pageSize?: number;
}

export interface ReaderPage {
  items: MediaItem[];
  rejected: Array<{ row: TautulliHistoryRow; reason: string }>;
  /** Rows read so far, of `total` rows matching the query. */
  done: number;
  total: number;
}

export interface ReadResult {
  items: number;
  rejected: number;
  pages: number;
  requests: { history: number; metadata: number };
}

const DAY = 86_400;

/**
 * Incremental reads of Tautulli's history, oldest first. The state moves only after a page has
 * been handed over, so a failure re-reads from the last page handed over: nothing skipped, and a
 * play emitted once is not emitted again (nor is its continuation, when Tautulli groups a resumed
 * session into it).
 */
export class HistoryReader {
  constructor(
    private readonly client: TautulliClient,
    private readonly metadata: MetadataCache,
    private readonly state: ReaderState,
  ) {}

  async read(options: ReadOptions, onPage: (page: ReaderPage) => Promise<void> | void): Promise<ReadResult> {
    const cursor = new HistoryCursor(this.state.load());
    const since = options.since;
    const mark = since ?? cursor.mark;
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? 1000));
    const query: HistoryQuery = {
      start: 0,
      length: pageSize,
      order_column: 'stopped',
      order_dir: 'asc',
      grouping: options.grouping === false ? 0 : 1,
      include_activity: 0,
      after: mark === undefined ? undefined : dayBefore(mark),
      user: listParam(options.users),
      media_type: listParam(options.mediaTypes?.length ? options.mediaTypes : ['movie', 'episode']),
    };
    const fetchesBefore = this.metadata.fetches;
    const result: ReadResult = { items: 0, rejected: 0, pages: 0, requests: { history: 0, metadata: 0 } };

    for (;;) {
      const page = await this.client.getHistory(query);
      result.pages += 1;
      result.requests.history += 1;
      const candidates = newPlays(page.rows, cursor, { mark, since, minWatched: options.minWatched });
      const metadata = await this.resolve(candidates);
      const out: ReaderPage = { items: [], rejected: [], done: query.start + page.rows.length, total: page.filtered };
      for (const row of candidates) {
        const mapped = rowToItem(row, metadata.get(toText(row.rating_key) ?? ''));
        if (isRejection(mapped)) out.rejected.push({ row, reason: mapped.error });
        else out.items.push(mapped);
        cursor.handled(row);
      }
      result.requests.metadata = this.metadata.fetches - fetchesBefore;
      await onPage(out);
      result.items += out.items.length;
      result.rejected += out.rejected.length;
      this.state.save(cursor.snapshot());
      this.saveMetadata();
      query.start += page.rows.length;
      if (page.rows.length < pageSize || query.start >= page.filtered) break;
    }
    return result;
  }

  /** get_metadata for plex:// rows, once per distinct rating key (an episode's call brings its show's ids too). */
  private async resolve(rows: TautulliHistoryRow[]): Promise<Map<string, RowMetadata | undefined>> {
    const keys = new Set<string>();
    for (const row of rows) {
      const key = toText(row.rating_key);
      if (key && parseGuid(row.guid).needsMetadata) keys.add(key);
    }
    const found = new Map<string, RowMetadata | undefined>();
    await Promise.all([...keys].map(async (key) => found.set(key, await this.metadata.get(key))));
    return found;
  }

  private saveMetadata(): void {
    try {
      this.metadata.save();
    } catch {
      // Only a cache: the next run asks Tautulli again; the read itself has succeeded.
    }
  }
}

/** The rows of a page that are plays to hand out; the cursor learns about every row. */
function newPlays(rows: TautulliHistoryRow[], cursor: HistoryCursor, rule: { mark?: number; since?: number; minWatched: ReadOptions['minWatched'] }): TautulliHistoryRow[] {
  const out: TautulliHistoryRow[] = [];
  for (const row of rows) {
    const stopped = toNumber(row.stopped);
    const timed = stopped !== undefined && stopped > 0;
    cursor.passed(stopped);
    // The day of margin in `after` brings back rows read before; only later ones are new.
    if (timed && rule.mark !== undefined && stopped < rule.mark) continue;
    // With `since` the user asks for a re-read: plays handed out before come out again.
    if (rule.since === undefined && cursor.seen(row)) {
      cursor.handled(row);
      continue;
    }
    // A row without a stop time is not filtered: it becomes a rejection the user sees.
    if (timed && !watchedEnough(row, rule.minWatched)) continue;
    out.push(row);
  }
  return out;
}

function watchedEnough(row: TautulliHistoryRow, minWatched: ReadOptions['minWatched']): boolean {
  if (typeof minWatched === 'number') return (toNumber(row.percent_complete) ?? 0) >= minWatched;
  return toNumber(row.watched_status) === 1;
}

/**
 * How far before the mark `after` reaches. `after` compares the sitting's START, in the Tautulli
 * server's local date, while the mark is the last STOP read: a sitting that started before the
 * mark and stopped after it (a film paused overnight) must still come back. Three days cover such
 * sittings of up to 60 hours in any time zone; rows stopped before the mark are dropped anyway.
 */
const AFTER_MARGIN = 3 * DAY;

/** The `after` date (inclusive) of a read from `epochSeconds` on. */
export function dayBefore(epochSeconds: number): string {
  return new Date((epochSeconds - AFTER_MARGIN) * 1000).toISOString().slice(0, 10);
}

function listParam(list: string[] | undefined): string | undefined {
  const items = (list ?? []).map((s) => s.trim()).filter(Boolean);
  return items.length ? items.join(',') : undefined;
}
