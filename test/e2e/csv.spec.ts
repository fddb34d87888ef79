import { expect } from 'chai';
import AdmZip from 'adm-zip';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import helper from 'node-red-node-test-helper';
import type { NodeMessage } from 'node-red';
import { catalogFor, startTraktSandbox, type TraktSandbox } from '../sandbox';
import { sandboxKey } from '../sandbox/plays';

const DIST = resolve(__dirname, '..', '..', 'dist');
const NODES = ['trakt-config', 'csv-import', 'csv-export', 'tracker-in', 'match', 'sync-history'].map((name) => join(DIST, 'nodes', name, `${name}.js`));
/** Node-RED's own switch node, which routes the files of an export (the helper loads only catch/status/complete). */
const SWITCH = require.resolve('@node-red/nodes/core/function/10-switch.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeModules = () => [...NODES, SWITCH].map((file) => require(file) as (RED: unknown) => void);

const catalog = catalogFor();
const movie = (title: string, year: number) => catalog.movies.find((m) => m.title === title && m.year === year)!;

/** A Letterboxd export as the site makes it (top folder, deleted/ to ignore), from the fake Trakt's titles. */
function letterboxdZip(): { zip: Buffer; diary: Array<{ traktId: number; date: string }>; ratings: Array<{ traktId: number; rating: number }>; unknown: string[] } {
  const picks = [
    { m: movie('Amélie', 2001), name: 'Amélie', stars: '5', watched: '2023-01-07' },
    { m: movie('Léon: The Professional', 1994), name: 'Léon: The Professional', stars: '3.5', watched: '2023-02-13' },
    { m: movie('Crouching Tiger, Hidden Dragon', 2000), name: 'Crouching Tiger, Hidden Dragon', stars: '4.5', watched: '2023-01-01' },
    { m: movie('The Lion King', 2019), name: 'The Lion King', stars: '3', watched: '2023-03-03' },
    { m: movie('The Lion King', 1994), name: 'The Lion King', stars: '', watched: '2023-03-04' },
    ...[5, 17, 42, 99, 123].map((i, n) => ({ m: catalog.movies[i], name: catalog.movies[i].title, stars: String(1 + n * 0.5), watched: `2022-0${n + 1}-1${n}` })),
  ];
  const csv = (rows: string[][]) => rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
  const diaryRows = [['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Tags', 'Watched Date']];
  for (const p of picks) diaryRows.push([p.watched, p.name, String(p.m.year), `https://boxd.it/d${p.m.trakt}`, p.stars, '', 'e2e', p.watched]);
  diaryRows.push(['2023-08-01', 'A Home Video Nobody Has', '2019', 'https://boxd.it/zz1', '4', '', '', '2023-08-01']);
  const ratingRows = [['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating']];
  for (const p of picks.filter((p) => p.stars)) ratingRows.push([p.watched, p.name, String(p.m.year), `https://boxd.it/f${p.m.trakt}`, p.stars]);
  const zip = new AdmZip();
  const top = 'letterboxd-alice-2024-01-01-00-00-utc/';
  zip.addFile(`${top}diary.csv`, Buffer.from(csv(diaryRows)));
  zip.addFile(`${top}ratings.csv`, Buffer.from(csv(ratingRows)));
  zip.addFile(`${top}deleted/diary.csv`, Buffer.from(csv([diaryRows[0], ['2023-01-01', 'Inception', '2010', 'https://boxd.it/del', '5', '', '', '2023-01-01']])));
  return {
    zip: zip.toBuffer(),
    diary: picks.map((p) => ({ traktId: p.m.trakt, date: `${p.watched}T00:00:00.000Z` })),
    ratings: picks.filter((p) => p.stars).map((p) => ({ traktId: p.m.trakt, rating: Math.round(Number(p.stars) * 2) })),
    unknown: ['A Home Video Nobody Has'],
  };
}

helper.init(require.resolve('node-red'));

describe('end to end: CSV import and export with Trakt', function () {
  this.timeout(60_000);
  let trakt: TraktSandbox;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clawarr-csv-'));
    process.env.CLAWARR_STATE_DIR = join(dir, 'clawarr');
    trakt = await startTraktSandbox({ timeScale: 0.1 });
    helper.settings({ clawarr: { limits: { writeSpacingMs: 100, readWindowMs: 30_000, readsPerWindow: 500 }, backoffBaseMs: 5 } });
    await new Promise<void>((done) => helper.startServer(() => done()));
  });
  after(async () => {
    await helper.unload();
    await new Promise<void>((done) => helper.stopServer(() => done()));
    await trakt.close();
    delete process.env.CLAWARR_STATE_DIR;
  });

  function credentials() {
    const t = trakt.state.issueTokens();
    return { tc: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: new Date((t.created_at + t.expires_in) * 1000).toISOString() } };
  }

  async function until(condition: () => boolean, label: string, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a Letterboxd export zip → csv-import → match → sync-history puts exactly its diary plays and ratings on Trakt', async () => {
    const exported = letterboxdZip();
    const file = join(dir, 'letterboxd-export.zip');
    writeFileSync(file, exported.zip);
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'tc', type: 'clawarr-trakt-config', apiUrl: trakt.url },
      { id: 'imp', type: 'clawarr-csv-import', z: 'f1', format: 'auto', batchSize: 1000, output: 'batch', wires: [['route'], ['rejected']] },
      { id: 'route', type: 'switch', z: 'f1', property: 'page.file', propertyType: 'msg', rules: [{ t: 'regex', v: 'diary\\.csv$' }, { t: 'regex', v: 'ratings\\.csv$' }], checkall: 'false', outputs: 2, wires: [['mPlays'], ['mRatings']] },
      { id: 'mPlays', type: 'clawarr-match', z: 'f1', tracker: 'tc', threshold: 0.8, overrides: [], wires: [['syncPlays'], ['unmatched']] },
      { id: 'mRatings', type: 'clawarr-match', z: 'f1', tracker: 'tc', threshold: 0.8, overrides: [], wires: [['syncRatings'], ['unmatched']] },
      { id: 'syncPlays', type: 'clawarr-sync-history', z: 'f1', tracker: 'tc', what: 'history', batchSize: 100, idleSeconds: 0.2, wires: [['summary'], ['notSynced']] },
      { id: 'syncRatings', type: 'clawarr-sync-history', z: 'f1', tracker: 'tc', what: 'ratings', batchSize: 100, idleSeconds: 0.2, wires: [['summary'], ['notSynced']] },
      { id: 'summary', type: 'helper', z: 'f1' },
      { id: 'unmatched', type: 'helper', z: 'f1' },
      { id: 'notSynced', type: 'helper', z: 'f1' },
      { id: 'rejected', type: 'helper', z: 'f1' },
    ];
    await helper.unload();
    await helper.load(nodeModules() as never, flow, credentials());
    const seen: Record<string, NodeMessage[]> = { summary: [], unmatched: [], notSynced: [], rejected: [] };
    for (const id of Object.keys(seen)) helper.getNode(id).on('input', (msg: NodeMessage) => seen[id].push(msg));
    helper.getNode('imp').receive({ filename: file } as never);
    const written = () => seen.summary.reduce((n, m) => n + (m.payload as { added: number; skipped: number }).added, 0);
    await until(() => written() >= exported.diary.length + exported.ratings.length && seen.unmatched.length >= 1, 'plays, ratings and the unknown film');

    const plays = trakt.state.plays.map(sandboxKey).sort();
    expect(plays).to.deep.equal(exported.diary.map((d) => `movie:${d.traktId}@${d.date}`).sort());
    const ratings = [...trakt.state.ratings.values()].map((r) => `${r.traktId}=${r.rating}`).sort();
    expect(ratings).to.deep.equal(exported.ratings.map((r) => `${r.traktId}=${r.rating}`).sort());
    // The film Trakt does not have came out unmatched; deleted/ was ignored.
    expect(seen.unmatched.map((m) => (m.payload as { title: string }).title)).to.deep.equal(['A Home Video Nobody Has']);
    expect(plays.some((k) => k.startsWith(`movie:${movie('Inception', 2010).trakt}@`))).to.equal(false);
    expect(seen.rejected).to.deep.equal([]);
  });

  it('Trakt history → tracker-in → csv-export → csv-import gives back the same plays', async () => {
    const before = trakt.state.plays.map(sandboxKey).sort();
    expect(before.length).to.be.greaterThan(5);
    const file = join(dir, 'trakt-history.csv');
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'tc', type: 'clawarr-trakt-config', apiUrl: trakt.url },
      { id: 'in', type: 'clawarr-tracker-in', z: 'f1', tracker: 'tc', read: 'history', types: 'movies,shows', incremental: false, output: 'page', wires: [['exp']] },
      { id: 'exp', type: 'clawarr-csv-export', z: 'f1', format: 'generic', filename: file, wires: [['done']] },
      { id: 'done', type: 'helper', z: 'f1' },
    ];
    await helper.unload();
    await helper.load(nodeModules() as never, flow, credentials());
    const finished: NodeMessage[] = [];
    helper.getNode('done').on('input', (msg: NodeMessage) => finished.push(msg));
    helper.getNode('in').receive({ payload: 'go' } as never);
    await until(() => finished.length > 0, 'the export file');
    expect(readFileSync(file, 'utf8').split('\n')[0]).to.match(/^type,/);

    const flow2 = [
      { id: 'f1', type: 'tab' },
      { id: 'imp', type: 'clawarr-csv-import', z: 'f1', format: 'auto', batchSize: 1000, output: 'batch', wires: [['items'], ['rejected']] },
      { id: 'items', type: 'helper', z: 'f1' },
      { id: 'rejected', type: 'helper', z: 'f1' },
    ];
    await helper.unload();
    await helper.load(nodeModules() as never, flow2, {});
    const items: Array<{ type: string; ids?: { trakt?: number }; watchedAt?: string }> = [];
    let ended = false;
    helper.getNode('items').on('input', (msg: NodeMessage & { complete?: boolean }) => {
      if (msg.complete) ended = true;
      else items.push(...(msg.payload as typeof items));
    });
    helper.getNode('imp').receive({ filename: file } as never);
    await until(() => ended, 'the import');
    const back = items.map((i) => `${i.type}:${i.ids?.trakt}@${new Date(Date.parse(i.watchedAt!)).toISOString()}`).sort();
    expect(back).to.deep.equal(before);
  });
});
