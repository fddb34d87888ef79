import { expect } from 'chai';
import { parse } from 'csv-parse';
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CsvFileWriter, exportItems } from '../../lib/exporters';
import type { MediaItem } from '../../lib/schema/types';
import { rejectionOf, removeDir, tempDir } from './helpers';

// A real gc() makes heap readings comparable; mocha runs without --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Item n of a big mixed history, made on demand so the test itself holds no history. */
function historyItem(n: number): MediaItem {
  const watchedAt = new Date(Date.UTC(2015, 0, 1) + n * 3_600_000 + 59 * 60_000).toISOString();
  if (n % 3 === 0) {
    return { type: 'episode', title: `Episode ${n}`, season: 1 + (n % 7), episode: 1 + (n % 23), show: { title: `Show "${n % 50}", the series`, ids: { tvdb: 1000 + (n % 50) } }, ids: { tvdb: 500_000 + n }, watchedAt };
  }
  return { type: 'movie', title: `Film ${n}, part ${n % 4}`, year: 1950 + (n % 70), ids: { tmdb: n + 1, imdb: `tt${String(n).padStart(7, '0')}` }, watchedAt, rating: 1 + (n % 10), review: n % 97 === 0 ? `Review of ${n}:\n"good", très 😀` : undefined };
}

const batch = (start: number, size: number): MediaItem[] => Array.from({ length: size }, (_, i) => historyItem(start + i));

async function countRecords(path: string): Promise<{ header: string[]; rows: number; last: string[] }> {
  let header: string[] = [];
  let rows = 0;
  let last: string[] = [];
  for await (const record of createReadStream(path).pipe(parse()) as AsyncIterable<string[]>) {
    if (header.length === 0) header = record;
    else {
      rows += 1;
      last = record;
    }
  }
  return { header, rows, last };
}

describe('lib/exporters CsvFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('clawarr-export-');
  });
  afterEach(() => removeDir(dir));

  it('writes the same bytes as exportItems, with only the used columns, and leaves no side files', async () => {
    const items = [...batch(0, 10), { type: 'movie', title: ' padded, "quoted"\r\n' } as MediaItem];
    const path = join(dir, 'history.csv');
    const writer = new CsvFileWriter(path, 'generic');
    expect(await writer.add(items.slice(0, 4))).to.deep.equal({ rows: 4, skipped: [] });
    expect((await writer.add(items.slice(4))).rows).to.equal(7);
    expect(await writer.end()).to.deep.equal({ rows: 11, path });
    expect(readFileSync(path, 'utf8')).to.equal(exportItems(items, { format: 'generic' }).files[0].csv);
    expect(readdirSync(dir)).to.deep.equal(['history.csv']);
  });

  it('a Letterboxd file skips TV per batch, with the reason', async () => {
    const path = join(dir, 'letterboxd.csv');
    const writer = new CsvFileWriter(path, 'letterboxd');
    const added = await writer.add(batch(0, 6));
    expect(added.rows).to.equal(4);
    expect(added.skipped.map((s) => s.reason)).to.deep.equal(['Letterboxd is films only: cannot import an episode', 'Letterboxd is films only: cannot import an episode']);
    await writer.end();
    const films = batch(0, 6).filter((item) => item.type === 'movie');
    expect(readFileSync(path, 'utf8')).to.equal(exportItems(films, { format: 'letterboxd' }).files[0].csv);
  });

  it('no rows → an empty file without header', async () => {
    const path = join(dir, 'empty.csv');
    const writer = new CsvFileWriter(path, 'letterboxd');
    await writer.add([]);
    await writer.add([{ type: 'show', title: 'Dark' }]);
    expect(await writer.end()).to.deep.equal({ rows: 0, path });
    expect(readFileSync(path, 'utf8')).to.equal('');
  });

  it('batches added without waiting land in call order; the old file is replaced only at end()', async () => {
    const path = join(dir, 'ordered.csv');
    writeFileSync(path, 'old export\r\n');
    const writer = new CsvFileWriter(path, 'generic');
    const adds = [writer.add(batch(0, 5)), writer.add(batch(5, 5)), writer.add(batch(10, 5))];
    expect(readFileSync(path, 'utf8')).to.equal('old export\r\n');
    await Promise.all([...adds, writer.end()]);
    expect(readFileSync(path, 'utf8')).to.equal(exportItems(batch(0, 15), { format: 'generic' }).files[0].csv);
  });

  it('refuses use after end(); abort() removes side files and leaves the target alone', async () => {
    const path = join(dir, 'done.csv');
    const writer = new CsvFileWriter(path, 'generic');
    await writer.end();
    expect((await rejectionOf(writer.add(batch(0, 1)))).message).to.match(/already finished/);
    const aborted = new CsvFileWriter(join(dir, 'aborted.csv'), 'generic');
    await aborted.add(batch(0, 3));
    await aborted.abort();
    expect(readdirSync(dir)).to.deep.equal(['done.csv']);
  });

  it('a directory that does not exist fails the call that needs it, not silently', async () => {
    const writer = new CsvFileWriter(join(dir, 'missing', 'x.csv'), 'generic');
    expect((await rejectionOf(writer.add(batch(0, 1)))).message).to.match(/ENOENT/);
    expect((await rejectionOf(writer.end())).message).to.match(/failed earlier/);
  });

  it('100,000 items: memory stays flat and the file is complete and readable', async function () {
    this.timeout(120_000);
    const total = 100_000;
    const size = 1_000;
    const path = join(dir, 'big.csv');
    const writer = new CsvFileWriter(path, 'generic');
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    for (let start = 0; start < total; start += size) {
      await writer.add(batch(start, size));
      if (start % (size * 10) === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(await writer.end()).to.deep.equal({ rows: total, path });
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    // Holding the 100,000 rows takes about 50 MB; the streaming writer holds one batch (measured: under 1 MB).
    expect(peak).to.be.below(8 * 1024 * 1024);

    const { header, rows, last } = await countRecords(path);
    expect(rows).to.equal(total);
    expect(header).to.deep.equal(['type', 'title', 'year', 'show_title', 'season', 'episode', 'watched_at', 'rating', 'imdb', 'tmdb', 'tvdb', 'review', 'show_tvdb']);
    const lastItem = historyItem(total - 1);
    const lastRow = Object.fromEntries(header.map((name, i) => [name, last[i]]));
    expect(lastRow).to.include({ type: 'episode', title: lastItem.title, season: String(lastItem.season), episode: String(lastItem.episode), watched_at: lastItem.watchedAt, show_tvdb: String(lastItem.show?.ids?.tvdb) });
    expect(existsSync(`${path}.rows`)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal(['big.csv']);
    // Byte for byte what the all-at-once export gives.
    expect(readFileSync(path, 'utf8')).to.equal(exportItems(batch(0, total), { format: 'generic' }).files[0].csv);
  });
});
