// Everything the fake Tautulli knows, reachable in-process so tests can arrange and assert directly.
import { answerKey } from './answer-key';
import { HistoryWriter, type SittingInput } from './history-writer';
import type { ResolvedTautulliOptions } from './options';
import type {
  ExpectedPlay,
  TautulliActivity,
  TautulliFaults,
  TautulliItem,
  TautulliLibrary,
  TautulliRequestLogEntry,
  TautulliSession,
  TautulliUser,
} from './types';

export const noTautulliFaults = (): TautulliFaults => ({ status500Next: 0, htmlNext: 0, resetNext: 0, delayMs: 0 });

/** A sitting to add at runtime; times are unix seconds or ISO strings, position in percent or ms. */
export interface NewSitting extends Omit<SittingInput, 'started' | 'stopped' | 'viewOffsetMs'> {
  started: number | string;
  stopped: number | string;
  /** Where playback stopped, percent of the item's duration; default 95 (watched). */
  percent?: number;
  viewOffsetMs?: number;
}

const unix = (t: number | string): number => (typeof t === 'number' ? t : Math.floor(Date.parse(t) / 1000));

export class TautulliState {
  readonly items = new Map<number, TautulliItem>();
  readonly users: TautulliUser[];
  /** session_history, one record per sitting, ascending id. */
  readonly rows: TautulliSession[];
  /** Currently playing sessions; get_history UNIONs them unless include_activity=0. */
  readonly activity: TautulliActivity[];
  callsByCmd: Record<string, number> = {};
  /** get_metadata calls per rating_key as sent (clients are expected to cache). */
  readonly metadataCalls = new Map<string, number>();
  readonly requestLog: TautulliRequestLogEntry[] = [];
  readonly faults: TautulliFaults = noTautulliFaults();
  /** http://127.0.0.1:PORT (without httpRoot) once listening. */
  baseUrl = '';
  private readonly writer: HistoryWriter;

  constructor(
    readonly options: ResolvedTautulliOptions,
    library: TautulliLibrary,
  ) {
    for (const item of library.items) this.items.set(item.ratingKey, item);
    this.users = library.users.map((u) => ({ ...u }));
    this.rows = [...library.sessions];
    this.activity = [...library.activity];
    this.writer = new HistoryWriter(this.rows, this.items, this.users);
  }

  /** Appends sittings as if Plex playback had just stopped; returns the stored records. */
  addPlays(sittings: NewSitting[]): TautulliSession[] {
    return sittings.map((s) => {
      const item = this.items.get(s.ratingKey);
      const duration = item?.durationMs ?? 0;
      return this.writer.append({
        ...s,
        started: unix(s.started),
        stopped: unix(s.stopped),
        viewOffsetMs: s.viewOffsetMs ?? Math.round((duration * (s.percent ?? 95)) / 100),
      });
    });
  }

  /** The answer key for the current history (changes after addPlays). */
  expected(): ExpectedPlay[] {
    return answerKey(this.items, this.rows);
  }

  /** Clears counters, log and faults; keeps history and activity. */
  reset(): void {
    this.callsByCmd = {};
    this.metadataCalls.clear();
    this.requestLog.length = 0;
    Object.assign(this.faults, noTautulliFaults());
  }

  logRequest(entry: TautulliRequestLogEntry): void {
    this.requestLog.push(entry);
    if (entry.cmd) this.callsByCmd[entry.cmd] = (this.callsByCmd[entry.cmd] ?? 0) + 1;
  }
}
