// clawarr-scrobble in a Node-RED runtime against the fake Trakt and the fake Simkl: what a user sees on
// the tracker ("watching now", plays), on the two outputs, in the status and at a Catch node. The
// suite runs once per tracker; rules that exist on one tracker only say so.
import { expect } from 'chai';
import type { NodeMessage } from 'node-red';
import { captureSurface, helper, keyOf, leakedSecrets, statusesOf, surfaceSize, useNodeRed } from './harness';
import {
  collect,
  type Collected,
  episode,
  episodeKey,
  type EventItem,
  loadFlow,
  movie,
  movieKey,
  playback,
  reasonOf,
  registerSecrets,
  scrobbleFlow,
  type ScrobbleFlowOptions,
  simklUnderTest,
  traktUnderTest,
  until,
} from './harness-scrobble';

interface Result {
  action?: string;
  progress?: number;
  alreadyScrobbled?: boolean;
  watchedAt?: string;
  checkedIn?: boolean;
  expiresAt?: string;
}

const resultOf = (msg: NodeMessage | undefined): Result => (msg?.payload ?? {}) as Result;
const SCROBBLE_PATH = /^\/scrobble\//;
const SEARCH_PATH = /^\/search\//;

for (const tracker of [traktUnderTest(), simklUnderTest()]) {
  describe(`nodes: clawarr-scrobble with ${tracker.name}`, function () {
    this.timeout(10_000);
    let out: Collected;
    let creds: Record<string, string>;
    let inputs = 0;

    useNodeRed();
    before(async () => tracker.start());
    after(async () => tracker.close());
    beforeEach(() => {
      tracker.reset();
      inputs = 0;
    });

    async function deploy(options: ScrobbleFlowOptions = {}, fresh = false): Promise<void> {
      creds ??= tracker.creds();
      await loadFlow(scrobbleFlow(tracker, options), { cfg: creds }, { fresh });
      out = collect();
    }
    beforeEach(() => {
      creds = tracker.creds();
    });

    const emitted = (): number => out.out1.length + out.out2.length;
    const scrobbleNode = () => helper.getNode('sc');
    const lastStatus = (): string => keyOf(statusesOf(scrobbleNode()).at(-1)?.text);
    const scrobbleRequests = (): number => tracker.requests('POST', SCROBBLE_PATH);

    /** Sends one event (msg.topic names it) without waiting. */
    function send(payload: unknown, topic = `e${inputs + 1}`): void {
      inputs += 1;
      scrobbleNode().receive({ payload, topic } as NodeMessage);
    }

    /** Sends one event and waits for the message it turns into, on output 1 or 2. */
    async function feed(payload: unknown, topic?: string): Promise<{ output: 1 | 2; msg: NodeMessage }> {
      const before = emitted();
      const one = out.out1.length;
      send(payload, topic);
      await until(() => emitted() > before, `the outcome of ${JSON.stringify(payload)}`);
      return out.out1.length > one ? { output: 1, msg: out.out1.at(-1)! } : { output: 2, msg: out.out2.at(-1)! };
    }

    async function expectSent(payload: EventItem, action: string): Promise<NodeMessage> {
      const { output, msg } = await feed(payload);
      expect(output, `output of ${payload.action} ${payload.progress}: ${reasonOf(msg)}`).to.equal(1);
      expect(resultOf(msg).action, `what ${tracker.name} recorded for ${payload.action} at ${payload.progress} %`).to.equal(action);
      return msg;
    }

    describe('1. start, pause, resume, stop', () => {
      it(`start shows "watching now" on ${tracker.name}, pause and resume follow, a stop at 95 % is exactly one play`, async () => {
        await deploy();
        const item = movie(1);
        const key = movieKey(item);

        const started = await expectSent(playback(item, 'start', 10), 'start');
        expect(tracker.playbackOf(key), `${tracker.name} shows the movie as watching now`).to.equal('start');
        expect(started.payload).to.include({ action: 'start' });
        expect((started as { event?: EventItem }).event, 'the event travels along').to.deep.include({ action: 'start', progress: 10 });
        expect(lastStatus()).to.equal('scrobble.status.playing');
        expect(statusesOf(scrobbleNode()).at(-1)?.text).to.include(item.title!);

        await expectSent(playback(item, 'pause', 35), 'pause');
        expect(tracker.playbackOf(key)).to.equal('pause');
        expect(lastStatus()).to.equal('scrobble.status.paused');

        await expectSent(playback(item, 'start', 35), 'start');
        expect(tracker.playbackOf(key), 'watching now again').to.equal('start');
        expect(lastStatus()).to.equal('scrobble.status.playing');

        const stopped = await expectSent(playback(item, 'stop', 95), 'scrobble');
        expect(tracker.plays().map((p) => p.key), `the plays on ${tracker.name}`).to.deep.equal([key]);
        expect((stopped as { play?: EventItem }).play, 'msg.play is the play recorded').to.deep.include({ type: 'movie', title: item.title });
        expect(lastStatus()).to.equal('scrobble.status.scrobbled');
        expect(scrobbleRequests(), 'one request per event').to.equal(4);
        expect(out.out2.map(reasonOf), 'nothing on output 2').to.deep.equal([]);
        expect(out.err).to.have.lengthOf(0);
      });
    });

    describe('2. the 80 % threshold', () => {
      it('a stop at 79.9 % is recorded as a pause (no play); a stop at 80 % is a play', async () => {
        await deploy();
        const item = movie(2);
        await expectSent(playback(item, 'start', 50), 'start');
        await expectSent(playback(item, 'stop', 79.9), 'pause');
        expect(tracker.plays(), 'no play at 79.9 %').to.deep.equal([]);
        expect(tracker.playbackOf(movieKey(item))).to.equal('pause');
        expect(lastStatus()).to.equal('scrobble.status.paused');

        await expectSent(playback(item, 'stop', 80), 'scrobble');
        expect(tracker.plays().map((p) => p.key)).to.deep.equal([movieKey(item)]);
        expect(lastStatus()).to.equal('scrobble.status.scrobbled');
      });
    });

    describe('3. events the tracker cannot take', () => {
      it('too little, too much or no progress, an unknown action and a non-item never reach the tracker; each says why', async () => {
        await deploy();
        const item = movie(3);

        const low = await feed(playback(item, 'stop', 0.5), 'low');
        expect(low.output).to.equal(2);
        expect(reasonOf(low.msg)).to.match(/1 ?%/);

        const high = await feed(playback(item, 'stop', 120), 'high');
        expect(high.output).to.equal(2);
        expect(reasonOf(high.msg)).to.match(/progress/);
        expect(reasonOf(high.msg)).to.include('120');

        const none = await feed(playback(item, 'stop'), 'none');
        expect(none.output).to.equal(2);
        expect(reasonOf(none.msg)).to.match(/progress/);

        const rewind = await feed(playback(item, 'rewind', 40), 'rewind');
        expect(rewind.output).to.equal(2);
        expect(reasonOf(rewind.msg)).to.include('rewind');

        const hello = await feed('hello', 'hello');
        expect(hello.output).to.equal(2);
        expect(reasonOf(hello.msg)).to.match(/media item/);

        await until(() => out.err.length >= 2, 'the errors at the Catch node');
        const caught = out.err.map((m) => m.topic);
        expect(caught, 'errors at the Catch node').to.include.members(['rewind', 'hello']);
        const messages = out.err.map((m) => String((m as { error?: { message?: string } }).error?.message));
        expect(messages.find((m) => m.includes('rewind')), messages.join(' | ')).to.be.a('string');

        expect(scrobbleRequests(), `requests to ${tracker.name}'s /scrobble`).to.equal(0);
        expect(tracker.plays()).to.deep.equal([]);
        expect(emitted(), 'every event left on an output').to.equal(inputs);
      });
    });

    describe('4. the same play twice', () => {
      it('a second stop of the same sitting (after the coalesce window) adds no play and is accounted for', async () => {
        await deploy();
        const item = movie(4);
        await expectSent(playback(item, 'stop', 95), 'scrobble');
        const second = await feed(playback(item, 'stop', 97));
        if (second.output === 1) expect(resultOf(second.msg)).to.include({ action: 'scrobble', alreadyScrobbled: true });
        else expect(reasonOf(second.msg)).to.match(/already/i);
        expect(tracker.plays().map((p) => p.key), 'still one play').to.deep.equal([movieKey(item)]);
        expect(out.err).to.have.lengthOf(0);
      });

      it(`${tracker.name} answering 409 (another app scrobbled it a moment ago) is a play: output 1 with alreadyScrobbled, still one play`, async () => {
        await deploy();
        const item = movie(5);
        tracker.scrobbledElsewhere(item);
        const earlier = tracker.plays()[0].watchedAt;
        const msg = await expectSent(playback(item, 'stop', 95), 'scrobble');
        expect(resultOf(msg)).to.include({ alreadyScrobbled: true });
        expect(tracker.plays().map((p) => p.key), 'still one play').to.deep.equal([movieKey(item)]);
        expect((msg as { play?: EventItem }).play?.watchedAt, 'the play is the earlier one').to.equal(earlier);
        expect(lastStatus()).to.equal('scrobble.status.scrobbled');
        expect(tracker.requests('POST', /^\/scrobble\/stop$/), 'the stop was sent once').to.equal(1);
      });
    });

    describe('5. coalescing an event storm', () => {
      it('start, pause, start, pause, start within 50 ms are one request; the others leave on output 2 as superseded', async () => {
        await deploy({ coalesceSeconds: 0.1 });
        const item = movie(6);
        const storm: Array<[string, number]> = [
          ['start', 10],
          ['pause', 11],
          ['start', 12],
          ['pause', 13],
          ['start', 14],
        ];
        for (const [action, progress] of storm) {
          send(playback(item, action, progress), `${action}-${progress}`);
          await new Promise((r) => setTimeout(r, 10));
        }
        await until(() => emitted() === storm.length, 'an outcome for every event');
        await new Promise((r) => setTimeout(r, 150));
        expect(scrobbleRequests(), `requests to ${tracker.name}`).to.equal(1);
        expect(tracker.requests('POST', /^\/scrobble\/start$/)).to.equal(1);
        expect(out.out1.map((m) => m.topic), 'the last state was sent').to.deep.equal(['start-14']);
        expect(resultOf(out.out1[0])).to.include({ action: 'start' });
        expect(out.out2.map((m) => m.topic)).to.deep.equal(['start-10', 'pause-11', 'start-12', 'pause-13']);
        for (const msg of out.out2) expect((msg as { superseded?: boolean }).superseded, `${msg.topic} superseded`).to.equal(true);
        expect(emitted(), 'outputs 1 + 2 = inputs').to.equal(inputs);
        expect(tracker.playbackOf(movieKey(item))).to.equal('start');
      });
    });

    describe('6. two Plex users on one account', () => {
      it('alice and bob watching the same episode have independent sessions; their stops make exactly one play, and nothing is lost', async () => {
        await deploy();
        const item = episode(0, 1, 1);
        const key = episodeKey('Show 1', 1, 1);
        send(playback(item, 'start', 10, 'alice'), 'alice-start');
        send(playback(item, 'start', 50, 'bob'), 'bob-start');
        await until(() => emitted() === 2, 'both starts');
        expect(out.out1.map((m) => m.topic).sort(), 'neither start replaced the other').to.deep.equal(['alice-start', 'bob-start']);
        expect(tracker.requests('POST', /^\/scrobble\/start$/)).to.equal(2);
        expect(tracker.playbackOf(key)).to.equal('start');

        const paused = await feed(playback(item, 'pause', 40, 'alice'), 'alice-pause');
        expect(paused.output).to.equal(1);
        expect(resultOf(paused.msg).action).to.equal('pause');

        send(playback(item, 'stop', 95, 'alice'), 'alice-stop');
        send(playback(item, 'stop', 96, 'bob'), 'bob-stop');
        await until(() => emitted() === 5, 'both stops');
        await new Promise((r) => setTimeout(r, 100));

        expect(tracker.plays().map((p) => p.key), `plays on ${tracker.name}`).to.deep.equal([key]);
        const stops = [...out.out1, ...out.out2].filter((m) => String(m.topic).endsWith('-stop'));
        expect(stops.map((m) => m.topic).sort()).to.deep.equal(['alice-stop', 'bob-stop']);
        const fresh = out.out1.filter((m) => String(m.topic).endsWith('-stop') && resultOf(m).action === 'scrobble' && !resultOf(m).alreadyScrobbled);
        expect(fresh, 'one stop made the play').to.have.lengthOf(1);
        const other = stops.find((m) => m !== fresh[0])!;
        const accounted = out.out1.includes(other) ? resultOf(other).alreadyScrobbled === true : /already/i.test(reasonOf(other));
        expect(accounted, `the other stop is "already scrobbled": ${JSON.stringify(other.payload)} ${reasonOf(other)}`).to.equal(true);
        expect(emitted(), 'outputs 1 + 2 = inputs').to.equal(inputs);
        expect(out.err).to.have.lengthOf(0);
      });
    });

    describe('7. one writer per play', () => {
      it('a scrobbled play reported again by a history sync (3 minutes later) is skipped, also after a restart', async () => {
        await deploy({ sync: true });
        const item = movie(7);
        const stopped = await expectSent(playback(item, 'stop', 95), 'scrobble');
        expect(tracker.plays()).to.have.lengthOf(1);
        const scrobbledAt = Date.parse(String((stopped as { play?: EventItem }).play?.watchedAt));
        // Tautulli reports the sitting at its stop time, seconds included.
        const fromHistory = { ...item, watchedAt: new Date(scrobbledAt + 3 * 60_000 + 17_000).toISOString(), source: { kind: 'tautulli', ref: '4711', user: 'alice' } };

        const syncOnce = async (): Promise<Record<string, number>> => {
          const before = out.sum.length;
          helper.getNode('s1').receive({ payload: [fromHistory] } as NodeMessage);
          await until(() => out.sum.length > before, 'the sync summary');
          return out.sum.at(-1)!.payload as Record<string, number>;
        };
        expect(await syncOnce()).to.include({ added: 0, skipped: 1, failed: 0 });
        expect(tracker.plays(), 'still one play').to.have.lengthOf(1);
        expect(tracker.requests('POST', /^\/sync\/history$/), 'no history write').to.equal(0);

        // A Node-RED restart: fresh modules, only the state dir survives.
        captureSurface();
        await helper.unload();
        await deploy({ sync: true }, true);
        expect(await syncOnce()).to.include({ added: 0, skipped: 1, failed: 0 });
        expect(tracker.plays(), 'still one play after the restart').to.have.lengthOf(1);
        expect(tracker.requests('POST', /^\/sync\/history$/), 'no history write after the restart').to.equal(0);
      });
    });

    describe('8. events without ids', () => {
      it('"Inception" (2010) and Game of Thrones 6x1 by title are matched and scrobbled; the match cache is shared', async () => {
        await deploy({ match: true });
        const inception: EventItem = { type: 'movie', title: 'Inception', year: 2010 };
        const got: EventItem = { type: 'episode', title: 'The Red Woman', season: 6, episode: 1, show: { title: 'Game of Thrones', year: 2011 } };

        await expectSent(playback(inception, 'start', 5), 'start');
        expect(tracker.playbackOf('movie:Inception (2010)'), `${tracker.name} shows Inception as watching now`).to.equal('start');
        const searches = tracker.requests('GET', SEARCH_PATH);
        expect(searches, 'a search for Inception').to.be.at.least(1);

        await expectSent(playback(inception, 'pause', 20), 'pause');
        expect(tracker.requests('GET', SEARCH_PATH), 'the second event costs no search').to.equal(searches);

        await expectSent(playback(got, 'start', 3), 'start');
        expect(tracker.playbackOf(episodeKey('Game of Thrones', 6, 1))).to.equal('start');
        const afterGot = tracker.requests('GET', SEARCH_PATH);
        expect(afterGot, 'a search for the show').to.be.above(searches);

        // The match node on the same account uses the same cache: Inception costs it no search.
        helper.getNode('m1').receive({ payload: { type: 'movie', title: 'Inception', year: 2010 } } as NodeMessage);
        await until(() => out.mo1.length + out.mo2.length > 0, 'the match node');
        expect(out.mo1, `unmatched: ${out.mo2.map(reasonOf).join(', ')}`).to.have.lengthOf(1);
        expect(Object.keys((out.mo1[0].payload as EventItem).ids ?? {})).not.to.have.lengthOf(0);
        expect(tracker.requests('GET', SEARCH_PATH), 'the match node searched nothing').to.equal(afterGot);

        await expectSent(playback(inception, 'stop', 90), 'scrobble');
        await expectSent(playback(got, 'stop', 99), 'scrobble');
        expect(tracker.plays().map((p) => p.key).sort()).to.deep.equal(['episode:Game of Thrones:6x1', 'movie:Inception (2010)']);
        expect(tracker.requests('GET', SEARCH_PATH)).to.equal(afterGot);
      });
    });

    describe('9. check-in mode', () => {
      if (tracker.name === 'Simkl') {
        it('is refused with a clear reason on output 2 (Simkl cannot cancel a check-in); nothing is sent', async () => {
          await deploy({ mode: 'checkin' });
          const { output, msg } = await feed(playback(movie(8), 'start', 0));
          expect(output).to.equal(2);
          expect(reasonOf(msg)).to.match(/check-?in/i);
          expect(reasonOf(msg)).to.match(/Simkl/);
          expect(reasonOf(msg)).to.match(/scrobble mode/);
          expect(tracker.requests('POST', /./), 'no write reached Simkl').to.equal(0);
        });
        return;
      }

      it('start checks in; a second item is refused while the first runs; a stop below 80 % cancels the check-in', async () => {
        await deploy({ mode: 'checkin' });
        const first = movie(8);
        const second = movie(9);
        const checkins = tracker.checkins;

        const { output, msg } = await feed(playback(first, 'start', 0));
        expect(output, reasonOf(msg)).to.equal(1);
        expect(resultOf(msg).checkedIn).to.equal(true);
        expect(tracker.requests('POST', /^\/checkin$/)).to.equal(1);
        expect(lastStatus()).to.equal('scrobble.status.checkedIn');

        const refused = await feed(playback(second, 'start', 0));
        expect(refused.output, reasonOf(refused.msg)).to.equal(1);
        expect(resultOf(refused.msg).checkedIn, 'the second check-in was refused').to.equal(false);
        const until_ = resultOf(refused.msg).expiresAt ?? reasonOf(refused.msg);
        expect(until_, 'says until when the other check-in runs').to.match(/\d{4}-\d{2}-\d{2}T/);

        const cancelled = await feed(playback(first, 'stop', 40));
        expect(cancelled.output, reasonOf(cancelled.msg)).to.equal(1);
        expect(resultOf(cancelled.msg).checkedIn).to.equal(false);
        expect(tracker.requests('DELETE', /^\/checkin$/), 'DELETE /checkin').to.equal(1);
        expect(checkins?.(), 'running check-ins').to.equal(0);
        expect(emitted()).to.equal(inputs);
      });

      it('the refused check-in says why on the message: another check-in is active until …', async () => {
        await deploy({ mode: 'checkin' });
        await feed(playback(movie(10), 'start', 0));
        const refused = await feed(playback(movie(11), 'start', 0));
        expect(resultOf(refused.msg).checkedIn).to.equal(false);
        expect(reasonOf(refused.msg), 'msg.reason').to.match(/another check-in is active until \d{4}-/);
      });
    });

    describe('re-authorization', () => {
      it('a revoked authorization: output 2, the scrobble node shows "re-authorization required", and no retry loop', async () => {
        await deploy();
        const item = movie(12);
        await expectSent(playback(item, 'start', 10), 'start');
        tracker.revoke();

        const paused = await feed(playback(item, 'pause', 30));
        expect(paused.output).to.equal(2);
        expect(reasonOf(paused.msg)).to.match(/authori[sz]/i);
        const requestsAfter = tracker.requests('POST', /./) + tracker.requests('GET', /./);

        const again = await feed(playback(item, 'start', 31));
        expect(again.output).to.equal(2);
        expect(reasonOf(again.msg)).to.match(/authori[sz]/i);
        await new Promise((r) => setTimeout(r, 200));
        expect(tracker.requests('POST', /./) + tracker.requests('GET', /./), 'no request once re-authorization is required').to.equal(requestsAfter);

        const texts = statusesOf(scrobbleNode()).map((s) => keyOf(s.text));
        const last = statusesOf(scrobbleNode()).at(-1);
        expect(keyOf(last?.text), `the last status (all: ${texts.join(', ')})`).to.match(/reauth/);
        expect(last).to.include({ fill: 'red' });
      });
    });

    describe('10. secrets', () => {
      it('no status, message, error or log line of the tests above holds a token or the client secret', () => {
        registerSecrets(tracker.secrets());
        expect(surfaceSize(), 'something was recorded').to.be.above(20);
        const leaks = leakedSecrets();
        expect(leaks, leaks.join('\n')).to.deep.equal([]);
      });
    });
  });
}
