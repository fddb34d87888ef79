import { expect } from 'chai';
import sinon from 'sinon';
import type { CheckinResult, ScrobbleAction, ScrobbleProvider, ScrobbleResult } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { Scrobbler } from '../../lib/scrobble/scrobbler';
import { StateStore } from '../../lib/store/state-store';
import { HistorySync } from '../../lib/sync/history-sync';
import { SyncLedger } from '../../lib/sync/ledger';
import { useTempState } from './helpers';
import { event, FakeScrobbleProvider, movie, RecordingTracker } from './scrobble-fakes';

describe('lib/scrobble (check-in mode)', () => {
  const state = useTempState({ closeLedgers: true });
  let provider: FakeScrobbleProvider;
  beforeEach(() => {
    provider = new FakeScrobbleProvider();
  });

  const ledger = () => SyncLedger.open(new StateStore(state.dir), 'trakt:fake');
  const make = () => new Scrobbler(provider, { coalesceMs: 10, mode: 'checkin', ledger: ledger() });

  it('start checks in, once per session; the check-in is the play and goes in the ledger', async () => {
    const scrobbler = make();
    const outcome = await scrobbler.handle(event(movie(), 'start', 0));
    expect(provider.kinds).to.deep.equal(['checkin']);
    expect(outcome.sent).to.equal(true);
    if (!outcome.sent) return;
    const result = outcome.result as CheckinResult;
    expect(result.checkedIn).to.equal(true);
    expect(outcome.play?.watchedAt).to.equal(result.watchedAt);
    expect(ledger().isSynced(outcome.play!)).to.equal(true);
    // Resuming after a pause is a start again: the check-in is still there.
    expect(await scrobbler.handle(event(movie(), 'start', 30))).to.deep.include({ sent: false, reason: 'no change' });
    expect(provider.kinds).to.deep.equal(['checkin']);
  });

  it('another active check-in (409) is an answer, with a reason the node can show', async () => {
    provider.otherCheckinUntil = '2024-01-15T22:21:29.000Z';
    const outcome = await make().handle(event(movie(), 'start', 0));
    expect(outcome).to.deep.include({ sent: true, result: { checkedIn: false, expiresAt: '2024-01-15T22:21:29.000Z' } });
    expect(outcome.sent && outcome.reason).to.equal('another check-in is active until 2024-01-15T22:21:29.000Z: FakeTrakt refused this one');
    expect(ledger().size).to.equal(0);
  });

  it('pause is refused at once: check-ins have no pause', async () => {
    const outcome = await make().handle(event(movie(), 'pause', 40));
    expect(outcome).to.deep.include({ sent: false, reason: 'check-ins have no pause' });
    expect(provider.calls).to.have.length(0);
  });

  it('a stop below 80 % cancels the check-in', async () => {
    const scrobbler = make();
    await scrobbler.handle(event(movie(), 'start', 0));
    const outcome = await scrobbler.handle(event(movie(), 'stop', 35));
    expect(provider.kinds).to.deep.equal(['checkin', 'cancel']);
    expect(outcome).to.deep.include({ sent: true, result: { checkedIn: false } });
    // A new start checks in again.
    await scrobbler.handle(event(movie(), 'start', 35));
    expect(provider.kinds).to.deep.equal(['checkin', 'cancel', 'checkin']);
  });

  it('a stop without a check-in of this session cancels nothing (it would end the user\'s other one)', async () => {
    const outcome = await make().handle(event(movie(), 'stop', 35));
    expect(outcome).to.deep.include({ sent: false, reason: 'no check-in of this session to cancel' });
    expect(provider.calls).to.have.length(0);
  });

  describe('a stop at 80 % or more (fake clock)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: Date.UTC(2024, 0, 15, 20, 0, 0), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('keeps the check-in (it is the play) and remembers the end of the sitting too', async () => {
      const scrobbler = make();
      const start = scrobbler.handle(event(movie(), 'start', 0));
      await clock.tickAsync(10);
      await start;
      await clock.tickAsync(110 * 60_000);
      const stop = scrobbler.handle(event(movie(), 'stop', 97));
      await clock.tickAsync(10);
      const outcome = await stop;
      expect(provider.kinds).to.deep.equal(['checkin']);
      expect(outcome.sent).to.equal(true);
      if (!outcome.sent) return;
      expect(outcome.reason).to.equal('kept the check-in: at 97 % it is the play (cancelling could remove it)');
      expect(outcome.play?.watchedAt).to.equal('2024-01-15T20:00:00.000Z');

      // Tautulli files the sitting at its end, almost two hours after the check-in: still the same play.
      const tracker = new RecordingTracker();
      await new HistorySync(tracker, ledger()).sync([{ ...movie(), watchedAt: '2024-01-15T21:52:00Z' }]);
      expect(tracker.added).to.deep.equal([]);
    });
  });

  it('a tracker without check-ins refuses the mode', async () => {
    const plain: ScrobbleProvider = {
      kind: 'simkl',
      label: 'FakeSimkl',
      scrobble: async (_action: ScrobbleAction, _item: MediaItem, progress: number): Promise<ScrobbleResult> => ({ action: 'start', progress }),
    };
    const outcome = await new Scrobbler(plain, { coalesceMs: 5, mode: 'checkin' }).handle(event(movie(), 'start', 0));
    expect(outcome).to.deep.include({ sent: false, reason: 'FakeSimkl has no check-ins: use scrobble mode' });
  });

  it('an error of the check-in is an outcome', async () => {
    provider.failures = [new Error('FakeTrakt POST /checkin failed with 500')];
    const outcome = await make().handle(event(movie(), 'start', 0));
    expect(outcome).to.deep.include({ sent: false, reason: 'FakeTrakt POST /checkin failed with 500' });
  });
});
