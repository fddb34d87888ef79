/**
 * `npm run bench` (fourth part): csv-import on a generated Letterboxd diary of 1,000,000 rows, against
 * bare csv-parse reading the same file in the same run. Prints rows per second of both, the ratio
 * (goal ≥ 70 %), and the importer's peak memory (goal < 200 MB). Option: --rows N.
 */
import { parse } from 'csv-parse';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { importFile } from '../lib/importers';
import { numberArg, saveSection } from './bench-report';

const TITLES = ['Amélie', 'Crouching Tiger, Hidden Dragon', 'The "Human" Factor', 'Léon: The Professional', 'Spirited Away', 'Dune'];

async function writeDiary(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n');
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2000, 0, 1) + (i % 9000) * 86_400_000).toISOString().slice(0, 10);
    const title = `${TITLES[i % TITLES.length]} ${i}`;
    const quoted = /[",]/.test(title) ? `"${title.replace(/"/g, '""')}"` : title;
    const line = `${day},${quoted},${1950 + (i % 70)},https://boxd.it/${i.toString(36)},${((i % 10) + 1) / 2},${i % 7 === 0 ? 'Yes' : ''},"tag${i % 5}, other",${day}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function bareParse(path: string): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let rows = 0;
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true }));
  for await (const record of parser) if (record) rows += 1;
  return { rows: rows - 1, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function clawarrImport(path: string): Promise<{ rows: number; items: number; rejected: number; seconds: number; peakMb: number; baseMb: number }> {
  global.gc?.();
  const baseMb = process.memoryUsage().rss / 1_048_576;
  let peak = baseMb;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 1_048_576)), 20);
  const started = process.hrtime.bigint();
  let items = 0;
  let rejected = 0;
  await importFile(path, { format: 'auto', batchSize: 1000 }, (batch) => {
    items += batch.items.length;
    rejected += batch.rejected.length;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss / 1_048_576);
  return { rows: items + rejected, items, rejected, seconds, peakMb: Math.round(peak), baseMb: Math.round(baseMb) };
}

async function main(): Promise<void> {
  const rows = numberArg('rows', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'clawarr-bench-csv-'));
  const path = join(dir, 'diary.csv');
  console.log(`csv-import bench: generating a Letterboxd diary of ${rows} rows`);
  await writeDiary(path, rows);
  const mb = statSync(path).size / 1_048_576;
  // The importer first, in a fresh heap, so its peak memory is its own; then bare csv-parse.
  let imported: Awaited<ReturnType<typeof clawarrImport>>;
  let bare: Awaited<ReturnType<typeof bareParse>>;
  try {
    imported = await clawarrImport(path);
    bare = await bareParse(path);
  } finally {
    // The generated file is ~90 MB for a million rows: do not leave one in the temp folder per run.
    rmSync(dir, { recursive: true, force: true });
  }
  const importRate = imported.rows / imported.seconds;
  const bareRate = bare.rows / bare.seconds;
  const figures = {
    rows,
    fileMb: +mb.toFixed(1),
    csvImport: { rowsPerSecond: Math.round(importRate), seconds: +imported.seconds.toFixed(1), items: imported.items, rejected: imported.rejected, peakRssMb: imported.peakMb, rssAtStartMb: imported.baseMb },
    bareCsvParse: { rowsPerSecond: Math.round(bareRate), seconds: +bare.seconds.toFixed(1) },
    ratio: +(importRate / bareRate).toFixed(2),
  };
  saveSection({
    bench: 'csv-import',
    title: 'csv-import: a large Letterboxd diary',
    conditions: `${rows} rows, ${figures.fileMb} MB, against bare csv-parse on the same file`,
    measures: [
      { figure: 'items / rejected rows', measured: `${imported.items} / ${imported.rejected}`, goal: `${rows} / 0`, met: imported.items === rows && imported.rejected === 0 },
      { figure: 'csv-import rows per second', measured: String(figures.csvImport.rowsPerSecond), goal: '' },
      { figure: 'bare csv-parse rows per second', measured: String(figures.bareCsvParse.rowsPerSecond), goal: '' },
      // On a small file start-up costs dominate both rates, so the ratio is only judged at full size.
      { figure: 'csv-import / bare csv-parse', measured: `${Math.round(figures.ratio * 100)} %`, goal: rows >= 1_000_000 ? '≥ 70 %' : '≥ 70 %, judged at 1,000,000 rows', met: rows >= 1_000_000 ? figures.ratio >= 0.7 : undefined },
      { figure: 'csv-import peak memory (RSS)', measured: `${imported.peakMb} MB (at start ${imported.baseMb} MB)`, goal: '< 200 MB', met: imported.peakMb < 200 },
    ],
    figures,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
