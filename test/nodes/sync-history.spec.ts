// clawarr-sync-history in a Node-RED runtime against the fake Trakt: bulk sync without duplicates,
// not-found and invalid items, dry run, undated plays, batching, rate limits and secrets.
import { expect } from 'chai';
import type { NodeMessage } from 'node-red';
import type { TraktSandbox } from '../sandbox';
import {
  authorizedCreds,
  captureSurface,
  collectOutputs,
  episodePlay,
  errorsOf,
  helper,
  keyOf,
  leakedSecrets,
  load,
  moviePlay,
  type Outputs,
  type PlayItem,
  playKey,
  requestsTo,
  sandboxPlayKeys,
  sleep,
  startSandbox,
  statusesOf,
  surfaceSize,
  syncFlow,
  type SyncOptions,
  useNodeRed,
  useSandbox,
  waitFor,
} from './harness';

interface Summary {
  dryRun: boolean;
  added: number;
  skipped: number;
  notFound: number;
  failed: number;
  wouldAdd?: number;
}

const summaryOf = (msg: NodeMessage): Summary => msg.payload as Summary;
const historyPosts = (sb: TraktSandbox): number => requestsTo(sb, 'POST', '/sync/history');

describe('nodes: clawarr-sync-history', function () {
  this.timeout(10_000);
  let sb: TraktSandbox;
  let out: Outputs;

  useNodeRed();
  useSandbox(startSandbox, (started) => (sb = started));

  async function deploy(options: SyncOptions = {}): Promise<void> {
    await load(syncFlow(sb.url, options), { cfg: authorizedCreds(sb) });
    out = collectOutputs();
  }

  const send = (msg: Record<string, unknown>): void => helper.getNode('s1').receive(msg as NodeMessage);

  /** Sends one message and waits for its summary on output 1. */
  async function sync(payload: unknown, extra: Record<string, unknown> = {}): Promise<Summary> {
    const before = out.out1.length;
    send({ payload, ...extra });
    await waitFor(() => out.out1.length > before, 'the summary on output 1');
    return summaryOf(out.out1[out.out1.length - 1]);
  }

  describe('6. bulk sync without duplicates', () => {
    it('syncs 250 plays in 3 requests, then skips all of them on a re-run without writing', async () => {
      await deploy({ batchSize: 100 });
      const plays: PlayItem[] = [];
      for (let i = 0; i < 150; i++) plays.push(moviePlay(i, i));
      for (let n = 0; n < 60; n++) plays.push(episodePlay(n, 150 + n, true));
      for (let n = 60; n < 100; n++) plays.push(episodePlay(n, 150 + n, false)); // only show ids + numbers
      expect(plays.filter((p) => p.type === 'episode' && !p.ids)).to.have.lengthOf(40);

      // msg.complete: everything in one flush (without it, 200 go now and 50 after the idle time).
      const first = await sync(plays, { complete: true });
      expect(first).to.include({ dryRun: false, added: 250, skipped: 0, notFound: 0, failed: 0 });
      expect(out.out1).to.have.lengthOf(1);
      expect(out.out2, 'nothing on output 2').to.have.lengthOf(0);
      expect(historyPosts(sb), 'POST /sync/history').to.equal(3);
      expect(sandboxPlayKeys(sb).sort()).to.deep.equal(plays.map(playKey).sort());
      expect(keyOf(statusesOf(helper.getNode('s1')).at(-1)?.text)).to.equal('sync-history.status.done');

      const second = await sync(plays.map((p) => ({ ...p })), { complete: true });
      expect(second).to.include({ added: 0, skipped: 250, notFound: 0, failed: 0 });
      expect(historyPosts(sb), 'no POST on the re-run').to.equal(3);
      expect(sb.state.plays).to.have.lengthOf(250);
    });
  });

  describe('6b. whole batches across messages', () => {
    it('writes pages of 150 plays in full batches of 100: 450 plays in 5 writes, not 6', async () => {
      await deploy({ batchSize: 100, idleSeconds: 0.2 });
      // Movies reused at later minutes (rewatches): the small test catalog has 300 movies.
      const pages = [0, 1, 2].map((p) => Array.from({ length: 150 }, (_, i) => moviePlay((p * 150 + i) % 300, 1000 + p * 150 + i)));
      for (const page of pages) send({ payload: page });
      await waitFor(() => out.out1.reduce((n, m) => n + summaryOf(m).added, 0) === 450, 'all 450 plays written', 10_000);
      expect(historyPosts(sb), 'POST /sync/history').to.equal(5);
      expect(out.out1.map((m) => summaryOf(m).added)).to.deep.equal([100, 200, 100, 50]);
      expect(new Set(sandboxPlayKeys(sb)).size).to.equal(450);
    });
  });

  describe('7. plays Trakt does not know', () => {
    it('a play Trakt does not know leaves on output 2 with a reason; the others are synced', async () => {
      await deploy();
      const unknown = { type: 'movie', title: 'A Film Nobody Made', year: 1901, ids: { imdb: 'tt0000001' }, watchedAt: '2024-02-01T10:00:00.000Z' };
      const good = [moviePlay(10, 10), episodePlay(3, 11)];
      const summary = await sync([good[0], unknown, good[1]]);
      expect(summary).to.include({ added: 2, notFound: 1, failed: 0 });
      await waitFor(() => out.out2.length === 1, 'the unknown play on output 2');
      const notSynced = out.out2[0] as NodeMessage & { reason?: string };
      expect(notSynced.payload).to.deep.equal(unknown);
      expect(notSynced.reason).to.match(/not ?found/i);
      expect(sandboxPlayKeys(sb).sort()).to.deep.equal(good.map(playKey).sort());
    });
  });

  describe('8. invalid input', () => {
    it('invalid items each reach a Catch node with a readable reason; the valid ones are synced', async () => {
      await deploy();
      const valid = [moviePlay(20, 20), moviePlay(21, 21)];
      const payload = [
        valid[0],
        'hello',
        42,
        { type: 'podcast' },
        { ...moviePlay(22, 22), watchedAt: 'yesterday' },
        { ...moviePlay(23, 23), rating: 11 },
        valid[1],
      ];
      const summary = await sync(payload);
      expect(summary).to.include({ added: 2, failed: 0 });
      await waitFor(() => out.err.length >= 5, 'five errors at the Catch node');
      await sleep(50);
      const messages = out.err.map((m) => String((m as { error?: { message?: string } }).error?.message));
      expect(messages, messages.join('\n')).to.have.lengthOf(5);
      const expected: Array<[string, RegExp]> = [
        ['item 2', /string/],
        ['item 3', /number/],
        ['item 4', /type|podcast/],
        ['item 5', /watchedAt/],
        ['item 6', /rating/],
      ];
      for (const [position, detail] of expected) {
        const message = messages.find((m) => m.includes(`${position}:`));
        expect(message, `an error naming ${position}: ${messages.join(' | ')}`).to.be.a('string');
        expect(message).to.match(detail);
      }
      expect(sandboxPlayKeys(sb).sort()).to.deep.equal(valid.map(playKey).sort());

      // A payload that is not an item at all: one error, nothing synced, no summary.
      send({ payload: 'hello' });
      await waitFor(() => out.err.length === 6, 'the error for payload "hello"');
      expect(String((out.err[5] as { error?: { message?: string } }).error?.message)).to.include('item 1');
      await sleep(150);
      expect(out.out1).to.have.lengthOf(1);
      expect(historyPosts(sb)).to.equal(1);
    });
  });

  describe('9. dry run', () => {
    it('dry run reports what it would add and writes nothing', async () => {
      await deploy({ dryRun: true });
      const plays = [moviePlay(30, 30), moviePlay(31, 31), episodePlay(5, 32, false)];
      const summary = await sync(plays);
      expect(summary).to.include({ dryRun: true, wouldAdd: 3, added: 0 });
      expect(historyPosts(sb), 'POST /sync/history').to.equal(0);
      expect(sb.state.plays).to.have.lengthOf(0);
      expect(keyOf(statusesOf(helper.getNode('s1')).at(-1)?.text)).to.equal('sync-history.status.dryRun');
    });
  });

  describe('10. plays without a date', () => {
    it('go to output 2 with a reason by default', async () => {
      await deploy();
      const undated = { ...moviePlay(40, 0), watchedAt: undefined };
      delete undated.watchedAt;
      const summary = await sync([undated]);
      expect(summary).to.include({ added: 0, failed: 1 });
      await waitFor(() => out.out2.length === 1, 'the undated play on output 2');
      expect(out.out2[0].payload).to.deep.equal(undated);
      expect((out.out2[0] as { reason?: string }).reason).to.match(/watchedAt|date/i);
      expect(sb.state.plays).to.have.lengthOf(0);
    });

    it('are synced with Trakt\'s "unknown" date when undated is "unknown"', async () => {
      await deploy({ undated: 'unknown' });
      const undated = { ...moviePlay(41, 0) } as PlayItem;
      delete undated.watchedAt;
      const summary = await sync([undated]);
      expect(summary).to.include({ added: 1, failed: 0 });
      expect(sb.state.plays).to.have.lengthOf(1);
      expect(sb.state.plays[0]).to.include({ type: 'movie', watchedAt: '1970-01-01T00:00:00.000Z' });
    });
  });

  describe('11. batching', () => {
    it('five single-play messages within the idle time are synced in one flush', async () => {
      await deploy({ idleSeconds: 0.05 });
      const plays = [0, 1, 2, 3, 4].map((i) => moviePlay(50 + i, 50 + i));
      for (const play of plays) send({ payload: play });
      await waitFor(() => out.out1.length >= 1, 'a summary');
      await sleep(250);
      expect(out.out1, 'one summary').to.have.lengthOf(1);
      expect(summaryOf(out.out1[0])).to.include({ added: 5 });
      expect(historyPosts(sb), 'one POST').to.equal(1);
      expect(sandboxPlayKeys(sb).sort()).to.deep.equal(plays.map(playKey).sort());
    });

    it('msg.complete flushes at once even with a long idle time', async () => {
      await deploy({ idleSeconds: 60 });
      const plays = [0, 1, 2].map((i) => moviePlay(60 + i, 60 + i));
      send({ payload: plays[0] });
      send({ payload: plays[1] });
      await sleep(100);
      expect(out.out1, 'still waiting for more input').to.have.lengthOf(0);
      const started = Date.now();
      send({ payload: plays[2], complete: true });
      await waitFor(() => out.out1.length === 1, 'the summary after msg.complete', 2000);
      expect(Date.now() - started).to.be.below(2000);
      expect(summaryOf(out.out1[0])).to.include({ added: 3 });
      expect(historyPosts(sb)).to.equal(1);
    });
    it('plays waiting for the idle time are still written when the flow is redeployed or stopped', async () => {
      await deploy({ idleSeconds: 60 });
      const plays = [moviePlay(70, 70), moviePlay(71, 71)];
      send({ payload: plays });
      await sleep(50);
      expect(sb.state.plays, 'still queued').to.have.lengthOf(0);
      captureSurface();
      await helper.unload(); // what a redeploy or a Node-RED stop does to the nodes
      await waitFor(() => sb.state.plays.length === 2, 'the queued plays on Trakt', 2000).catch(() => undefined);
      expect(sandboxPlayKeys(sb).sort(), 'plays taken in before the redeploy').to.deep.equal(plays.map(playKey).sort());
    });
  });

  describe('13. rate limiting', () => {
    it('a 429 storm during a sync is waited out: every play lands exactly once, and the status said so', async () => {
      await deploy({ batchSize: 50 });
      const warmUp = moviePlay(99, 99);
      expect(await sync([warmUp])).to.include({ added: 1 });
      const plays: PlayItem[] = [];
      for (let i = 0; i < 120; i++) plays.push(moviePlay(100 + i, 100 + i));
      Object.assign(sb.state.faults, { storm429: 3 });
      const summary = await sync(plays, { complete: true });
      expect(summary).to.include({ added: 120, failed: 0, notFound: 0 });
      expect(sb.state.count429, '429 answers').to.be.at.least(3);
      const keys = sandboxPlayKeys(sb);
      expect(keys).to.have.lengthOf(121);
      expect(new Set(keys).size, 'no duplicate play').to.equal(121);
      expect(keys.sort()).to.deep.equal([warmUp, ...plays].map(playKey).sort());
      const texts = statusesOf(helper.getNode('s1')).map((s) => keyOf(s.text));
      expect(texts, texts.join(', ')).to.include('sync-history.status.waiting');
      expect(texts.at(-1)).to.equal('sync-history.status.done');
    });
  });

  describe('12. secrets', () => {
    it('never reach a status, msg, error or log line (refresh, 429s, bad items, not found, re-authorization)', async () => {
      const creds = authorizedCreds(sb);
      await load(syncFlow(sb.url), { cfg: creds });
      out = collectOutputs();
      const s1 = helper.getNode('s1');
      sb.state.expireAccessTokens(); // forces a refresh on the first call
      Object.assign(sb.state.faults, { storm429: 2 });
      const unknown = { type: 'movie', title: 'A Film Nobody Made', year: 1901, ids: { imdb: 'tt0000001' }, watchedAt: '2024-02-01T10:00:00.000Z' };
      expect(await sync([moviePlay(200, 200), unknown, { type: 'podcast' }])).to.include({ added: 1, notFound: 1 });
      expect(requestsTo(sb, 'POST', '/oauth/token'), 'refreshed').to.equal(1);

      // Now Trakt revokes everything: the next sync needs a re-authorization.
      for (const token of sb.state.tokens.refresh.keys()) sb.state.tokens.revoke(token);
      sb.state.expireAccessTokens();
      expect(await sync([moviePlay(201, 201)])).to.include({ added: 0, failed: 1 });
      await waitFor(() => out.out2.length === 2, 'the failed play on output 2');
      expect(errorsOf(s1).length, 'the invalid item reached node.error').to.be.at.least(1);

      captureSurface(); // this test's own statuses, sends, errors and logs (afterEach records them again)
      expect(surfaceSize()).to.be.above(10);
      const leaks = leakedSecrets();
      expect(leaks, leaks.join('\n')).to.deep.equal([]);
    });
  });
});
