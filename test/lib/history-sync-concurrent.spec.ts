import { expect } from 'chai';
import { ClawarrError, UncertainWriteError } from '../../lib/core/errors';
import type { AddHistoryResult, TrackerProvider } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { StateStore } from '../../lib/store/state-store';
import { HistorySync } from '../../lib/sync/history-sync';
import { SyncLedger } from '../../lib/sync/ledger';
import { minuteOf } from '../../lib/sync/play-keys';
import { useTempState } from './helpers';

/**
 * A tracker whose next write can be held in flight: the test decides when it is applied and how it
 * ends (answered, or no answer: an UncertainWriteError, or never, as when the process is killed).
 */
class SlowTracker implements TrackerProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'SlowTrakt';
  readonly stored: MediaItem[] = [];
  writes = 0;
  failReads = 0;
  private held?: { plays: MediaItem[]; release: (outcome: 'answer' | 'no-answer') => void };
  holdNext = false;

  async accountKey(): Promise<string> {
    return 'trakt:slow';
  }

  /** Resolves once a held write has arrived. */
  async arrived(): Promise<void> {
    while (!this.held) await new Promise((r) => setTimeout(r, 1));
  }

  /**
   * Applies the held write (as a slow server finally does) and ends it as told: answered, without
   * an answer, or never (the process that sent it was killed).
   */
  release(outcome: 'answer' | 'no-answer' | 'killed'): void {
    const held = this.held!;
    this.held = undefined;
    this.stored.push(...held.plays.map((p) => ({ ...p })));
    if (outcome !== 'killed') held.release(outcome);
  }

  async addHistory(plays: MediaItem[]): Promise<AddHistoryResult> {
    this.writes += 1;
    if (this.holdNext) {
      this.holdNext = false;
      const outcome = await new Promise<'answer' | 'no-answer'>((release) => (this.held = { plays, release }));
      if (outcome === 'no-answer') throw new UncertainWriteError('SlowTrakt POST /sync/history timed out; the write may have reached SlowTrakt');
      return { notFound: [], added: { movies: plays.length, episodes: 0 } };
    }
    this.stored.push(...plays.map((p) => ({ ...p })));
    return { notFound: [], added: { movies: plays.length, episodes: 0 } };
  }

  async readHistory(range: { from: string; to: string; types: Array<'movie' | 'episode'> }): Promise<MediaItem[]> {
    if (this.failReads > 0) {
      this.failReads -= 1;
      throw new ClawarrError('SlowTrakt is having trouble (503 on GET /sync/history), tried 3 times', 'server_error', 503);
    }
    const from = Date.parse(range.from);
    const to = Date.parse(range.to);
    return this.stored.filter((item) => {
      const t = Date.parse(minuteOf(item.watchedAt).replace('Z', ':00Z'));
      return t >= from && t <= to;
    });
  }

  /** How many times each play is on the tracker, for plays stored more than once. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const p of this.stored) seen.set(`${p.ids?.tmdb}@${minuteOf(p.watchedAt)}`, (seen.get(`${p.ids?.tmdb}@${minuteOf(p.watchedAt)}`) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }
}

const BASE = Date.UTC(2024, 0, 1, 12, 0, 0);

function movies(count: number, offset: number): MediaItem[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return { type: 'movie', title: `Movie ${i}`, year: 2000, ids: { tmdb: 1000 + i }, watchedAt: new Date(BASE + i * 60_000).toISOString() };
  });
}

// Two sync-history nodes on one Trakt account share one ledger; their flushes run side by side
// (writes queue one at a time in the account limiter, reads do not wait for them).
describe('lib/sync/history-sync: two syncs on one ledger while a write is in flight', () => {
  const state = useTempState({ closeLedgers: true });
  const ledger = () => SyncLedger.open(new StateStore(state.dir), 'trakt:slow');

  it("another sync does not settle the write in flight (its read-back would run before the write lands)", async () => {
    const tracker = new SlowTracker();
    const a = movies(10, 0);
    tracker.holdNext = true;
    const first = new HistorySync(tracker, ledger()).sync(a);
    await tracker.arrived();
    // Meanwhile the second node syncs other plays: it must not take A's write for one left over from a crash.
    const second = await new HistorySync(tracker, ledger()).sync(movies(10, 100));
    expect(second.added).to.have.length(10);
    expect(ledger().unsettled().map((p) => p.from)).to.deep.equal([]);
    // A's write lands, its answer never comes, and the read-back fails too: A's window stays to be checked.
    tracker.failReads = 1;
    tracker.release('no-answer');
    const report = await first;
    expect(report.failed).to.have.length(10);
    expect(report.failed[0].reason).to.match(/outcome unknown/);
    expect(ledger().unsettled()).to.have.length(1);

    // The user runs the flow again: A's window is read back first, so nothing is written twice.
    const again = await new HistorySync(tracker, ledger()).sync(a);
    expect(again.failed).to.deep.equal([]);
    expect(tracker.duplicates()).to.deep.equal([]);
    expect(tracker.stored).to.have.length(20);
  });

  it('a write in flight when the process dies is still checked after the restart, whatever the other sync did', async () => {
    const tracker = new SlowTracker();
    const a = movies(10, 0);
    tracker.holdNext = true;
    void new HistorySync(tracker, ledger()).sync(a);
    await tracker.arrived();
    await new HistorySync(tracker, ledger()).sync(movies(10, 100));
    // The server applies A's write; the process is killed before the answer (the write never ends).
    tracker.release('killed');
    SyncLedger.closeAll();
    const fresh = SyncLedger.open(new StateStore(state.dir), 'trakt:slow');
    expect(fresh.unsettled()).to.have.length(1);
    const again = await new HistorySync(tracker, fresh).sync(a);
    expect(again.failed).to.deep.equal([]);
    expect(tracker.duplicates()).to.deep.equal([]);
    expect(tracker.stored).to.have.length(20);
  });

  it('a write left unchecked (its read-back failed) is no longer in flight: the next sync of the same ledger reads it back', async () => {
    const tracker = new SlowTracker();
    tracker.holdNext = true;
    const first = new HistorySync(tracker, ledger()).sync(movies(5, 0));
    await tracker.arrived();
    tracker.failReads = 1;
    tracker.release('no-answer');
    expect((await first).failed).to.have.length(5);
    expect(ledger().unsettled()).to.have.length(1);
    const again = await new HistorySync(tracker, ledger()).sync(movies(5, 0));
    expect(again.failed).to.deep.equal([]);
    expect(again.reads).to.equal(1);
    expect(tracker.writes).to.equal(1);
    expect(ledger().unsettled()).to.deep.equal([]);
    expect(tracker.duplicates()).to.deep.equal([]);
  });
});
