// clawarr-csv-import and clawarr-csv-export in a Node-RED runtime: what a user sees on the outputs,
// in the status, at a Catch node and in the files written. No tracker is involved.
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeMessage } from 'node-red';
import { catalog, helper, statusesOf, useNodeRed } from './harness';
import { collect, type Collected, errorText, FIXTURES, flowWith, isComplete, isText, itemsOf, type ItemOut, loadFlow, reasonOf, t, until } from './harness-csv';

const LETTERBOXD = join(FIXTURES, 'letterboxd');
const DIARY = join(LETTERBOXD, 'export', 'diary.csv');
const LETTERBOXD_ZIP = join(LETTERBOXD, 'letterboxd-alice-export.zip');
const TVTIME_ZIP = join(FIXTURES, 'tvtime', 'tv-time-personal-data.zip');
const TVTIME_LOCKED = join(FIXTURES, 'tvtime', 'tv-time-personal-data-locked.zip');
const IMDB_V2 = join(FIXTURES, 'imdb', 'ratings_v2_2017-2024.csv');
const IMDB_V3 = join(FIXTURES, 'imdb', 'ratings_v3_2024+.csv');

const lastStatus = () => statusesOf(helper.getNode('n1')).at(-1) ?? {};
const lineOf = (item: ItemOut): number => Number(/:(\d+)$/.exec(item.source?.ref ?? '')?.[1]);
/** A temp dir inside the test's state dir (removed after each test). */
function workDir(): string {
  const dir = join(process.env.CLAWARR_STATE_DIR!, 'files');
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('nodes: clawarr-csv-import', function () {
  this.timeout(10_000);
  let out: Collected;

  useNodeRed();

  async function deploy(options: Record<string, unknown> = {}): Promise<void> {
    await loadFlow(flowWith({ type: 'clawarr-csv-import', format: 'auto', batchSize: 1000, output: 'batch', ...options }));
    out = collect();
  }

  const send = (msg: Record<string, unknown>) => helper.getNode('n1').receive(msg as NodeMessage);
  /** Sends one message and waits for its end (the complete marker on output 1) or its error. */
  async function importOne(msg: Record<string, unknown>): Promise<void> {
    const ends = out.out1.filter(isComplete).length + out.err.length;
    send(msg);
    await until(() => out.out1.filter(isComplete).length + out.err.length > ends, 'the end of the import or its error');
  }

  describe('1. the Letterboxd diary as CSV text', () => {
    it('comes out in pages of items (diary, with ratings out of 10), then one empty complete message; the status counts them', async () => {
      await deploy({ batchSize: 4 });
      await importOne({ payload: readFileSync(DIARY, 'utf8'), topic: 'diary' });

      const pages = out.out1.filter((m) => !isComplete(m));
      expect(pages.map((m) => (m.payload as ItemOut[]).length), 'pages of batchSize 4').to.deep.equal([4, 4, 2]);
      const items = itemsOf(out.out1);
      expect(items.map((i) => i.title)).to.deep.equal([
        'Crouching Tiger, Hidden Dragon',
        'Amélie',
        'Léon: The Professional',
        'Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles',
        'The "Human" Factor',
        'WALL·E',
        'Mission: Impossible – Dead Reckoning Part One',
        'Portrait of a Lady on Fire',
        'Spirited Away',
        'Crouching Tiger Hidden Dragon: Sword of Destiny',
      ]);
      for (const item of items) {
        expect(item.type).to.equal('movie');
        expect(item.source).to.include({ kind: 'letterboxd', list: 'diary' });
        expect(item.source?.ref, 'source.ref names the file and the line').to.match(/^[\w.-]+\.csv:\d+$/);
      }
      expect(items.map(lineOf), 'source.ref points at each row (line 1 is the header)').to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      // Letterboxd stars × 2; a diary entry without stars has no rating.
      expect(items.map((i) => i.rating)).to.deep.equal([9, 10, 7, 8, 5, 8, 6, undefined, 10, 1]);
      expect(items[0].watchedAt).to.equal('2023-01-01T00:00:00.000Z');
      expect(pages.every((m) => m.topic === 'diary'), 'msg.topic travels along').to.equal(true);

      const ends = out.out1.filter(isComplete);
      expect(ends, 'exactly one end message').to.have.lengthOf(1);
      expect(out.out1.at(-1), 'the end comes last').to.equal(ends[0]);
      expect(ends[0].payload).to.deep.equal([]);
      expect((ends[0] as { complete?: unknown }).complete).to.equal(true);
      expect(out.out2, 'nothing rejected').to.deep.equal([]);
      expect(out.err).to.deep.equal([]);
      expect(lastStatus()).to.include({ fill: 'green', text: t('csv-import.status.done', { items: 10, rejected: 0 }) });
    });
  });

  describe('2. a Letterboxd export zip by file name', () => {
    it('gives the items of every file in it; deleted/ and orphaned/ give none', async () => {
      await deploy();
      await importOne({ filename: LETTERBOXD_ZIP });
      const items = itemsOf(out.out1);
      const files = new Set(out.out1.filter((m) => !isComplete(m)).map((m) => (m as { page?: { file?: string } }).page?.file));
      expect([...files].sort()).to.deep.equal(['diary.csv', 'likes/films.csv', 'lists/comfort-films-vol-1.csv', 'ratings.csv', 'reviews.csv', 'watched.csv', 'watchlist.csv']);
      expect(new Set(items.map((i) => i.source?.list))).to.include.members(['diary', 'ratings', 'watched', 'watchlist']);
      const diary = items.filter((i) => i.source?.list === 'diary');
      expect(diary).to.have.lengthOf(10);
      expect(diary.every((i) => /^diary\.csv:\d+$/.test(i.source?.ref ?? '')), diary.map((i) => i.source?.ref).join(', ')).to.equal(true);
      // deleted/diary.csv holds an Amélie entry watched 2022-12-30; orphaned/watched.csv a "Gone Film".
      expect(items.filter((i) => /deleted|orphaned/.test(i.source?.ref ?? ''))).to.deep.equal([]);
      expect(items.filter((i) => i.watchedAt?.startsWith('2022-12-30'))).to.deep.equal([]);
      expect(items.filter((i) => i.title === 'Gone Film')).to.deep.equal([]);
      expect(items).to.have.lengthOf(26);
      expect(out.out2).to.deep.equal([]);
      expect(lastStatus()).to.include({ fill: 'green', text: t('csv-import.status.done', { items: 26, rejected: 0 }) });
    });
  });

  describe('3. TV Time and IMDb exports', () => {
    it('a TV Time zip gives episodes (under their show) and films; IMDb v2 and v3 ratings give a rated film and a rated show', async () => {
      await deploy();
      await importOne({ filename: TVTIME_ZIP });
      const tv = itemsOf(out.out1);
      expect(tv.every((i) => i.source?.kind === 'tvtime')).to.equal(true);
      const episodes = tv.filter((i) => i.type === 'episode');
      expect(episodes).to.have.lengthOf(12);
      for (const e of episodes) {
        expect(e.show?.title, `${e.source?.ref}: its show`).to.be.a('string');
        expect(e.season).to.be.a('number');
        expect(e.episode).to.be.a('number');
        expect(e.watchedAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
      }
      const got = episodes.find((e) => e.show?.title === 'Game of Thrones' && e.season === 1 && e.episode === 1);
      expect(got?.show?.ids, 'the show\'s tvdb id').to.deep.equal({ tvdb: 121361 });
      expect(tv.filter((i) => i.type === 'movie').map((i) => i.title)).to.deep.equal(['Fury', 'The Batman']);
      expect(out.out2).to.deep.equal([]);

      for (const file of [IMDB_V2, IMDB_V3]) {
        const before = out.out1.length;
        const rejectedBefore = out.out2.length;
        await importOne({ filename: file });
        const items = itemsOf(out.out1.slice(before));
        expect(items.map((i) => `${i.type}:${i.title}:${i.rating}`), file).to.deep.equal(['movie:Léon: The Professional:9', 'show:Game of Thrones:10']);
        expect(items[0].ids).to.deep.include({ imdb: 'tt0110413' });
        expect(items.every((i) => i.source?.kind === 'imdb' && i.source.list === 'ratings')).to.equal(true);
        // The episode rating (The Red Woman) has no show to go under: rejected with its line, not lost.
        const rejected = out.out2.slice(rejectedBefore);
        expect(rejected, file).to.have.lengthOf(1);
        expect((rejected[0] as { line?: number }).line).to.equal(4);
        expect(reasonOf(rejected[0])).to.not.equal('');
      }
      expect(out.err).to.deep.equal([]);
    });
  });

  describe('4. input that is not an export', () => {
    const cases: Array<{ label: string; msg: () => Record<string, unknown>; says: RegExp | string }> = [
      { label: 'a PNG image', msg: () => ({ payload: Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex') }), says: /PNG image, not a CSV/ },
      { label: 'an empty string', msg: () => ({ payload: '' }), says: /empty/ },
      { label: 'some other CSV', msg: () => ({ payload: 'name,age\nbob,3' }), says: /not a Letterboxd, TV Time or IMDb export.*name, age/ },
      { label: 'a password-protected zip', msg: () => ({ filename: TVTIME_LOCKED }), says: /password/ },
      { label: 'a missing file', msg: () => ({ filename: '/nowhere/clawarr/missing.csv' }), says: /no file at \/nowhere\/clawarr\/missing\.csv/ },
      { label: 'no payload and no file name', msg: () => ({ topic: 'nothing' }), says: t('csv-import.errors.noInput') },
    ];

    it('each gives one error at a Catch node with a sentence saying what is wrong, nothing on output 1, a red status', async () => {
      await deploy();
      for (const { label, msg, says } of cases) {
        const errors = out.err.length;
        send(msg());
        await until(() => out.err.length > errors, `the error for ${label}`);
        await until(() => lastStatus().fill === 'red', `the red status for ${label}`);
        const text = errorText(out.err.at(-1));
        expect(out.err.length - errors, `one error for ${label}`).to.equal(1);
        // Node-RED shows an error from done(err) as "Error: <message>".
        if (typeof says === 'string') expect(text, label).to.equal(`Error: ${says}`);
        else expect(text, label).to.match(says);
        expect(text, `${label}: a sentence, not a key`).to.not.match(/csv-import\./);
        expect(lastStatus().text, label).to.satisfy((s: string) => isText(s, 'csv-import.status.error'));
        expect(out.out1, `nothing on output 1 for ${label}`).to.deep.equal([]);
        expect(out.out2, `nothing on output 2 for ${label}`).to.deep.equal([]);
        // The next case must start from a status that is not red.
        helper.getNode('n1').status({});
      }
    });

    it('a broken row goes to output 2 with its line and reason; the other rows are items', async () => {
      await deploy();
      const csv = [
        'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date',
        '2023-01-02,Amélie,2001,https://boxd.it/a1,5,,,2023-01-01',
        '2023-01-03,Léon: The Professional,1994,https://boxd.it/a2,3.5,,,not-a-date',
        '2023-01-04,Heat,1995,https://boxd.it/a3,4,,,2023-01-04',
      ].join('\n');
      await importOne({ payload: csv });
      expect(itemsOf(out.out1).map((i) => i.title)).to.deep.equal(['Amélie', 'Heat']);
      expect(out.out2).to.have.lengthOf(1);
      const rejected = out.out2[0] as NodeMessage & { line?: number; reason?: string };
      expect(rejected.line).to.equal(3);
      expect(rejected.reason).to.match(/not-a-date/);
      expect(rejected.payload).to.deep.include({ Name: 'Léon: The Professional' });
      expect(out.err).to.deep.equal([]);
      expect(lastStatus()).to.include({ fill: 'yellow', text: t('csv-import.status.done', { items: 2, rejected: 1 }) });
    });
  });

  describe('5. the input file name stays behind', () => {
    it('no output message carries msg.filename, so a csv-export downstream does not overwrite the input', async () => {
      const dir = workDir();
      const input = join(dir, 'diary.csv');
      const original = readFileSync(DIARY, 'utf8') + '2023-08-01,Heat,1995,https://boxd.it/b1,9,,,not-a-date\n';
      writeFileSync(input, original);
      await loadFlow([
        { id: 'f1', type: 'tab' },
        { id: 'n1', type: 'clawarr-csv-import', z: 'f1', format: 'auto', batchSize: 3, output: 'batch', wires: [['out1', 'exp'], ['out2']] },
        { id: 'exp', type: 'clawarr-csv-export', z: 'f1', format: 'auto', wires: [['exported']] },
        { id: 'out1', type: 'helper', z: 'f1' },
        { id: 'out2', type: 'helper', z: 'f1' },
        { id: 'exported', type: 'helper', z: 'f1' },
        { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
        { id: 'err', type: 'helper', z: 'f1' },
      ]);
      out = collect();
      const exported: NodeMessage[] = [];
      helper.getNode('exported').on('input', (msg: NodeMessage) => exported.push(msg));
      await importOne({ filename: input, format: 'letterboxd', topic: 't' });
      await until(() => exported.length >= out.out1.length, 'csv-export to answer each message');

      expect(out.out1.length).to.be.greaterThan(1);
      expect(out.out2).to.have.lengthOf(1);
      for (const msg of [...out.out1, ...out.out2, ...exported]) {
        expect(msg, 'msg.filename').to.not.have.property('filename');
        expect(msg, 'msg.format').to.not.have.property('format');
      }
      expect(readFileSync(input, 'utf8'), 'the input file is untouched').to.equal(original);
      expect(String(exported[0].payload)).to.match(/^LetterboxdURI,|^tmdbID,|^imdbID,|^Title,/);
    });
  });

  describe('6. one message per item', () => {
    it('output "item" sends each item in its own message, then the end', async () => {
      await deploy({ output: 'item', batchSize: 4 });
      await importOne({ payload: readFileSync(DIARY, 'utf8') });
      const items = out.out1.filter((m) => !isComplete(m));
      expect(items).to.have.lengthOf(10);
      for (const msg of items) {
        expect(msg.payload, 'one item, not an array').to.be.an('object').and.not.be.an('array');
        expect((msg.payload as ItemOut).type).to.equal('movie');
      }
      expect(items.map((m) => lineOf(m.payload as ItemOut))).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(out.out1.filter(isComplete)).to.have.lengthOf(1);
      expect(isComplete(out.out1.at(-1)!)).to.equal(true);
    });
  });
});

// ---------------------------------------------------------------- csv-export

const film = (i: number, day: number, rating?: number): ItemOut => {
  const m = catalog.movies[i];
  return { type: 'movie', title: m.title, year: m.year, ids: { imdb: m.imdb, tmdb: m.tmdb }, watchedAt: `2024-01-${String(day).padStart(2, '0')}T20:00:00Z`, ...(rating ? { rating } : {}) };
};
const showEpisode = (): ItemOut => {
  const s = catalog.shows[0];
  return { type: 'episode', season: 1, episode: 2, show: { title: s.title, ids: { tvdb: s.tvdb } }, watchedAt: '2024-02-01T10:00:00Z' };
};
const csvRows = (text: string): string[] => text.split(/\r?\n/).filter((l) => l !== '');

interface ExportMsg extends NodeMessage {
  files?: Array<{ name: string; format: string; rows: number; csv?: string }>;
  skipped?: Array<{ item: ItemOut; reason: string }>;
}

describe('nodes: clawarr-csv-export', function () {
  this.timeout(10_000);
  let out: Collected;

  useNodeRed();

  async function deploy(options: Record<string, unknown> = {}): Promise<void> {
    await loadFlow(flowWith({ type: 'clawarr-csv-export', format: 'auto', filename: '', ...options }));
    out = collect();
  }
  const send = (msg: Record<string, unknown>) => helper.getNode('n1').receive(msg as NodeMessage);
  const lastStatus = () => statusesOf(helper.getNode('n1')).at(-1) ?? {};

  describe('7. to msg.payload', () => {
    it('auto: the Letterboxd CSV (only the columns with data) in msg.payload, both files in msg.files', async () => {
      await deploy();
      send({ payload: [film(1, 2, 8), film(2, 3), showEpisode()] });
      await until(() => out.out1.length === 1, 'the export');
      const msg = out.out1[0] as ExportMsg;
      const lines = csvRows(String(msg.payload));
      expect(lines[0], 'header: only columns some film has data for').to.equal('tmdbID,imdbID,Title,Year,Rating10,WatchedDate');
      expect(lines.slice(1)).to.deep.equal([
        `${catalog.movies[1].tmdb},${catalog.movies[1].imdb},${catalog.movies[1].title},${catalog.movies[1].year},8,2024-01-02`,
        `${catalog.movies[2].tmdb},${catalog.movies[2].imdb},${catalog.movies[2].title},${catalog.movies[2].year},,2024-01-03`,
      ]);
      expect(msg.files?.map((f) => `${f.format}:${f.rows}`)).to.deep.equal(['letterboxd:2', 'generic:1']);
      expect(msg.files?.[0].csv).to.equal(msg.payload);
      const generic = csvRows(msg.files![1].csv!);
      expect(generic[0].split(',')).to.include.members(['type', 'show_title', 'season', 'episode', 'watched_at']);
      expect(generic[1]).to.include('episode').and.include(catalog.shows[0].title);
      expect(msg.skipped).to.deep.equal([]);
      expect(out.err).to.deep.equal([]);
    });

    it('letterboxd: the episode is left out, in msg.skipped with a reason', async () => {
      await deploy({ format: 'letterboxd' });
      const episode = showEpisode();
      send({ payload: [film(1, 2, 8), episode] });
      await until(() => out.out1.length === 1, 'the export');
      const msg = out.out1[0] as ExportMsg;
      expect(csvRows(String(msg.payload))).to.have.lengthOf(2);
      expect(msg.files?.map((f) => f.format)).to.deep.equal(['letterboxd']);
      expect(msg.skipped).to.have.lengthOf(1);
      expect(msg.skipped![0].item).to.deep.equal(episode);
      expect(msg.skipped![0].reason).to.match(/films only/);
    });
  });

  describe('8. to a file', () => {
    it('three pages and the end: the file holds every row once and one message says where it is', async () => {
      const file = join(workDir(), 'history.csv');
      await deploy({ filename: file, format: 'letterboxd' });
      const films = Array.from({ length: 6 }, (_, i) => film(10 + i, i + 1, 5 + i));
      // What tracker-in sends: pages with {done, total}, then the end marker.
      for (let p = 0; p < 3; p++) send({ payload: films.slice(p * 2, p * 2 + 2), page: { done: (p + 1) * 2, total: 6 } });
      send({ payload: [], complete: true, page: { done: 6 } });
      await until(() => out.out1.length >= 1, 'the file to be finished');
      // Every message is handled by then (the end marker only a moment after the last page).
      await new Promise((r) => setTimeout(r, 200));

      const lines = csvRows(readFileSync(file, 'utf8'));
      expect(lines[0]).to.equal('tmdbID,imdbID,Title,Year,Rating10,WatchedDate');
      expect(lines.slice(1).map((l) => l.split(',')[2])).to.deep.equal(films.map((f) => f.title));
      expect(out.err.map(errorText), 'no error at the Catch node').to.deep.equal([]);
      expect(
        out.out1.map((m) => String(m.payload)),
        'one message for the one file written (the end marker after the last page must not add an empty one)',
      ).to.deep.equal([file]);
      expect((out.out1[0] as ExportMsg).files).to.deep.equal([{ name: file, format: 'letterboxd', rows: 6 }]);
      expect(lastStatus()).to.include({ fill: 'green', text: t('csv-export.status.done', { rows: 6, file }) });
    });

    it('pages that arrive one at a time, then the end: one message, the status keeps the file', async () => {
      const file = join(workDir(), 'slow.csv');
      await deploy({ filename: file, format: 'letterboxd' });
      const films = Array.from({ length: 6 }, (_, i) => film(20 + i, i + 1, 6));
      for (let p = 0; p < 3; p++) {
        send({ payload: films.slice(p * 2, p * 2 + 2), page: { done: (p + 1) * 2, total: 6 } });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out.out1.map((m) => String(m.payload)), 'the last page finished the file').to.deep.equal([file]);
      send({ payload: [], complete: true, page: { done: 6 } });
      await new Promise((r) => setTimeout(r, 150));
      expect(csvRows(readFileSync(file, 'utf8'))).to.have.lengthOf(7);
      expect(out.err.map(errorText), 'no error at the Catch node').to.deep.equal([]);
      expect(out.out1.map((m) => String(m.payload)), 'the end marker adds no second, empty message').to.deep.equal([file]);
      expect(lastStatus()).to.include({ fill: 'green', text: t('csv-export.status.done', { rows: 6, file }) });
    });

    it('a single message without page is written at once', async () => {
      const file = join(workDir(), 'once.csv');
      await deploy({ filename: file });
      send({ payload: [film(3, 4, 7), showEpisode()] });
      await until(() => out.out1.length === 1, 'the file');
      const tvFile = join(workDir(), 'once-tv.csv');
      expect(String(out.out1[0].payload).split('\n')).to.deep.equal([file, tvFile]);
      expect(csvRows(readFileSync(file, 'utf8'))).to.have.lengthOf(2);
      expect(csvRows(readFileSync(tvFile, 'utf8'))[1]).to.match(/^episode,/);
      expect(lastStatus().fill).to.equal('green');
    });
  });

  describe('9. invalid items', () => {
    it('each reaches a Catch node with its position and problem; the valid ones are exported', async () => {
      await deploy();
      send({ payload: [film(1, 2, 8), 'hello', { type: 'podcast' }, { ...film(2, 3), rating: 11 }, film(3, 4)] });
      await until(() => out.out1.length === 1 && out.err.length >= 3, 'the export and three errors');
      await new Promise((r) => setTimeout(r, 50));
      const errors = out.err.map(errorText);
      expect(errors, errors.join(' | ')).to.have.lengthOf(3);
      expect(errors.find((e) => e.startsWith('item 2:'))).to.match(/string/);
      expect(errors.find((e) => e.startsWith('item 3:'))).to.match(/type|podcast/);
      expect(errors.find((e) => e.startsWith('item 4:'))).to.match(/rating/);
      const lines = csvRows(String(out.out1[0].payload));
      expect(lines.slice(1).map((l) => l.split(',')[2])).to.deep.equal([catalog.movies[1].title, catalog.movies[3].title]);
    });
  });
});
