import { expect } from 'chai';
import { AuthRequiredError, ClawarrError, UncertainWriteError } from '../../lib/core/errors';
import type { AddHistoryResult, TrackerProvider } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { StateStore } from '../../lib/store/state-store';
import { HistorySync, type HistorySyncOptions } from '../../lib/sync/history-sync';
import { SyncLedger } from '../../lib/sync/ledger';
import { minuteOf } from '../../lib/sync/play-keys';
import { useTempState } from './helpers';

type Call = { kind: 'add'; plays: MediaItem[] } | { kind: 'read'; range: { from: string; to: string; types: Array<'movie' | 'episode'> } };

/**
 * An in-memory tracker: stores what it accepts, answers reads from what it holds, and can be told to
 * report items as not found, to lose the answer of a write (with or without applying it), to fail
 * reads, or to refuse writes.
 */
class FakeTracker implements TrackerProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'FakeTrakt';
  readonly stored: MediaItem[] = [];
  readonly calls: Call[] = [];
  notFoundIf: (item: MediaItem) => boolean = () => false;
  /** Accepted but neither stored nor reported as not found (Trakt's count comes out short). */
  silentlyDropIf: (item: MediaItem) => boolean = () => false;
  /** Next writes end with an UncertainWriteError: 'landed' stores the plays first, 'lost' does not. */
  uncertain: Array<'landed' | 'lost'> = [];
  failReads = 0;
  refuseWrites?: Error;

  async accountKey(): Promise<string> {
    return 'trakt:fake';
  }

  get adds(): MediaItem[][] {
    return this.calls.filter((c): c is Extract<Call, { kind: 'add' }> => c.kind === 'add').map((c) => c.plays);
  }

  get kinds(): string[] {
    return this.calls.map((c) => c.kind);
  }

  async addHistory(plays: MediaItem[]): Promise<AddHistoryResult> {
    this.calls.push({ kind: 'add', plays: plays.map((p) => ({ ...p })) });
    if (this.refuseWrites) throw this.refuseWrites;
    const notFound: number[] = [];
    const added = { movies: 0, episodes: 0 };
    const mode = this.uncertain.shift();
    plays.forEach((play, i) => {
      if (this.notFoundIf(play)) {
        notFound.push(i);
        return;
      }
      if (mode === 'lost' || this.silentlyDropIf(play)) return;
      this.stored.push({ ...play });
      added[play.type === 'movie' ? 'movies' : 'episodes'] += 1;
    });
    if (mode) throw new UncertainWriteError(`FakeTrakt POST /sync/history timed out; the write may have reached FakeTrakt`);
    return { notFound, added };
  }

  async readHistory(range: { from: string; to: string; types: Array<'movie' | 'episode'> }): Promise<MediaItem[]> {
    this.calls.push({ kind: 'read', range });
    if (this.failReads > 0) {
      this.failReads -= 1;
      throw new ClawarrError('FakeTrakt is having trouble (503 on GET /sync/history), tried 3 times', 'server_error', 503);
    }
    const from = Date.parse(range.from);
    const to = Date.parse(range.to);
    return this.stored
      .filter((item) => range.types.includes(item.type === 'movie' ? 'movie' : 'episode'))
      .filter((item) => {
        const t = Date.parse(minuteOf(item.watchedAt).replace('Z', ':00Z'));
        return t >= from && t <= to;
      })
      .map((item) => ({ ...item }));
  }
}

const BASE = Date.UTC(2024, 0, 1, 12, 0, 0);
const minuteIso = (i: number) => new Date(BASE + i * 60_000).toISOString();

function movies(count: number, offset = 0): MediaItem[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return { type: 'movie', title: `Movie ${i}`, year: 2000, ids: { tmdb: 1000 + i }, watchedAt: minuteIso(i) };
  });
}

describe('lib/sync/history-sync (HistorySync with a fake tracker)', () => {
  const state = useTempState({ closeLedgers: true });
  let tracker: FakeTracker;

  beforeEach(() => {
    tracker = new FakeTracker();
  });

  const ledger = () => SyncLedger.open(new StateStore(state.dir), 'trakt:fake');
  const sync = (options: HistorySyncOptions = {}) => new HistorySync(tracker, ledger(), options);
  /** A fresh process: the ledger is read back from disk. */
  const restart = () => SyncLedger.closeAll();

  describe('batches and the no-duplicates promise', () => {
    it('writes 250 plays in 3 batches of at most 100', async () => {
      const plays = movies(250);
      const progress: Array<[number, number]> = [];
      const report = await sync({ batchSize: 100 }).sync(plays, (done, total) => progress.push([done, total]));
      expect(tracker.adds.map((b) => b.length)).to.deep.equal([100, 100, 50]);
      expect(report.added).to.have.length(250);
      expect(report.skipped).to.deep.equal([]);
      expect(report.failed).to.deep.equal([]);
      expect(report.writes).to.equal(3);
      expect(tracker.stored).to.have.length(250);
      expect(progress[progress.length - 1]).to.deep.equal([250, 250]);
    });

    it('the same 250 plays again write nothing, also after a restart', async () => {
      await sync().sync(movies(250));
      const again = await sync().sync(movies(250));
      expect(tracker.adds).to.have.length(3);
      expect(again.skipped).to.have.length(250);
      expect(again.added).to.deep.equal([]);
      restart();
      const afterRestart = await sync().sync(movies(250));
      expect(tracker.adds).to.have.length(3);
      expect(afterRestart.skipped).to.have.length(250);
      expect(tracker.stored).to.have.length(250);
    });

    it('a play given twice in one input (other offset, other seconds, more ids) is written once', async () => {
      const [a, b] = movies(2);
      const sameAsA: MediaItem = { ...a, ids: { ...a.ids, imdb: 'tt0000001' }, watchedAt: '2024-01-01T13:00:42+01:00' };
      const report = await sync().sync([a, b, sameAsA]);
      expect(tracker.adds).to.have.length(1);
      expect(tracker.adds[0]).to.have.length(2);
      expect(report.added).to.have.length(2);
      expect(report.skipped).to.deep.equal([sameAsA]);
    });

    it('only the new plays of a partly synced input are written', async () => {
      await sync().sync(movies(5));
      const report = await sync().sync(movies(8));
      expect(tracker.adds.map((b) => b.length)).to.deep.equal([5, 3]);
      expect(report.skipped).to.have.length(5);
      expect(report.added.map((p) => p.title)).to.deep.equal(['Movie 5', 'Movie 6', 'Movie 7']);
    });
  });

  describe('writes whose outcome is unknown', () => {
    it('when the write landed anyway: reads history back and does not send those plays again', async () => {
      tracker.uncertain = ['landed'];
      const plays = movies(10);
      const report = await sync().sync(plays);
      expect(tracker.kinds).to.deep.equal(['add', 'read']);
      expect(report.added).to.have.length(10);
      expect(report.failed).to.deep.equal([]);
      expect(tracker.stored).to.have.length(10);
      expect(ledger().unsettled()).to.deep.equal([]);
      // The read covered the batch's time window.
      const read = tracker.calls[1] as Extract<Call, { kind: 'read' }>;
      expect(read.range).to.deep.equal({ from: '2024-01-01T12:00:00.000Z', to: '2024-01-01T12:09:59.999Z', types: ['movie'] });
      await sync().sync(plays);
      expect(tracker.adds).to.have.length(1);
    });

    it('when nothing landed: re-posts the plays once after reading, and counts them added', async () => {
      tracker.uncertain = ['lost'];
      const report = await sync().sync(movies(10));
      expect(tracker.kinds).to.deep.equal(['add', 'read', 'add']);
      expect(report.added).to.have.length(10);
      expect(tracker.stored).to.have.length(10);
      expect(report.failed).to.deep.equal([]);
    });

    it('when part landed: re-posts only the missing plays', async () => {
      tracker.uncertain = ['landed'];
      let dropped = false;
      tracker.silentlyDropIf = (item) => {
        if (dropped || item.ids?.tmdb !== 1003) return false;
        dropped = true;
        return true;
      };
      const plays = movies(5);
      const report = await sync().sync(plays);
      // First write "landed" minus one; the read-back finds 4; only #3 is sent again.
      expect(tracker.kinds).to.deep.equal(['add', 'read', 'add']);
      expect(tracker.adds[1].map((p) => p.title)).to.deep.equal(['Movie 3']);
      expect(report.added).to.have.length(5);
      expect(tracker.stored).to.have.length(5);
    });

    it('when history cannot be read back: the plays fail with a reason, and the next sync reads before writing', async () => {
      tracker.uncertain = ['landed'];
      tracker.failReads = 1;
      const plays = movies(10);
      const report = await sync().sync(plays);
      expect(tracker.kinds).to.deep.equal(['add', 'read']);
      expect(report.added).to.deep.equal([]);
      expect(report.failed).to.have.length(10);
      expect(report.failed[0].reason).to.contain('outcome unknown');
      expect(report.failed[0].reason).to.contain('FakeTrakt');
      expect(ledger().unsettled()).to.have.length(1);

      restart();
      const next = await sync().sync(plays);
      // Reconciled first: the plays had landed, so nothing is written a second time.
      expect(tracker.kinds.slice(2)).to.deep.equal(['read']);
      expect(tracker.adds).to.have.length(1);
      expect(tracker.stored).to.have.length(10);
      expect(next.skipped).to.have.length(10);
      expect(ledger().unsettled()).to.deep.equal([]);
    });

    it('the next sync reads before writing, and writes the plays that had not landed', async () => {
      tracker.uncertain = ['lost'];
      tracker.failReads = 1;
      const plays = movies(3);
      await sync().sync(plays);
      const next = await sync().sync(plays);
      expect(tracker.kinds).to.deep.equal(['add', 'read', 'read', 'add']);
      expect(next.added).to.have.length(3);
      expect(tracker.stored).to.have.length(3);
    });

    it('refuses to write while an earlier unknown outcome cannot be checked', async () => {
      tracker.uncertain = ['lost'];
      tracker.failReads = 2;
      await sync().sync(movies(3));
      const next = await sync().sync(movies(2, 100));
      expect(tracker.kinds).to.deep.equal(['add', 'read', 'read']);
      expect(next.failed).to.have.length(2);
      expect(next.failed[0].reason).to.contain('could not be checked');
    });

    it('gives up after uncertainRetries + 1 attempts', async () => {
      tracker.uncertain = ['lost', 'lost', 'lost'];
      const report = await sync({ uncertainRetries: 2 }).sync(movies(2));
      expect(tracker.kinds).to.deep.equal(['add', 'read', 'add', 'read', 'add', 'read']);
      expect(report.failed).to.have.length(2);
      expect(report.failed[0].reason).to.contain('3 attempts');
    });
  });

  describe('not found', () => {
    it('reports not-found plays and does not mark them synced', async () => {
      tracker.notFoundIf = (item) => item.ids?.tmdb === 1002;
      const plays = movies(5);
      const report = await sync().sync(plays);
      expect(report.notFound.map((p) => p.title)).to.deep.equal(['Movie 2']);
      expect(report.added).to.have.length(4);
      expect(ledger().isSynced(plays[2])).to.equal(false);
      expect(ledger().isSynced(plays[1])).to.equal(true);
    });

    it('a play the tracker silently did not add is read back and reported not found', async () => {
      tracker.silentlyDropIf = (item) => item.ids?.tmdb === 1001;
      const report = await sync().sync(movies(3));
      expect(tracker.kinds).to.deep.equal(['add', 'read']);
      expect(report.added.map((p) => p.title)).to.deep.equal(['Movie 0', 'Movie 2']);
      expect(report.notFound.map((p) => p.title)).to.deep.equal(['Movie 1']);
    });
    it('when the tracker added fewer than sent and its history cannot be read: nothing is settled, and the next sync writes no play twice', async () => {
      tracker.silentlyDropIf = (item) => item.ids?.tmdb === 1001;
      tracker.failReads = 1;
      const plays = movies(3);
      const report = await sync().sync(plays);
      expect(tracker.kinds).to.deep.equal(['add', 'read']);
      expect(report.added).to.deep.equal([]);
      expect(report.failed.map((f) => f.item.title)).to.deep.equal(['Movie 0', 'Movie 1', 'Movie 2']);
      expect(report.failed[0].reason).to.contain('outcome unknown');
      expect(ledger().unsettled()).to.have.length(1);

      tracker.silentlyDropIf = () => false;
      restart();
      const again = await sync().sync(plays);
      // The window is read first: 0 and 2 landed the first time; only 1 is written now.
      expect(tracker.kinds.slice(2)).to.deep.equal(['read', 'add']);
      expect(tracker.adds[1].map((p) => p.title)).to.deep.equal(['Movie 1']);
      expect(again.added.map((p) => p.title)).to.deep.equal(['Movie 1']);
      expect(tracker.stored.map((p) => p.title).sort()).to.deep.equal(['Movie 0', 'Movie 1', 'Movie 2']);
    });
  });

  describe('what is not a play', () => {
    it('rejects undated plays by default with a reason', async () => {
      const undated: MediaItem = { type: 'movie', title: 'Heat', year: 1995, ids: { tmdb: 949 } };
      const report = await sync().sync([undated, ...movies(1)]);
      expect(report.failed).to.have.length(1);
      expect(report.failed[0].item).to.equal(undated);
      expect(report.failed[0].reason).to.contain('no watchedAt');
      expect(tracker.adds[0].map((p) => p.title)).to.deep.equal(['Movie 0']);
    });

    it('sends undated plays as "unknown" with undated: unknown, once', async () => {
      const undated: MediaItem = { type: 'movie', title: 'Heat', year: 1995, ids: { tmdb: 949 } };
      const report = await sync({ undated: 'unknown' }).sync([undated]);
      expect(tracker.adds).to.have.length(1);
      expect(tracker.adds[0][0].watchedAt).to.equal('unknown');
      expect(report.added).to.have.length(1);
      expect(report.failed).to.deep.equal([]);
      const again = await sync({ undated: 'unknown' }).sync([undated]);
      expect(tracker.adds).to.have.length(1);
      expect(again.skipped).to.have.length(1);
    });

    it('rejects a show with a reason (it would mark every episode watched)', async () => {
      const show: MediaItem = { type: 'show', title: 'Game of Thrones', ids: { tvdb: 121361 }, watchedAt: minuteIso(0) };
      const report = await sync().sync([show]);
      expect(tracker.calls).to.deep.equal([]);
      expect(report.failed).to.have.length(1);
      expect(report.failed[0].reason).to.contain('a show is not a play');
    });

    it('rejects an item with neither ids nor title', async () => {
      const report = await sync().sync([{ type: 'movie', watchedAt: minuteIso(0) }]);
      expect(tracker.calls).to.deep.equal([]);
      expect(report.failed[0].reason).to.contain('neither ids nor a title');
    });
  });

  describe('dry run', () => {
    it('writes nothing and lists what would be added', async () => {
      await sync().sync(movies(2));
      const plays = movies(5);
      const report = await sync({ dryRun: true }).sync(plays);
      expect(tracker.adds).to.have.length(1);
      expect(report.dryRun).to.equal(true);
      expect(report.wouldAdd.map((p) => p.title)).to.deep.equal(['Movie 2', 'Movie 3', 'Movie 4']);
      expect(report.skipped).to.have.length(2);
      expect(report.added).to.deep.equal([]);
      // Nothing was recorded: a real run afterwards writes the three.
      const real = await sync().sync(plays);
      expect(real.added).to.have.length(3);
    });
  });

  describe('rewatches', () => {
    const first = { type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, watchedAt: '2024-01-15T20:41:00Z' } as MediaItem;
    const rewatch = { ...first, ids: { tmdb: 27205 }, watchedAt: '2024-03-02T19:00:00Z' } as MediaItem;

    it("'first' skips a later play of an item already synced", async () => {
      await sync({ rewatches: 'first' }).sync([first]);
      const report = await sync({ rewatches: 'first' }).sync([rewatch]);
      expect(tracker.adds).to.have.length(1);
      expect(report.skipped).to.deep.equal([rewatch]);
    });

    it("'all' writes the later play as a rewatch", async () => {
      await sync({ rewatches: 'all' }).sync([first]);
      const report = await sync({ rewatches: 'all' }).sync([rewatch]);
      expect(tracker.adds).to.have.length(2);
      expect(report.added).to.have.length(1);
    });

    it("'first' writes only the first play when both plays come in one input", async () => {
      const report = await sync({ rewatches: 'first' }).sync([first, rewatch]);
      expect(tracker.stored.map((p) => p.watchedAt)).to.deep.equal([first.watchedAt]);
      expect(report.added).to.have.length(1);
      expect(report.skipped).to.deep.equal([rewatch]);
    });

    it("'all' writes both plays when they come in one input", async () => {
      const report = await sync({ rewatches: 'all' }).sync([first, rewatch]);
      expect(tracker.stored).to.have.length(2);
      expect(report.added).to.have.length(2);
    });
  });

  describe('refusals', () => {
    it('AuthRequiredError on the first batch: later batches are not attempted and every play is in failed', async () => {
      tracker.refuseWrites = new AuthRequiredError();
      const report = await sync({ batchSize: 100 }).sync(movies(250));
      expect(tracker.adds).to.have.length(1);
      expect(report.added).to.deep.equal([]);
      expect(report.failed).to.have.length(250);
      expect(report.failed.every((f) => f.reason.startsWith('not written: re-authorization required'))).to.equal(true);
      expect(ledger().unsettled()).to.deep.equal([]);
      expect(ledger().isSynced(movies(1)[0])).to.equal(false);
    });

    it('a plain refusal (400) of one batch does not stop the next batches', async () => {
      let n = 0;
      const original = tracker.addHistory.bind(tracker);
      tracker.addHistory = async (plays) => {
        n += 1;
        if (n === 1) {
          tracker.calls.push({ kind: 'add', plays });
          throw new ClawarrError('FakeTrakt POST /sync/history failed with 400', 'bad_request', 400);
        }
        return original(plays);
      };
      const report = await sync({ batchSize: 2 }).sync(movies(5));
      expect(tracker.adds).to.have.length(3);
      expect(report.failed.map((f) => f.item.title)).to.deep.equal(['Movie 0', 'Movie 1']);
      expect(report.added).to.have.length(3);
    });
  });
});
