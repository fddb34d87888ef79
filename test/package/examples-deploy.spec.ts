/**
 * Every example flow, deployed together in a real Node-RED 4.1 (as `npm start` does): every node of
 * every example must exist as a runtime node, with no missing types and no error in the log. The
 * clawarr config nodes point at the loopback fakes (Trakt, Simkl, Tautulli), the Home Assistant
 * server at a loopback port where nothing answers, with the credentials a user would enter. Then
 * the two examples with logic of their own run: the dry run writes nothing and the real run writes
 * what it previewed; a Tautulli webhook reaches the Home Assistant "Now playing" sensor.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateTautulliLibrary,
  startSimklSandbox,
  startTautulliSandbox,
  startTraktSandbox,
  type SimklSandbox,
  type TautulliSandbox,
  type TraktSandbox,
} from '../sandbox';
import { pointExamplesAtSandboxes, type ExampleNode } from '../sandbox/demo-flows';
import { freePort, linkPackage, NodeRedProcess, ROOT, sleep, traktCredentials, waitFor, writeProbe, type Delivery } from '../support/node-red-process';

const EXAMPLES = join(ROOT, 'examples');

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [key: string]: unknown;
}

const examples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((file) => ({ file, nodes: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as FlowNode[] }));

/** Flow entries that are not runtime nodes (RED.nodes.getNode never returns them). */
const NOT_NODES = new Set(['tab', 'group', 'subflow', 'junction']);

// The dry-run and Home Assistant examples, by the ids their tests drive.
const DRY = { preview: 'c0a1e0000001003', real: 'c0a1e0000001004', report: 'c0a1e0000001009', lines: 'c0a1e0000001012', written: 'c0a1e0000001013', notSynced: 'c0a1e0000001015' };
const HA = { webhook: '/clawarr/ha-now-playing', sensor: 'c0a1e0000000908' };

describe('examples deploy in a real Node-RED 4.1 (all of them at once, as npm start loads them)', function () {
  this.timeout(180_000);
  let trakt: TraktSandbox;
  let simkl: SimklSandbox;
  let tautulli: TautulliSandbox;
  let red: NodeRedProcess;
  let dir: string;
  let startErrors: string[] = [];

  before(async function () {
    if (!existsSync(join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    trakt = await startTraktSandbox({ timeScale: 0.1 });
    simkl = await startSimklSandbox({ timeScale: 0.1 });
    // 60 plays: one page of Tautulli history, so each sync-history run sends one summary.
    tautulli = await startTautulliSandbox({ library: generateTautulliLibrary(trakt.state.catalog, { plays: 60, users: ['alice', 'bob'], seed: 3 }) });

    dir = mkdtempSync(join(tmpdir(), 'clawarr-examples-'));
    const userDir = join(dir, 'userdir');
    linkPackage(userDir);
    writeProbe(join(dir, 'probe'));

    // What npm start (scripts/start.ts) does to the examples: config nodes onto the fakes, credentials aside.
    const flows = examples.flatMap((e) => e.nodes.map((n) => ({ ...n }) as ExampleNode));
    const tokens = trakt.state.issueTokens();
    const credentials = pointExamplesAtSandboxes(flows, {
      traktUrl: trakt.url,
      simklUrl: simkl.url,
      tautulliUrl: tautulli.url,
      simklToken: () => simkl.state.issueToken(),
      traktCredentials: () => traktCredentials(tokens),
      homeAssistantHost: `http://127.0.0.1:${await freePort()}`, // nothing listens: Home Assistant "does not answer"
      root: ROOT,
      dataDir: join(dir, 'data'),
    });
    writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
    writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));

    red = new NodeRedProcess({
      userDir,
      port: await freePort(),
      nodesDir: [join(dir, 'probe')],
      settings: { clawarr: { limits: { writeSpacingMs: 100, readWindowMs: 30_000, readsPerWindow: 500 }, backoffBaseMs: 5 } },
    });
    await red.start();
    // Errors that come a moment after the start (a config node's first connection attempt) count too.
    await sleep(1500);
    startErrors = red.errors();
  });

  after(async () => {
    await red?.stop();
    await trakt?.close();
    await simkl?.close();
    await tautulli?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts every flow with no missing node type and no error in the log', () => {
    expect(red.output).to.not.match(/missing types|Waiting for missing/i);
    expect(startErrors, red.output).to.deep.equal([]);
  });

  it('loads the clawarr and Home Assistant node sets without an error', async () => {
    const sets = await red.get<Array<{ id: string; module: string; enabled: boolean; err?: string; types: string[] }>>('/nodes');
    const broken = sets.filter((s) => s.err || !s.enabled).map((s) => `${s.id}: ${s.err ?? 'disabled'}`);
    expect(broken).to.deep.equal([]);
    expect(sets.some((s) => s.module === '@clawarr/node-red-media-trackers')).to.equal(true);
    expect(sets.some((s) => s.module === 'node-red-contrib-home-assistant-websocket')).to.equal(true);
  });

  for (const { file, nodes } of examples) {
    it(`${file}: every node of the flow exists in the runtime`, async () => {
      const ids = nodes.filter((n) => !NOT_NODES.has(n.type)).map((n) => n.id);
      const created = await red.get<Record<string, boolean>>(`/clawarr-probe/created?ids=${ids.join(',')}`);
      const missing = nodes.filter((n) => !NOT_NODES.has(n.type) && !created[n.id]).map((n) => `${n.type} ${n.id}`);
      expect(missing).to.deep.equal([]);
    });
  }

  const delivered = async (to: string): Promise<Delivery[]> => (await red.get<Delivery[]>('/clawarr-probe/delivered')).filter((d) => d.to === to);
  /** What reached the node `to`, once something has. */
  const deliveredTo = (what: string, to: string): Promise<Delivery[]> =>
    waitFor(what, async () => {
      const got = await delivered(to);
      return got.length ? got : undefined;
    });
  const historyWrites = () => trakt.state.requestLog.filter((r) => r.method === 'POST' && r.path.startsWith('/sync/history')).length;

  it('First sync with a dry run: "preview" writes nothing and lists the plays; "write for real" writes exactly those', async () => {
    expect(await red.post(`/inject/${DRY.preview}`)).to.equal(200);
    const [report] = await deliveredTo('the dry-run report', DRY.report);
    const preview = report.msg.payload as Record<string, number | boolean>;
    expect(preview).to.include({ dryRun: true, added: 0 });
    expect(preview.wouldAdd).to.be.a('number').above(0);
    expect(historyWrites(), 'history writes during the dry run').to.equal(0);
    expect(trakt.state.plays).to.have.length(0);
    const [lines] = await deliveredTo('the would-be-added list', DRY.lines);
    expect(lines.msg.payload).to.be.an('array').with.length(preview.wouldAdd as number);
    expect((lines.msg.payload as string[])[0]).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}\S/);

    expect(await red.post(`/inject/${DRY.real}`)).to.equal(200);
    const [written] = await deliveredTo('the written summary', DRY.written);
    const real = written.msg.payload as Record<string, number | boolean>;
    expect(real).to.include({ dryRun: false, failed: 0 });
    expect((real.added as number) + (real.notFound as number), 'written or not found, as previewed').to.equal(preview.wouldAdd);
    const key = (item: { watchedAt?: string; ids?: Record<string, unknown> }) => `${item.watchedAt}|${JSON.stringify(item.ids)}`;
    const previewed = new Set(((report.msg.items as { wouldAdd: Array<Record<string, never>> }).wouldAdd ?? []).map(key));
    const added = (written.msg.items as { added: Array<Record<string, never>> }).added.map(key);
    expect(added.filter((k) => !previewed.has(k)), 'written but not previewed').to.deep.equal([]);
    expect(trakt.state.plays).to.have.length(real.added as number);
  });

  it('Home Assistant - now playing: a Tautulli "play" webhook becomes the state of the Now playing sensor', async () => {
    const response = await fetch(`${red.url}${HA.webhook}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'play', media_type: 'movie', title: 'Inception', year: '2010', imdb_id: 'tt1375666', tmdb_id: '27205', progress_percent: '2', user: 'alice', rating_key: '5312' }),
    });
    expect(response.status).to.equal(200);
    const [toSensor] = await deliveredTo('the sensor message', HA.sensor);
    expect(toSensor.msg.payload).to.equal('Inception (2010)');
    expect(toSensor.msg.media).to.deep.equal({ title: 'Inception (2010)', media_type: 'movie', user: 'alice', progress: 2, action: 'start' });
  });
});
