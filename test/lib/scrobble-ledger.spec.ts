import { expect } from 'chai';
import { UncertainWriteError } from '../../lib/core/errors';
import type { ScrobbleResult } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { Scrobbler } from '../../lib/scrobble/scrobbler';
import { StateStore } from '../../lib/store/state-store';
import { HistorySync } from '../../lib/sync/history-sync';
import { SyncLedger } from '../../lib/sync/ledger';
import { useTempState } from './helpers';
import { event, FakeScrobbleProvider, movie, RecordingTracker, tautulliEpisode } from './scrobble-fakes';

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('lib/scrobble (plays, the ledger and one writer per play)', () => {
  const state = useTempState({ closeLedgers: true });
  let provider: FakeScrobbleProvider;
  beforeEach(() => {
    provider = new FakeScrobbleProvider();
  });

  const ledger = () => SyncLedger.open(new StateStore(state.dir), 'trakt:fake');
  const make = () => new Scrobbler(provider, { coalesceMs: 10, ledger: ledger() });

  it('a stop at 80 % or more is a play: recorded in the ledger at the tracker time, so a later history sync writes nothing', async () => {
    const outcome = await make().handle(event(tautulliEpisode(), 'stop', 95));
    expect(outcome.sent).to.equal(true);
    if (!outcome.sent) return;
    const result = outcome.result as ScrobbleResult;
    expect(result.action).to.equal('scrobble');
    expect(outcome.play).to.deep.equal({ ...tautulliEpisode(), watchedAt: result.watchedAt });
    expect(ledger().isSynced(outcome.play!)).to.equal(true);

    // Tautulli reports the same sitting at its "stopped" time, three minutes off the scrobble.
    SyncLedger.closeAll();
    const tracker = new RecordingTracker();
    const report = await new HistorySync(tracker, ledger()).sync([{ ...tautulliEpisode(), watchedAt: minutesFromNow(3) }]);
    expect(tracker.added).to.deep.equal([]);
    expect(report.skipped).to.have.length(1);
  });

  it('a stop below 80 % is sent as a stop; the tracker keeps a pause and nothing is recorded', async () => {
    const outcome = await make().handle(event(movie(), 'stop', 42));
    expect(provider.kinds).to.deep.equal(['stop']);
    expect(outcome).to.deep.include({ sent: true, result: { action: 'pause', progress: 42 } });
    expect(outcome.sent && outcome.play).to.equal(undefined);
    expect(ledger().size).to.equal(0);
    expect(ledger().hasAnyPlay(movie())).to.equal(false);
  });

  it('a stop without a start is sent (the trackers accept it)', async () => {
    const outcome = await make().handle(event(movie(), 'stop', 90));
    expect(provider.kinds).to.deep.equal(['stop']);
    expect(outcome.sent).to.equal(true);
  });

  it('409 "just scrobbled" is success, and the play is recorded at the time the tracker gave', async () => {
    // Another instance without this ledger scrobbled it first.
    const first = await new Scrobbler(provider, { coalesceMs: 5 }).handle(event(movie(), 'stop', 95));
    const earlier = first.sent ? (first.result as ScrobbleResult).watchedAt : undefined;
    const outcome = await make().handle(event(movie(), 'stop', 97));
    expect(outcome.sent).to.equal(true);
    if (!outcome.sent) return;
    expect(outcome.result).to.deep.include({ action: 'scrobble', alreadyScrobbled: true, watchedAt: earlier });
    expect(outcome.play?.watchedAt).to.equal(earlier);
    expect(ledger().isSynced({ ...movie(), watchedAt: earlier })).to.equal(true);
  });

  it('a stop for a play the ledger already holds (a history sync got there first) is not sent', async () => {
    ledger().recordConfirmed([{ ...movie(), watchedAt: minutesFromNow(-2) }]);
    const outcome = await make().handle(event(movie(), 'stop', 96));
    expect(outcome).to.deep.include({ sent: false, reason: 'already in the history (synced earlier)' });
    expect(provider.calls).to.have.length(0);
  });

  it('a second stop of the same sitting is not sent once the first one counted', async () => {
    const scrobbler = make();
    expect((await scrobbler.handle(event(movie(), 'stop', 92))).sent).to.equal(true);
    expect(await scrobbler.handle(event(movie(), 'stop', 99))).to.deep.include({ sent: false, reason: 'already in the history (synced earlier)' });
    expect(provider.calls).to.have.length(1);
  });

  it('a play of the same item three hours ago does not stop a rewatch', async () => {
    ledger().recordConfirmed([{ ...movie(), watchedAt: minutesFromNow(-180) }]);
    const outcome = await make().handle(event(movie(), 'stop', 96));
    expect(outcome.sent).to.equal(true);
    expect(provider.kinds).to.deep.equal(['stop']);
  });

  it('a stop whose outcome is unknown is a failure with the reason, and records nothing', async () => {
    provider.failures = [new UncertainWriteError('FakeTrakt POST /scrobble/stop timed out; the write may have reached FakeTrakt')];
    const outcome = await make().handle(event(movie(), 'stop', 96));
    expect(outcome).to.deep.include({ sent: false, reason: 'FakeTrakt POST /scrobble/stop timed out; the write may have reached FakeTrakt' });
    expect(ledger().size).to.equal(0);
  });

  it('a ledger that cannot be written does not turn a scrobble into a failure', async () => {
    const broken = {
      hasPlayNear: () => false,
      recordConfirmed: () => {
        throw new Error('EROFS: read-only file system');
      },
      recordScrobbled: () => undefined,
    } as unknown as SyncLedger;
    const outcome = await new Scrobbler(provider, { coalesceMs: 5, ledger: broken }).handle(event(movie(), 'stop', 96));
    expect(outcome.sent).to.equal(true);
    expect(outcome.sent && outcome.reason).to.contain('the ledger could not be written (EROFS');
    expect(outcome.sent && outcome.play).to.be.an('object');
  });

  it('without a ledger, plays are still scrobbled', async () => {
    const outcome = await new Scrobbler(provider, { coalesceMs: 5 }).handle(event(movie(), 'stop', 96));
    expect(outcome.sent && (outcome.play as MediaItem).title).to.equal('Inception');
  });
});
