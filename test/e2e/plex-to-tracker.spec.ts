import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import helper from 'node-red-node-test-helper';
import type { Node, NodeMessage } from 'node-red';
import {
  catalogFor,
  generateTautulliLibrary,
  simklCatalogFor,
  startSimklSandbox,
  startTautulliSandbox,
  startTraktSandbox,
  TAUTULLI_SANDBOX_API_KEY,
  type SimklSandbox,
  type TautulliSandbox,
  type TraktSandbox,
} from '../sandbox';
import { sandboxKey } from '../sandbox/plays';

const DIST = resolve(__dirname, '..', '..', 'dist');
const NODE_FILES = ['trakt-config', 'simkl-config', 'tautulli-config', 'tautulli-in', 'match', 'sync-history'].map((name) => join(DIST, 'nodes', name, `${name}.js`));

/** Loads the built nodes as a fresh runtime would: every dist module re-read, so no in-memory state survives. */
function freshNodeModules(): Array<(RED: unknown) => void> {
  for (const id of Object.keys(require.cache)) if (id.startsWith(DIST)) delete require.cache[id];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return NODE_FILES.map((file) => require(file) as (RED: unknown) => void);
}

interface Collected {
  summaries: Array<Record<string, number>>;
  unmatched: NodeMessage[];
  notSynced: NodeMessage[];
  errors: unknown[];
}

type Expected = ReturnType<typeof generateTautulliLibrary>['expected'][number];

/** What the suite needs from a fake tracker: its config node, its plays, and its request counts. */
interface TrackerUnderTest {
  name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  config(): { node: Record<string, unknown>; credentials: Record<string, string> };
  settings: Record<string, unknown>;
  /** Every play on the fake tracker, as `kind:id@minute` keys in the answer key's terms. */
  playKeys(): string[];
  expectedKey(play: Expected): string;
  requests(): { all: number; writes: number };
}

const catalog = catalogFor();

function traktUnderTest(): TrackerUnderTest {
  let trakt: TraktSandbox;
  let issued: ReturnType<TraktSandbox['state']['issueTokens']> | undefined;
  return {
    name: 'Trakt',
    start: async () => {
      trakt = await startTraktSandbox({ timeScale: 0.1 });
    },
    close: () => trakt.close(),
    config() {
      issued ??= trakt.state.issueTokens();
      return {
        node: { id: 'tc', type: 'clawarr-trakt-config', apiUrl: trakt.url },
        credentials: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: new Date((issued.created_at + issued.expires_in) * 1000).toISOString() },
      };
    },
    // Trakt's real limits, 10 times faster (the fake runs at timeScale 0.1).
    settings: { limits: { writeSpacingMs: 100, readWindowMs: 30_000, readsPerWindow: 500 }, backoffBaseMs: 5 },
    playKeys: () => trakt.state.plays.map(sandboxKey),
    expectedKey: (p) => `${p.traktType}:${p.traktId}@${p.watchedAt}`,
    requests: () => ({ all: trakt.state.requestLog.length, writes: trakt.state.requestLog.filter((r) => r.method === 'POST').length }),
  };
}

function simklUnderTest(): TrackerUnderTest {
  let simkl: SimklSandbox;
  let token: string | undefined;
  const simklCatalog = simklCatalogFor();
  // The answer key speaks Trakt ids; the fake Simkl holds the same titles under its own ids.
  const movieByTrakt = new Map(catalog.movies.map((m) => [m.trakt, simklCatalog.movies.find((s) => s.tmdb === m.tmdb)?.simkl]));
  const episodeByTrakt = new Map<number, string>();
  for (const show of catalog.shows) {
    const simklShow = simklCatalog.shows.find((s) => s.tvdb === show.tvdb);
    for (const season of show.seasons) for (const episode of season.episodes) episodeByTrakt.set(episode.ids.trakt, `${simklShow?.simkl}:${season.number}:${episode.number}`);
  }
  return {
    name: 'Simkl',
    start: async () => {
      simkl = await startSimklSandbox({ timeScale: 0.1 });
    },
    close: () => simkl.close(),
    config() {
      token ??= simkl.state.issueToken();
      return { node: { id: 'tc', type: 'clawarr-simkl-config', apiUrl: simkl.url }, credentials: { clientId: 'sandbox-simkl-client-id', accessToken: token } };
    },
    // Simkl's real limits (10 reads a second with slack, 1 write a second), 10 times faster.
    settings: { limits: { writeSpacingMs: 100, readWindowMs: 105, readsPerWindow: 10 }, backoffBaseMs: 5 },
    playKeys: () => simkl.state.plays.map((p) => (p.type === 'movie' ? `movie:${p.simklId}@${p.watchedAt}` : `episode:${p.simklId}:${p.season}:${p.episode}@${p.watchedAt}`)),
    expectedKey: (p) => (p.traktType === 'movie' ? `movie:${movieByTrakt.get(p.traktId!)}@${p.watchedAt}` : `episode:${episodeByTrakt.get(p.traktId!)}@${p.watchedAt}`),
    requests: () => ({ all: simkl.state.requestLog.length, writes: simkl.state.requestLog.filter((r) => r.method === 'POST').length }),
  };
}

helper.init(require.resolve('node-red'));

for (const tracker of [traktUnderTest(), simklUnderTest()]) {
  describe(`end to end: Plex history through Tautulli → match → sync-history to ${tracker.name}`, function () {
    this.timeout(180_000);
    let tautulli: TautulliSandbox;
    const library = generateTautulliLibrary(catalog, { plays: 5000, users: ['alice', 'bob', 'carol'], seed: 7 });
    const should = library.expected.filter((p) => p.watched && p.traktId !== null);
    const cannot = library.expected.filter((p) => p.watched && p.traktId === null);

    before(async () => {
      process.env.CLAWARR_STATE_DIR = join(mkdtempSync(join(tmpdir(), 'clawarr-plex-')), 'clawarr');
      await tracker.start();
      tautulli = await startTautulliSandbox({ library });
      helper.settings({ clawarr: tracker.settings });
      await new Promise<void>((done) => helper.startServer(() => done()));
    });
    after(async () => {
      await helper.unload();
      await new Promise<void>((done) => helper.stopServer(() => done()));
      await tracker.close();
      await tautulli.close();
      delete process.env.CLAWARR_STATE_DIR;
    });

    async function load(): Promise<Collected> {
      await helper.unload();
      const config = tracker.config();
      const flow = [
        { id: 'f1', type: 'tab' },
        config.node,
        { id: 'tz', type: 'clawarr-tautulli-config', url: tautulli.url },
        { id: 'in', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', mediaTypes: 'movie,episode', minWatched: 'watched', grouping: true, output: 'page', wires: [['match']] },
        { id: 'match', type: 'clawarr-match', z: 'f1', tracker: 'tc', threshold: 0.8, overrides: [], wires: [['sync'], ['unmatched']] },
        { id: 'sync', type: 'clawarr-sync-history', z: 'f1', tracker: 'tc', batchSize: 100, idleSeconds: 0.3, wires: [['summary'], ['notSynced']] },
        { id: 'summary', type: 'helper', z: 'f1' },
        { id: 'unmatched', type: 'helper', z: 'f1' },
        { id: 'notSynced', type: 'helper', z: 'f1' },
        { id: 'catcher', type: 'catch', z: 'f1', scope: null, wires: [['errors']] },
        { id: 'errors', type: 'helper', z: 'f1' },
      ];
      await helper.load(freshNodeModules() as never, flow, { tc: config.credentials, tz: { apiKey: TAUTULLI_SANDBOX_API_KEY } });
      const collected: Collected = { summaries: [], unmatched: [], notSynced: [], errors: [] };
      helper.getNode('summary').on('input', (msg: NodeMessage) => collected.summaries.push(msg.payload as Record<string, number>));
      helper.getNode('unmatched').on('input', (msg: NodeMessage) => collected.unmatched.push(msg));
      helper.getNode('notSynced').on('input', (msg: NodeMessage) => collected.notSynced.push(msg));
      helper.getNode('errors').on('input', (msg: NodeMessage) => collected.errors.push((msg as { error?: unknown }).error));
      return collected;
    }

    async function runUntil(done: () => boolean, label: string, timeoutMs = 150_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const accounted = (c: Collected) => c.summaries.reduce((n, s) => n + s.added + s.skipped + s.notFound + s.failed, 0) + c.unmatched.length;
    const requests = () => ({ ...tracker.requests(), tautulli: tautulli.state.requestLog.length });

    /** An inject on an unchanged history: waits for tautulli-in to say it found nothing new. */
    async function injectNothingNew(): Promise<void> {
      const input = helper.getNode('in') as Node;
      const statuses: string[] = [];
      input.on('call:status', (call: { args: Array<{ text?: string }> }) => statuses.push(String(call.args[0]?.text)));
      input.receive({ payload: 'go' } as never);
      await runUntil(() => statuses.includes('tautulli-in.status.none') || statuses.some((s) => s.startsWith('tautulli-in.status.error')), 'the read to end', 20_000);
      await new Promise((r) => setTimeout(r, 600));
      expect(statuses).to.include('tautulli-in.status.none');
    }

    it(`holds exactly the right plays on ${tracker.name}, every other watched play leaves on a second output, and re-runs and a restart write nothing`, async () => {
      const c = await load();
      (helper.getNode('in') as Node).receive({ payload: 'go' } as never);
      await runUntil(() => accounted(c) >= should.length + cannot.length, `${should.length + cannot.length} plays to be accounted for`);
      await new Promise((r) => setTimeout(r, 500));

      const secondOutput = new Map([...c.unmatched, ...c.notSynced].map((m) => [String((m.payload as { source?: { ref?: string } }).source?.ref), String((m as { reason?: string }).reason)]));
      const expectedKeys = new Set(should.map(tracker.expectedKey));
      const onTracker = tracker.playKeys();
      expect(new Set(onTracker).size, `no duplicate play on ${tracker.name}`).to.equal(onTracker.length);
      expect(onTracker.filter((k) => !expectedKeys.has(k)), `plays that should not be on ${tracker.name} (wrong matches)`).to.deep.equal([]);
      const missing = should.filter((p) => !onTracker.includes(tracker.expectedKey(p)));
      // Nothing lost: a matchable play not on the tracker came out on a second output, and only as ambiguous
      // (same-name shows that the tracker's search cannot tell apart without a year; Trakt can, by country).
      expect(missing.filter((p) => !secondOutput.has(p.ref)).map((p) => p.ref), 'plays neither on the tracker nor on a second output').to.deep.equal([]);
      expect([...new Set(missing.map((p) => secondOutput.get(p.ref)?.split(':')[0]))].filter((r) => r !== 'ambiguous'), 'reasons of matchable plays left out').to.deep.equal([]);
      if (tracker.name === 'Trakt') expect(missing, 'Trakt holds every matchable play').to.deep.equal([]);
      expect(cannot.filter((p) => !secondOutput.has(p.ref)).map((p) => p.ref), 'unmatchable plays not on a second output').to.deep.equal([]);
      expect(c.errors, 'errors').to.deep.equal([]);

      const before = requests();
      await injectNothingNew();
      const after = requests();
      expect(after.writes - before.writes, 'writes on the re-run').to.equal(0);
      expect(after.all - before.all + after.tautulli - before.tautulli, 'requests on the re-run').to.be.at.most(2);

      await load(); // a restart: fresh modules, state only from disk
      const restarted = requests();
      await injectNothingNew();
      const afterRestart = requests();
      expect(afterRestart.writes - restarted.writes, 'writes after the restart').to.equal(0);
      expect(afterRestart.all - restarted.all + afterRestart.tautulli - restarted.tautulli, 'requests after the restart').to.be.at.most(2);
      expect(tracker.playKeys()).to.have.length(onTracker.length);
    });
  });
}
