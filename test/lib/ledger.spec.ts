import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { MediaItem } from '../../lib/schema/types';
import { StateStore } from '../../lib/store/state-store';
import { HistorySync } from '../../lib/sync/history-sync';
import { SyncLedger } from '../../lib/sync/ledger';
import { identityKeys, minuteOf, playKeys, UNKNOWN_WATCHED_AT } from '../../lib/sync/play-keys';
import { useTempState } from './helpers';
import { RecordingTracker } from './scrobble-fakes';

const ACCOUNT = 'trakt:alice';
const JOURNAL = 'ledger-trakt_alice.jsonl';

const inception = (watchedAt: string, ids: MediaItem['ids'] = { imdb: 'tt1375666' }): MediaItem => ({ type: 'movie', title: 'Inception', year: 2010, ids, watchedAt });
const episode = (watchedAt: string): MediaItem => ({
  type: 'episode',
  season: 6,
  episode: 1,
  show: { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361 } },
  watchedAt,
});

describe('lib/sync/play-keys', () => {
  it('minuteOf truncates seconds and converts offsets to UTC', () => {
    expect(minuteOf('2024-01-15T21:41:30+01:00')).to.equal('2024-01-15T20:41Z');
    expect(minuteOf('2024-01-15T20:41:59.999Z')).to.equal('2024-01-15T20:41Z');
    expect(minuteOf('2024-01-15T20:41Z')).to.equal('2024-01-15T20:41Z');
    expect(minuteOf('2024-01-16T00:10:00-05:00')).to.equal('2024-01-16T05:10Z');
  });

  it('an undated or "unknown" play sits at the epoch minute (where Trakt files unknown dates)', () => {
    expect(minuteOf(undefined)).to.equal('1970-01-01T00:00Z');
    expect(minuteOf('unknown')).to.equal(minuteOf(UNKNOWN_WATCHED_AT));
  });

  it('every id and the folded title are identities of a movie', () => {
    const keys = identityKeys({ type: 'movie', title: 'Amélie: Le Fabuleux Destin!', year: 2001, ids: { imdb: 'TT0211915', tmdb: 194 } });
    expect(keys).to.deep.equal(['movie:imdb:tt0211915', 'movie:tmdb:194', 'movie:title:amelie le fabuleux destin:2001']);
  });

  it('an episode is known by its own ids and by its show identities plus season/episode', () => {
    const keys = identityKeys({ ...episode('2024-01-01T00:00:00Z'), ids: { tvdb: 5600000 } });
    expect(keys).to.include('episode:tvdb:5600000');
    expect(keys).to.include('show:tvdb:121361:s6e1');
    expect(keys).to.include('show:title:game of thrones:2011:s6e1');
  });

  it('the same play seen with different offsets or seconds has a common key', () => {
    const a = playKeys(inception('2024-01-15T21:41:30+01:00'));
    const b = playKeys(inception('2024-01-15T20:41:05Z', { tmdb: 27205 }));
    expect(a.filter((k) => b.includes(k))).to.deep.equal(['movie:title:inception:2010@2024-01-15T20:41Z']);
  });
});

/** Per test: a fresh state directory, ledgers closed around it; `reopen` reads the journal back like a restart. */
function ledgerState() {
  const state = useTempState({ closeLedgers: true });
  const reopen = (): SyncLedger => {
    SyncLedger.closeAll();
    return SyncLedger.open(new StateStore(state.dir), ACCOUNT);
  };
  return { state, reopen };
}

describe('lib/sync/ledger (SyncLedger)', () => {
  const { state, reopen } = ledgerState();

  it('a play confirmed with imdb is recognised when it comes back with tmdb+imdb at the same minute', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordConfirmed([{ type: 'movie', ids: { imdb: 'tt1375666' }, watchedAt: '2024-01-15T20:41:00Z' }]);
    expect(ledger.isSynced({ type: 'movie', ids: { tmdb: 27205, imdb: 'tt1375666' }, watchedAt: '2024-01-15T21:41:30+01:00' })).to.equal(true);
  });

  it('the same movie at a different minute is a rewatch, not synced', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    expect(ledger.isSynced(inception('2024-01-15T20:42:00Z'))).to.equal(false);
    expect(ledger.isSynced(inception('2024-01-16T20:41:00Z'))).to.equal(false);
    expect(ledger.hasAnyPlay(inception('2024-01-16T20:41:00Z'))).to.equal(true);
  });

  it('a different movie at the same minute is not synced', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    expect(ledger.isSynced({ type: 'movie', title: 'Heat', year: 1995, ids: { imdb: 'tt0113277' }, watchedAt: '2024-01-15T20:41:00Z' })).to.equal(false);
  });

  it('survives reopening from disk', () => {
    const first = SyncLedger.open(state.store, ACCOUNT);
    first.recordConfirmed([inception('2024-01-15T20:41:00Z'), episode('2024-06-02T18:45:00Z')]);
    const second = reopen();
    expect(second).not.to.equal(first);
    expect(second.isSynced(inception('2024-01-15T20:41:10Z'))).to.equal(true);
    expect(second.isSynced(episode('2024-06-02T18:45:00Z'))).to.equal(true);
    expect(second.isSynced(inception('2024-02-01T00:00:00Z'))).to.equal(false);
  });

  it('open() hands out one ledger per account and directory', () => {
    expect(SyncLedger.open(state.store, ACCOUNT)).to.equal(SyncLedger.open(new StateStore(state.dir), ACCOUNT));
    expect(SyncLedger.open(state.store, ACCOUNT)).not.to.equal(SyncLedger.open(state.store, 'trakt:bob'));
  });

  it('accounts do not share confirmed plays', () => {
    SyncLedger.open(state.store, ACCOUNT).recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    expect(SyncLedger.open(state.store, 'trakt:bob').isSynced(inception('2024-01-15T20:41:00Z'))).to.equal(false);
  });

  it('ignores a torn last line in the journal', () => {
    SyncLedger.open(state.store, ACCOUNT).recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    state.store.appendRaw(JOURNAL, '{"op":"ok","plays":[["movie:imdb:tt0113277@2024-01-1');
    const ledger = reopen();
    expect(ledger.isSynced(inception('2024-01-15T20:41:00Z'))).to.equal(true);
    expect(ledger.size).to.be.greaterThan(0);
  });

  it('a play confirmed after a torn last line is still known after the next restart', () => {
    SyncLedger.open(state.store, ACCOUNT).recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    // The process died in the middle of an append.
    state.store.appendRaw(JOURNAL, '{"op":"ok","plays":[["movie:imdb:tt0113277@2024-01-1');
    const afterCrash = reopen();
    const heat: MediaItem = { type: 'movie', ids: { imdb: 'tt0113277' }, watchedAt: '2024-03-01T21:00:00Z' };
    afterCrash.recordConfirmed([heat]);
    expect(afterCrash.isSynced(heat)).to.equal(true);
    // Next restart: forgetting this play would let it be written to the tracker a second time.
    const afterRestart = reopen();
    expect(afterRestart.isSynced(heat)).to.equal(true);
    expect(afterRestart.isSynced(inception('2024-01-15T20:41:00Z'))).to.equal(true);
  });

  it('beginWrite without settle shows in unsettled() after reopen, with the window of the batch', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    const pending = ledger.beginWrite([inception('2024-01-15T21:41:30+01:00'), episode('2024-01-15T22:05:10Z'), inception('2024-01-15T19:00:59Z')]);
    expect(pending).to.include({ from: '2024-01-15T19:00:00.000Z', to: '2024-01-15T22:05:59.999Z' });
    expect(pending.types).to.have.members(['movie', 'episode']);
    const settled = ledger.beginWrite([inception('2024-02-01T10:00:00Z')]);
    ledger.settle(settled.batch);
    const after = reopen().unsettled();
    expect(after).to.deep.equal([pending]);
  });

  it('settle() removes the write from unsettled(), also after reopen', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    const pending = ledger.beginWrite([inception('2024-01-15T20:41:00Z')]);
    // Still on the way: not for another sync to read back and settle.
    expect(ledger.unsettled()).to.deep.equal([]);
    ledger.endWrite(pending.batch);
    expect(ledger.unsettled()).to.have.length(1);
    ledger.settle(pending.batch);
    expect(ledger.unsettled()).to.deep.equal([]);
    expect(reopen().unsettled()).to.deep.equal([]);
  });

  it('not-found plays are remembered for a while but never count as synced', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    const play = inception('2024-01-15T20:41:00Z');
    ledger.recordNotFound([play]);
    expect(ledger.isSynced(play)).to.equal(false);
    expect(ledger.wasNotFoundRecently(play)).to.equal(true);
    expect(ledger.wasNotFoundRecently(play, Date.now() + 8 * 24 * 3600 * 1000)).to.equal(false);
    ledger.recordConfirmed([play]);
    expect(ledger.wasNotFoundRecently(play)).to.equal(false);
  });

  it('the journal file is mode 0600 and holds one JSON record per line', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordConfirmed([inception('2024-01-15T20:41:00Z')]);
    ledger.beginWrite([inception('2024-01-16T20:41:00Z')]);
    const file = state.store.path(JOURNAL);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines.map((l) => (JSON.parse(l) as { op: string }).op)).to.deep.equal(['ok', 'pending']);
  });

  it('starts empty when there is no journal and reads journals written by hand', () => {
    writeFileSync(state.store.path(JOURNAL), JSON.stringify({ op: 'ok', plays: [playKeys(inception('2024-01-15T20:41:00Z'))] }) + '\n');
    expect(reopen().isSynced(inception('2024-01-15T20:41:00Z'))).to.equal(true);
    expect(SyncLedger.open(state.store, 'trakt:nobody').size).to.equal(0);
  });
});

describe('lib/sync/ledger (scrobble windows)', () => {
  const { state, reopen } = ledgerState();
  const scrobbledAt = '2024-01-15T20:41:00.000Z';
  // The source reports the sitting with other ids than the scrobble carried: the title meets.
  const fromTautulli = (watchedAt: string): MediaItem => inception(watchedAt, { tmdb: 27205 });

  it('a play of the scrobbled item within the window is synced; the same minute, a few minutes off, either side', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordScrobbled(inception(scrobbledAt), scrobbledAt);
    expect(ledger.isSynced(fromTautulli('2024-01-15T20:44:10Z'))).to.equal(true);
    expect(ledger.isSynced(fromTautulli('2024-01-15T20:37:00Z'))).to.equal(true);
    expect(ledger.isSynced(fromTautulli('2024-01-15T21:41:00Z'))).to.equal(true);
    expect(ledger.isSynced(fromTautulli('2024-01-15T21:42:00Z'))).to.equal(false);
    expect(ledger.isSynced(fromTautulli('2024-01-15T22:41:00Z'))).to.equal(false);
    expect(ledger.isSynced({ type: 'movie', title: 'Heat', year: 1995, ids: { imdb: 'tt0113277' }, watchedAt: scrobbledAt })).to.equal(false);
    expect(ledger.hasAnyPlay(inception('2030-01-01T00:00:00Z'))).to.equal(true);
  });

  it('the window is per scrobble', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordScrobbled(episode(scrobbledAt), scrobbledAt, 10);
    expect(ledger.isSynced(episode('2024-01-15T20:50:00Z'))).to.equal(true);
    expect(ledger.isSynced(episode('2024-01-15T20:52:00Z'))).to.equal(false);
  });

  it('survives reopening the ledger, as a journal op "sc" with the identities and the minute', () => {
    SyncLedger.open(state.store, ACCOUNT).recordScrobbled(inception(scrobbledAt), '2024-01-15T20:41:37.120Z');
    const line = JSON.parse(readFileSync(state.store.path(JOURNAL), 'utf8').trim()) as Record<string, unknown>;
    expect(line).to.deep.equal({ op: 'sc', keys: identityKeys(inception(scrobbledAt)), at: '2024-01-15T20:41Z', win: 60 });
    expect(reopen().isSynced(fromTautulli('2024-01-15T20:44:00Z'))).to.equal(true);
  });

  it('old journals (no "sc" records) load as before, and unknown records are skipped', () => {
    writeFileSync(
      state.store.path(JOURNAL),
      [JSON.stringify({ op: 'ok', plays: [playKeys(inception(scrobbledAt))] }), JSON.stringify({ op: 'from-the-future', x: 1 }), JSON.stringify({ op: 'sc', keys: ['movie:imdb:tt0113277'], at: 'garbage', win: 60 })].join('\n') + '\n',
    );
    const ledger = reopen();
    expect(ledger.isSynced(inception(scrobbledAt))).to.equal(true);
    expect(ledger.isSynced(inception('2024-01-15T20:44:00Z'))).to.equal(false);
    expect(ledger.hasAnyPlay({ type: 'movie', ids: { imdb: 'tt0113277' } })).to.equal(false);
  });

  it('hasPlayNear sees confirmed and scrobbled plays within the window of a time', () => {
    const ledger = SyncLedger.open(state.store, ACCOUNT);
    ledger.recordConfirmed([inception(scrobbledAt)]);
    ledger.recordScrobbled(episode('2024-03-01T10:00:00Z'), '2024-03-01T10:00:00Z');
    expect(ledger.hasPlayNear(fromTautulli(scrobbledAt), '2024-01-15T21:40:30Z')).to.equal(true);
    expect(ledger.hasPlayNear(inception(scrobbledAt), Date.parse('2024-01-15T19:41:00Z'))).to.equal(true);
    expect(ledger.hasPlayNear(inception(scrobbledAt), Date.parse('2024-01-15T19:40:00Z'))).to.equal(false);
    expect(ledger.hasPlayNear(inception(scrobbledAt), Date.parse('2024-01-15T20:50:00Z'), 5)).to.equal(false);
    expect(ledger.hasPlayNear(episode(scrobbledAt), '2024-03-01T10:45:00Z')).to.equal(true);
    expect(ledger.hasPlayNear(episode(scrobbledAt), '2024-03-01T11:01:00Z')).to.equal(false);
  });

  describe('with HistorySync', () => {
    it('a scrobbled play reported by a history sync 3 minutes later is not written', async () => {
      SyncLedger.open(state.store, ACCOUNT).recordScrobbled(inception(scrobbledAt), scrobbledAt);
      const tracker = new RecordingTracker();
      const report = await new HistorySync(tracker, reopen()).sync([fromTautulli('2024-01-15T20:44:00Z')]);
      expect(tracker.added).to.deep.equal([]);
      expect(report.skipped).to.have.length(1);
    });

    it('a play 2 hours later is a rewatch and is written', async () => {
      SyncLedger.open(state.store, ACCOUNT).recordScrobbled(inception(scrobbledAt), scrobbledAt);
      const tracker = new RecordingTracker();
      const report = await new HistorySync(tracker, reopen()).sync([fromTautulli('2024-01-15T22:41:00Z')]);
      expect(tracker.added).to.have.length(1);
      expect(report.added).to.have.length(1);
    });
  });
});
