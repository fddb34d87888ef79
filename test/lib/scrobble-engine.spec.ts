import { expect } from 'chai';
import sinon from 'sinon';
import { Scrobbler } from '../../lib/scrobble/scrobbler';
import type { ScrobbleOutcome, ScrobbleStatus } from '../../lib/scrobble/types';
import { event, FakeScrobbleProvider, movie, plexEpisode, sleep, tautulliEpisode } from './scrobble-fakes';

describe('lib/scrobble (Scrobbler: sessions and coalescing)', () => {
  let provider: FakeScrobbleProvider;
  beforeEach(() => {
    provider = new FakeScrobbleProvider();
  });

  describe('with the default 2 s window (fake clock)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: Date.UTC(2024, 0, 15, 20, 0, 0), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('a state that holds for 2 s is sent, not before', async () => {
      const scrobbler = new Scrobbler(provider);
      const outcome = scrobbler.handle(event(movie(), 'start', 0));
      await clock.tickAsync(1999);
      expect(provider.calls).to.have.length(0);
      await clock.tickAsync(1);
      const result = await outcome;
      expect(provider.kinds).to.deep.equal(['start']);
      expect(result).to.deep.include({ sent: true });
      expect(result.sent && result.result).to.deep.equal({ action: 'start', progress: 0 });
    });

    it('a storm (play, pause, play, pause in 300 ms) is one request: the last state', async () => {
      const scrobbler = new Scrobbler(provider);
      const outcomes: Array<Promise<ScrobbleOutcome>> = [];
      for (const [i, action] of (['start', 'pause', 'start', 'pause'] as const).entries()) {
        outcomes.push(scrobbler.handle(event(movie(), action, 10 + i)));
        await clock.tickAsync(100);
      }
      await clock.tickAsync(2000);
      const results = await Promise.all(outcomes);
      expect(provider.calls).to.have.length(1);
      expect(provider.calls[0]).to.include({ kind: 'pause', progress: 13 });
      for (const superseded of results.slice(0, 3)) {
        expect(superseded).to.deep.include({ sent: false, superseded: true, reason: 'replaced by a later event within 2 s' });
      }
      expect(results[3].sent).to.equal(true);
      // Each outcome names its own event.
      expect(results.map((r) => r.event.item.progress)).to.deep.equal([10, 11, 12, 13]);
    });

    it('sessions never wait for each other: two users at once are independent', async () => {
      const scrobbler = new Scrobbler(provider);
      const alice = scrobbler.handle(event(movie(), 'start', 5, 'alice'));
      await clock.tickAsync(1000);
      const bob = scrobbler.handle(event(movie(), 'start', 40, 'bob'));
      await clock.tickAsync(500);
      // Alice keeps changing her mind; Bob's window is his own.
      const alice2 = scrobbler.handle(event(movie(), 'pause', 6, 'alice'));
      await clock.tickAsync(1500);
      expect(provider.calls.map((c) => c.progress)).to.deep.equal([40]);
      await clock.tickAsync(500);
      expect(provider.calls.map((c) => c.progress)).to.deep.equal([40, 6]);
      expect((await alice).sent).to.equal(false);
      expect((await alice2).sent).to.equal(true);
      expect((await bob).sent).to.equal(true);
      expect(scrobbler.sessions().map((s) => s.user).sort()).to.deep.equal(['alice', 'bob']);
    });

    it('a burst that never pauses is still sent after 5 windows: its last event, once', async () => {
      const scrobbler = new Scrobbler(provider);
      const outcomes: Array<Promise<ScrobbleOutcome>> = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(scrobbler.handle(event(movie(), i % 2 ? 'pause' : 'start', 10 + i)));
        await clock.tickAsync(1000);
      }
      // Sent at 10 s (5 windows) with the event current then (the one of 9 s); the rest is a new burst.
      expect(provider.calls).to.have.length(1);
      expect(provider.calls[0].progress).to.equal(19);
      await clock.tickAsync(2000);
      expect(provider.calls.map((c) => c.progress)).to.deep.equal([19, 21]);
      expect((await Promise.all(outcomes)).filter((o) => o.sent)).to.have.length(2);
    });

    it('never re-posts on a timer: nothing is sent without an incoming event', async () => {
      const scrobbler = new Scrobbler(provider);
      await Promise.all([scrobbler.handle(event(movie(), 'start', 30)), clock.tickAsync(2000)]);
      await clock.tickAsync(60 * 60_000);
      expect(provider.calls).to.have.length(1);
    });
  });

  describe('with a short window (real timers)', () => {
    const W = 30;
    const make = () => new Scrobbler(provider, { coalesceMs: W });

    it('the same state and progress as the last one sent is not sent again', async () => {
      const scrobbler = make();
      expect((await scrobbler.handle(event(movie(), 'start', 12.5))).sent).to.equal(true);
      const again = await scrobbler.handle(event(movie(), 'start', 12.5));
      expect(again).to.deep.include({ sent: false, reason: 'no change' });
      // A new position is news.
      expect((await scrobbler.handle(event(movie(), 'start', 20))).sent).to.equal(true);
      expect(provider.calls.map((c) => c.progress)).to.deep.equal([12.5, 20]);
    });

    it('the same episode from a Tautulli and a Plex webhook is one session', async () => {
      const scrobbler = make();
      const fromTautulli = scrobbler.handle(event(tautulliEpisode(), 'start', 3));
      const fromPlex = scrobbler.handle(event(plexEpisode(), 'start', 3));
      expect(await fromTautulli).to.deep.include({ sent: false, superseded: true });
      expect((await fromPlex).sent).to.equal(true);
      expect(scrobbler.sessions()).to.have.length(1);
      // Later events from either source still meet there, and are compared with what was sent.
      expect(await scrobbler.handle(event(tautulliEpisode(), 'start', 3))).to.deep.include({ reason: 'no change' });
      expect(provider.calls).to.have.length(1);
    });

    it('different items of one user are different sessions', async () => {
      const scrobbler = make();
      const a = scrobbler.handle(event(movie(), 'start', 3));
      const b = scrobbler.handle(event(movie('Heat', { imdb: 'tt0113277' }, 1995), 'start', 3));
      expect((await a).sent && (await b).sent).to.equal(true);
      expect(scrobbler.sessions()).to.have.length(2);
    });

    it('one session sends in order: a change waits for the answer to the previous one', async () => {
      provider.delayMs = 80;
      const scrobbler = make();
      const start = scrobbler.handle(event(movie(), 'start', 5));
      await sleep(W + 20);
      const pause = scrobbler.handle(event(movie(), 'pause', 9));
      await Promise.all([start, pause]);
      expect(provider.kinds).to.deep.equal(['start', 'pause']);
      expect(provider.calls[1].at - provider.calls[0].at).to.be.at.least(75);
    });

    it('close() sends what waits in a window, then refuses new events', async () => {
      const scrobbler = new Scrobbler(provider, { coalesceMs: 10_000 });
      const stop = scrobbler.handle(event(movie(), 'stop', 50));
      const started = Date.now();
      await scrobbler.close();
      expect(Date.now() - started).to.be.below(1000);
      expect(await stop).to.deep.include({ sent: true });
      expect(provider.kinds).to.deep.equal(['stop']);
      expect(await scrobbler.handle(event(movie(), 'start', 5))).to.deep.include({ sent: false, reason: 'the scrobbler is closed' });
    });

    it('sessions() reports user, title, state and progress', async () => {
      const scrobbler = make();
      await scrobbler.handle(event(movie(), 'start', 5));
      await scrobbler.handle(event(plexEpisode(), 'pause', 42.5, 'bob'));
      expect(scrobbler.sessions()).to.deep.equal([
        { key: 'alice|movie:imdb:tt1375666', user: 'alice', title: 'Inception (2010)', state: 'playing', progress: 5 },
        { key: 'bob|episode:tvdb:349232', user: 'bob', title: 'Breaking Bad S01E01', state: 'paused', progress: 42.5 },
      ]);
    });

    it('an event without a user belongs to "default"', async () => {
      const scrobbler = make();
      await scrobbler.handle({ item: { ...movie(), action: 'start', progress: 2 }, user: '' });
      expect(scrobbler.sessions()[0].user).to.equal('default');
    });

    it("emits 'status' for the node: sessions playing, last action and title", async () => {
      const scrobbler = make();
      const seen: ScrobbleStatus[] = [];
      scrobbler.on('status', (s: ScrobbleStatus) => seen.push(s));
      await scrobbler.handle(event(movie(), 'start', 5));
      await scrobbler.handle(event(plexEpisode(), 'start', 1, 'bob'));
      await scrobbler.handle(event(movie(), 'stop', 95));
      expect(seen).to.deep.equal([
        { playing: 1, lastAction: 'start', title: 'Inception (2010)', progress: 5 },
        { playing: 2, lastAction: 'start', title: 'Breaking Bad S01E01', progress: 1 },
        { playing: 1, lastAction: 'scrobble', title: 'Inception (2010)', progress: 95 },
      ]);
    });

    it('a throwing status listener does not break the engine', async () => {
      const scrobbler = make();
      scrobbler.on('status', () => {
        throw new Error('listener bug');
      });
      expect((await scrobbler.handle(event(movie(), 'start', 5))).sent).to.equal(true);
      expect((await scrobbler.handle(event(movie(), 'pause', 7))).sent).to.equal(true);
    });
  });

  describe('refusals are outcomes, sent at once, never throws', () => {
    const make = () => new Scrobbler(provider, { coalesceMs: 20 });
    const cases: Array<[string, ReturnType<typeof event>, string]> = [
      ['progress missing', event(movie(), 'start', undefined), 'no progress: a playback event needs "progress" (0-100)'],
      ['progress above 100', event(movie(), 'stop', 120), 'progress 120 is above 100'],
      ['progress below 0', event(movie(), 'pause', -3), 'progress -3 is below 0'],
      ['a stop below 1 %', event(movie(), 'stop', 0.5), 'progress below 1 % is not scrobbled'],
      ['an unknown action', event(movie(), 'seek', 50), 'unknown action "seek": use start, pause or stop'],
      ['no action', { item: { ...movie(), progress: 50 }, user: 'alice' }, 'no action: a playback event needs "action" (start, pause or stop)'],
      ['an item without ids and title', event({ type: 'movie', year: 2010 }, 'start', 5), 'the item has neither ids nor a title, so the tracker cannot find it'],
      ['a show', event({ type: 'show', title: 'Breaking Bad', ids: { tvdb: 81189 } }, 'start', 5), 'a show cannot be scrobbled: send the episode being played'],
      ['an episode without ids or numbers', event({ type: 'episode', show: { title: 'Breaking Bad' } }, 'start', 5), 'the episode has no ids and no season/episode numbers, so the tracker cannot find it'],
    ];
    for (const [what, input, reason] of cases) {
      it(`${what}: "${reason}"`, async () => {
        const outcome = await make().handle(input);
        expect(outcome).to.deep.equal({ sent: false, event: input, reason });
        expect(provider.calls).to.have.length(0);
      });
    }

    it('a start at 0 % is sent (a fresh play); only stops need 1 %', async () => {
      expect((await make().handle(event(movie(), 'start', 0))).sent).to.equal(true);
    });

    it('minProgress is an option', async () => {
      const outcome = await new Scrobbler(provider, { coalesceMs: 5, minProgress: 5 }).handle(event(movie(), 'stop', 4));
      expect(outcome).to.deep.include({ sent: false, reason: 'progress below 5 % is not scrobbled' });
    });

    it('a refused event does not replace the one waiting in its session', async () => {
      const scrobbler = make();
      const start = scrobbler.handle(event(movie(), 'start', 10));
      const bad = await scrobbler.handle(event(movie(), 'stop', 140));
      expect(bad.sent).to.equal(false);
      expect((await start).sent).to.equal(true);
    });
  });

  describe('tracker errors', () => {
    const make = () => new Scrobbler(provider, { coalesceMs: 20 });

    it('an error is an outcome with its message; the same state is sent again on the next event', async () => {
      provider.failures = [new Error('FakeTrakt POST /scrobble/start timed out')];
      const scrobbler = make();
      expect(await scrobbler.handle(event(movie(), 'start', 5))).to.deep.include({ sent: false, reason: 'FakeTrakt POST /scrobble/start timed out' });
      // Nothing was accepted, so the same state is not "no change".
      expect((await scrobbler.handle(event(movie(), 'start', 5))).sent).to.equal(true);
    });

    it('the reason is redacted', async () => {
      provider.failures = [new Error('refused: {"access_token":"abc123secret"} Bearer tok.en-123456')];
      const outcome = await make().handle(event(movie(), 'start', 5));
      expect(outcome.sent).to.equal(false);
      const reason = outcome.sent ? '' : outcome.reason;
      expect(reason).not.to.contain('abc123secret');
      expect(reason).not.to.contain('tok.en-123456');
    });

    it('a failing session does not stop the others', async () => {
      provider.failTitle = 'Heat';
      const scrobbler = make();
      const [heat, inception] = await Promise.all([
        scrobbler.handle(event(movie('Heat', { imdb: 'tt0113277' }, 1995), 'start', 5)),
        scrobbler.handle(event(movie(), 'start', 5, 'bob')),
      ]);
      expect(heat).to.deep.include({ sent: false, reason: 'FakeTrakt is down for Heat' });
      expect(inception.sent).to.equal(true);
    });
  });
});
