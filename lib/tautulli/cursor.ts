import type { TautulliHistoryRow } from './types';
import { toId, toNumber } from './values';

/** What a reader persists between runs. `open` is clawarr's addition to the brief's `{ hwm, seen }`. */
export interface ReaderSnapshot {
  /** Largest `stopped` (epoch s) of the rows read so far. */
  hwm?: number;
  /** Session ids already handed out: the latest ones (which cover every row at `hwm`) plus `open`. */
  seen: number[];
  /** Session ids of plays handed out that Tautulli may still extend (see `HistoryCursor.handled`). */
  open?: number[];
}

/** The latest handed-out ids kept: far more than the rows that can share one `stopped` second. */
const RECENT_LIMIT = 1000;
const OPEN_LIMIT = 1000;

/**
 * Every session id a history row stands for: its group_ids, plus reference_id, the first session
 * of the play. With `after`, Tautulli filters sessions before grouping, so a continuation can come
 * back as a group without its first session; reference_id still names it.
 */
export function playIds(row: TautulliHistoryRow): number[] {
  const ids = String(row.group_ids ?? '')
    .split(',')
    .map(toId)
    .filter((id): id is number => id !== undefined);
  for (const extra of [row.reference_id, row.row_id ?? row.id]) {
    const id = toId(extra);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Where an incremental read stands: the high-water mark and the plays already handed out. */
export class HistoryCursor {
  private hwm?: number;
  private readonly recent: number[];
  private readonly open: number[];
  private readonly seenSet: Set<number>;

  constructor(snapshot: Partial<ReaderSnapshot> | undefined) {
    const hwm = toNumber(snapshot?.hwm);
    this.hwm = hwm !== undefined && hwm > 0 ? hwm : undefined;
    this.open = numbers(snapshot?.open);
    const openSet = new Set(this.open);
    this.recent = numbers(snapshot?.seen).filter((id) => !openSet.has(id));
    this.seenSet = new Set([...this.recent, ...this.open]);
  }

  get mark(): number | undefined {
    return this.hwm;
  }

  /** True when any session of the row was handed out before: a play already emitted, or its continuation. */
  seen(row: TautulliHistoryRow): boolean {
    return playIds(row).some((id) => this.seenSet.has(id));
  }

  /** Every row read moves the mark, filtered ones too: reading them again would change nothing. */
  passed(stopped: number | undefined): void {
    if (stopped !== undefined && stopped > 0 && (this.hwm === undefined || stopped > this.hwm)) this.hwm = stopped;
  }

  /**
   * A row handed out (as an item or a rejection) or skipped as a continuation. Tautulli only adds a
   * session to a play whose last session stayed under its "watched" percentage, so only those plays
   * stay `open`; watched ones are kept among the recent ids for the rows at the mark.
   */
  handled(row: TautulliHistoryRow): void {
    const ids = playIds(row);
    for (const id of ids) {
      this.recent.push(id);
      this.seenSet.add(id);
    }
    if ((toNumber(row.watched_status) ?? 0) < 1) this.open.push(...ids);
  }

  snapshot(): ReaderSnapshot {
    const open = unique(this.open).slice(-OPEN_LIMIT);
    const recent = unique(this.recent).slice(-RECENT_LIMIT);
    const out: ReaderSnapshot = { seen: unique([...recent, ...open]), open };
    if (this.hwm !== undefined) out.hwm = this.hwm;
    return out;
  }
}

function numbers(list: unknown): number[] {
  return Array.isArray(list) ? list.map(toId).filter((id): id is number => id !== undefined) : [];
}

/** Keeps the last occurrence of each id, in order, so trimming drops the oldest. */
function unique(list: number[]): number[] {
  const last = new Map<number, number>();
  list.forEach((id, index) => last.set(id, index));
  return list.filter((id, index) => last.get(id) === index);
}
