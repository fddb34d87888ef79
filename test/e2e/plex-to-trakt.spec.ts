import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import helper from 'node-red-node-test-helper';
import type { Node, NodeMessage } from 'node-red';
import {
  catalogFor,
  generateTautulliLibrary,
  startTautulliSandbox,
  startTraktSandbox,
  TAUTULLI_SANDBOX_API_KEY,
  type TautulliSandbox,
  type TraktSandbox,
} from '../sandbox';
import { sandboxKey } from '../sandbox/plays';

const DIST = resolve(__dirname, '..', '..', 'dist');
const NODE_FILES = ['trakt-config', 'tautulli-config', 'tautulli-in', 'match', 'sync-history'].map((name) => join(DIST, 'nodes', name, `${name}.js`));

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

helper.init(require.resolve('node-red'));

describe('end to end: Plex history through Tautulli → match → sync-history', function () {
  this.timeout(180_000);
  let trakt: TraktSandbox;
  let tautulli: TautulliSandbox;
  const catalog = catalogFor();
  const library = generateTautulliLibrary(catalog, { plays: 5000, users: ['alice', 'bob', 'carol'], seed: 7 });
  const should = library.expected.filter((p) => p.watched && p.traktId !== null);
  const cannot = library.expected.filter((p) => p.watched && p.traktId === null);

  before(async () => {
    process.env.CLAWARR_STATE_DIR = join(mkdtempSync(join(tmpdir(), 'clawarr-plex-')), 'clawarr');
    trakt = await startTraktSandbox({ timeScale: 0.1 });
    tautulli = await startTautulliSandbox({ library });
    helper.settings({ clawarr: { limits: { writeSpacingMs: 100, readWindowMs: 30_000, readsPerWindow: 500 }, backoffBaseMs: 5 } });
    await new Promise<void>((done) => helper.startServer(() => done()));
  });
  after(async () => {
    await helper.unload();
    await new Promise<void>((done) => helper.stopServer(() => done()));
    await trakt.close();
    await tautulli.close();
    delete process.env.CLAWARR_STATE_DIR;
  });

  const tokens = () => trakt.state.issueTokens();
  let issued: ReturnType<typeof tokens>;

  async function load(): Promise<Collected> {
    await helper.unload();
    issued ??= tokens();
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'tc', type: 'clawarr-trakt-config', apiUrl: trakt.url },
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
    const credentials = {
      tc: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: new Date((issued.created_at + issued.expires_in) * 1000).toISOString() },
      tz: { apiKey: TAUTULLI_SANDBOX_API_KEY },
    };
    await helper.load(freshNodeModules() as never, flow, credentials);
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

  function accounted(c: Collected): number {
    return c.summaries.reduce((n, s) => n + s.added + s.skipped + s.notFound + s.failed, 0) + c.unmatched.length;
  }

  function requests(): { trakt: number; traktWrites: number; tautulli: number } {
    return {
      trakt: trakt.state.requestLog.length,
      traktWrites: trakt.state.requestLog.filter((r) => r.method === 'POST').length,
      tautulli: tautulli.state.requestLog.length,
    };
  }

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

  it('puts exactly the watched, matchable plays on Trakt, every other watched play on a second output, and nothing more on re-runs and after a restart', async () => {
    const c = await load();
    (helper.getNode('in') as Node).receive({ payload: 'go' } as never);
    await runUntil(() => accounted(c) >= should.length + cannot.length, `${should.length + cannot.length} plays to be accounted for`);
    await new Promise((r) => setTimeout(r, 500));

    const expectedKeys = should.map((p) => `${p.traktType}:${p.traktId}@${p.watchedAt}`).sort();
    const onTrakt = trakt.state.plays.map(sandboxKey).sort();
    expect(new Set(onTrakt).size, 'no duplicate play on Trakt').to.equal(onTrakt.length);
    expect(onTrakt.filter((k) => !expectedKeys.includes(k)), 'plays that should not be on Trakt').to.deep.equal([]);
    expect(expectedKeys.filter((k) => !onTrakt.includes(k)), 'plays missing on Trakt').to.deep.equal([]);

    // Every watched play Trakt cannot hold left on a second output (match's or sync-history's).
    const secondOutput = new Set([...c.unmatched, ...c.notSynced].map((m) => String((m.payload as { source?: { ref?: string } }).source?.ref)));
    expect(cannot.filter((p) => !secondOutput.has(p.ref)).map((p) => p.ref), 'unmatchable plays not on a second output').to.deep.equal([]);
    expect(c.errors, 'errors').to.deep.equal([]);

    const before = requests();
    await injectNothingNew();
    const after = requests();
    expect(after.traktWrites - before.traktWrites, 'writes on the re-run').to.equal(0);
    expect(after.trakt - before.trakt + after.tautulli - before.tautulli, 'requests on the re-run').to.be.at.most(2);

    await load(); // a restart: fresh modules, state only from disk
    const restarted = requests();
    await injectNothingNew();
    const afterRestart = requests();
    expect(afterRestart.traktWrites - restarted.traktWrites, 'writes after the restart').to.equal(0);
    expect(afterRestart.trakt - restarted.trakt + afterRestart.tautulli - restarted.tautulli, 'requests after the restart').to.be.at.most(2);
    expect(trakt.state.plays).to.have.length(should.length);
  });
});
