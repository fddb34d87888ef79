import { expect } from 'chai';
import { SyncLedger } from '../../lib/sync/ledger';
import { catalogFor, startTraktSandbox, type TraktSandbox } from '../sandbox';
import { generatePlays } from '../sandbox/plays';
import { countRequests, historyDiff, sandboxAccount, syncAll, tempStore } from './support';

// Writes run at the sandbox's real per-second rules scaled by timeScale; the client's spacing is
// scaled the same way so the tests stay fast while the rules stay the real ones.
const TIME_SCALE = 0.1;
const LIMITS = { writeSpacingMs: 1000 * TIME_SCALE, readsPerWindow: 500, readWindowMs: 300_000 * TIME_SCALE };

describe('end to end: sync-history engine against the fake Trakt', function () {
  this.timeout(120_000);
  let sandbox: TraktSandbox;
  const catalog = catalogFor();

  beforeEach(async () => {
    SyncLedger.closeAll();
    sandbox = await startTraktSandbox({ timeScale: TIME_SCALE });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('writes 2,000 plays exactly once, and a second run of the same plays writes nothing', async () => {
    const store = tempStore();
    const plays = generatePlays(catalog, 2000);
    const first = await syncAll(sandboxAccount(sandbox, store, LIMITS), store, plays);
    expect(first.added).to.have.length(2000);
    expect(first.failed).to.deep.equal([]);
    expect(countRequests(sandbox, 'POST', '/sync/history')).to.equal(20);
    expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
    expect(sandbox.state.count429).to.equal(0);

    const before = sandbox.state.requestLog.length;
    SyncLedger.closeAll(); // as after a restart: the ledger is read back from disk
    const again = await syncAll(sandboxAccount(sandbox, store, LIMITS), store, plays);
    expect(again.added).to.have.length(0);
    expect(again.skipped).to.have.length(2000);
    expect(sandbox.state.requestLog.length - before).to.equal(0);
    expect(sandbox.state.plays).to.have.length(2000);
  });

  const faults: Array<[string, Record<string, number>]> = [
    ['a 429 storm', { storm429: 6 }],
    ['a burst of 503s', { status503: 3 }],
    ['connection resets before the write', { resetNext: 3 }],
    ['connection resets after the write was applied', { resetAfterProcessNext: 2 }],
    ['502s after the write was applied', { status500Processed: 2 }],
    ['a write that times out after it was applied', { delayAfterProcessMs: 1500, delayAfterProcessNext: 2 }],
  ];
  for (const [name, fault] of faults) {
    it(`ends with the exact history despite ${name}`, async () => {
      const store = tempStore();
      const plays = generatePlays(catalog, 600, '2021-03-01T00:00:00.000Z');
      Object.assign(sandbox.state.faults, fault);
      const report = await syncAll(sandboxAccount(sandbox, store, LIMITS, { timeoutMs: 800 }), store, plays);
      expect(report.failed.map((f) => f.reason)).to.deep.equal([]);
      expect(report.added).to.have.length(600);
      expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
    });
  }

  it('does not write again after a timed-out write until the history was read back, even across a restart', async () => {
    const store = tempStore();
    const plays = generatePlays(catalog, 100, '2022-05-01T00:00:00.000Z');
    // The write lands but its answer never arrives, and the read-back fails too (connection reset).
    Object.assign(sandbox.state.faults, { delayAfterProcessMs: 1500, delayAfterProcessNext: 1 });
    const account = sandboxAccount(sandbox, store, LIMITS, { timeoutMs: 500 });
    const readBackBlocked = syncAllWithReadFailure(account, store, plays);
    const first = await readBackBlocked;
    expect(first.added).to.have.length(0);
    expect(first.failed).to.have.length(100);
    expect(first.failed[0].reason).to.match(/outcome unknown/);
    expect(sandbox.state.plays).to.have.length(100);

    SyncLedger.closeAll();
    const second = await syncAll(sandboxAccount(sandbox, store, LIMITS), store, plays);
    expect(second.reads).to.be.greaterThan(0);
    expect(second.writes).to.equal(0);
    expect(second.skipped).to.have.length(100);
    expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
  });

  it('removes every play of an item from the history, and reports items Trakt does not know', async () => {
    const store = tempStore();
    const plays = generatePlays(catalog, 10, '2018-01-01T00:00:00.000Z');
    const account = sandboxAccount(sandbox, store, LIMITS);
    await syncAll(account, store, plays);
    const movie = plays[0];
    const unknown = { type: 'movie' as const, title: 'Nothing', ids: { imdb: 'tt0000001' } };
    const result = await account.client.removeHistory({ items: [movie, unknown] });
    expect(result.deleted.movies).to.equal(1);
    expect(result.notFound).to.deep.equal([1]);
    expect(sandbox.state.plays).to.have.length(9);
    expect(historyDiff(sandbox, plays.slice(1))).to.deep.equal({ missing: [], extra: [], duplicates: [] });
  });

  it('refreshes an expired token once, keeps the rotated pair, and goes on writing', async () => {
    const store = tempStore();
    const plays = generatePlays(catalog, 150, '2023-01-01T00:00:00.000Z');
    const account = sandboxAccount(sandbox, store, LIMITS);
    await syncAll(account, store, plays.slice(0, 50));
    sandbox.state.expireAccessTokens();
    await syncAll(account, store, plays.slice(50, 100));
    expect(countRequests(sandbox, 'POST', '/oauth/token')).to.equal(1);
    // A new process with the same state dir starts from the rotated pair, not the first one.
    SyncLedger.closeAll();
    await syncAll(sandboxAccount(sandbox, store, LIMITS), store, plays.slice(100));
    expect(countRequests(sandbox, 'POST', '/oauth/token')).to.equal(1);
    expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
  });
});

/** Runs a sync whose read-back is refused: every GET of history gets its connection reset. */
async function syncAllWithReadFailure(account: ReturnType<typeof sandboxAccount>, store: ReturnType<typeof tempStore>, plays: ReturnType<typeof generatePlays>) {
  const original = account.client.readHistory.bind(account.client);
  account.client.readHistory = async () => {
    throw new Error('connection reset while reading history');
  };
  try {
    return await syncAll(account, store, plays);
  } finally {
    account.client.readHistory = original;
  }
}
