import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { importCsv } from '../../lib/importers';
import { removeDir, tempDir } from './helpers';
import { fixture, importErrorOf, runCsv, runFile } from './import-helpers';

const DIARY = readFileSync(fixture('letterboxd', 'export', 'diary.csv'), 'utf8');
const HEADER = 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date';

/** A stream that hands the bytes out `size` at a time (splitting UTF-8 sequences and CRLF pairs). */
function trickle(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe('lib/importers: robustness', () => {
  it('BOM and CRLF: the same items and line numbers as the plain file', async () => {
    const plain = await runCsv(DIARY, { fileName: 'diary.csv' });
    const crlf = await runCsv(`\uFEFF${DIARY.replace(/\n/g, '\r\n')}`, { fileName: 'diary.csv' });
    expect(crlf.items).to.deep.equal(plain.items);
    expect(plain.items).to.have.length(10);
  });

  it('string, Buffer and a stream (even one byte at a time) give the same result', async () => {
    const bytes = Buffer.from(`\uFEFF${DIARY.replace(/\n/g, '\r\n')}`);
    const fromString = await runCsv(DIARY, { fileName: 'diary.csv' });
    const fromBuffer = await runCsv(bytes, { fileName: 'diary.csv' });
    const fromStream = await runCsv(trickle(bytes, 1), { fileName: 'diary.csv' });
    const fromChunks = await runCsv(trickle(bytes, 7), { fileName: 'diary.csv' });
    for (const other of [fromBuffer, fromStream, fromChunks]) expect(other.items).to.deep.equal(fromString.items);
    expect(fromStream.batches.every((b) => b.bytesTotal === undefined)).to.equal(true);
    expect(fromBuffer.batches.at(-1)).to.include({ bytesRead: bytes.length, bytesTotal: bytes.length });
  });

  it('quoted commas, quotes and newlines in titles and reviews keep the following line numbers right', async () => {
    const csv = [
      'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date',
      '2024-01-01,"A ""quoted"", title",2001,u1,3,,"line one',
      'line two, with a comma',
      '',
      'and ""quotes""",,2024-01-01',
      '2024-01-02,Ça ira — encore,,u2,0.5,,"x",,2024-01-02',
    ].join('\r\n');
    const { items, rejected } = await runCsv(csv, { fileName: 'reviews.csv' });
    expect(rejected).to.deep.equal([]);
    expect(items.map((i) => [i.source?.ref, i.title, i.review])).to.deep.equal([
      ['reviews.csv:2', 'A "quoted", title', 'line one\r\nline two, with a comma\r\n\r\nand "quotes"'],
      ['reviews.csv:6', 'Ça ira — encore', 'x'],
    ]);
    expect(items[1]).to.not.have.property('year');
    expect(items[1].rating).to.equal(1);
  });

  it('a row with too few or too many columns is rejected with its line; the others are kept', async () => {
    const csv = [HEADER, '2024-01-01,Heat,1995,u,4,,,2024-01-01', '2024-01-02,Short Row,1995', '2024-01-03,Long Row,1995,u,4,,,2024-01-03,extra', '2024-01-04,Ronin,1998,u,3,,,2024-01-04'].join('\n');
    const { items, rejected } = await runCsv(csv, { fileName: 'diary.csv' });
    expect(items.map((i) => i.title)).to.deep.equal(['Heat', 'Ronin']);
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [3, 'the row has 3 values where the header has 8 columns'],
      [4, 'the row has 9 values where the header has 8 columns'],
    ]);
    expect(rejected[1].row).to.include({ Name: 'Long Row', 'column 9': 'extra' });
  });

  it('blank lines are no rows; a stray quote inside a value is read as text', async () => {
    const csv = [HEADER, '', '2024-01-01,The 12" Single,1995,u,4,,,2024-01-01', '   ', '2024-01-04,Ronin,1998,u,3,,,2024-01-04', ''].join('\n');
    const { items, rejected } = await runCsv(csv, { fileName: 'diary.csv' });
    expect(rejected).to.deep.equal([]);
    expect(items.map((i) => [i.title, i.source?.ref])).to.deep.equal([
      ['The 12" Single', 'diary.csv:3'],
      ['Ronin', 'diary.csv:5'],
    ]);
  });

  it('a quote never closed swallows the rest: one rejected row at its line, the rows before kept', async () => {
    const csv = [HEADER, '2024-01-01,Heat,1995,u,4,,,2024-01-01', '2024-01-02,"Broken,1995,u,4,,,2024-01-02', '2024-01-03,Ronin,1998,u,3,,,2024-01-03'].join('\n');
    const { items, rejected } = await runCsv(csv, { fileName: 'diary.csv' });
    expect(items.map((i) => i.title)).to.deep.equal(['Heat']);
    expect(rejected).to.deep.equal([{ file: 'diary.csv', line: 3, reason: 'a quoted value starts here and is never closed (the rest of the file is inside it)' }]);
  });

  it('a quote still open 16 MB later stops the import instead of buffering the rest of a huge file', async () => {
    const row = '2024-01-01,Heat,1995,u,4,,,2024-01-01\n';
    const rows = Readable.from((function* () {
      yield `${HEADER}\n${row}2024-01-02,"Broken,1995,u,4,,,2024-01-02\n`;
      for (let i = 0; i < 500; i += 1) yield row.repeat(1000); // ~37 MB
    })());
    let items = 0;
    const run = importCsv(rows, { fileName: 'diary.csv', batchSize: 1 }, (b) => void (items += b.items.length));
    expect(await importErrorOf(run)).to.equal('line 3 opens a quoted value that is still open 16 MB later: the file is damaged');
    expect(items).to.equal(1);
  });

  it('an empty file (also a lone BOM or blank lines) is an ImportError "the file is empty"', async () => {
    for (const input of ['', Buffer.alloc(0), '\uFEFF', '\n\r\n  \n', Readable.from([])]) {
      expect(await importErrorOf(runCsv(input))).to.equal('the file is empty');
    }
  });

  it('a header-only file gives 0 items, no batch and no error', async () => {
    const { items, batches, summary } = await runCsv(`${HEADER}\r\n`, { fileName: 'diary.csv' });
    expect(items).to.deep.equal([]);
    expect(batches).to.deep.equal([]);
    expect(summary).to.deep.equal({ format: 'letterboxd', files: [{ file: 'diary.csv', kind: 'diary', items: 0, rejected: 0, skipped: 0 }], items: 0, rejected: 0, skipped: 0, ignored: [] });
  });

  it('a PNG given as CSV is an ImportError, as a Buffer, a stream or a path', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(2000, 7)]);
    expect(await importErrorOf(runCsv(png))).to.equal('this file is a PNG image, not a CSV');
    expect(await importErrorOf(runCsv(trickle(png, 3)))).to.equal('this file is a PNG image, not a CSV');
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'diary.csv'), png);
      expect(await importErrorOf(runFile(join(dir, 'diary.csv')))).to.equal('this file is a PNG image, not a CSV');
    } finally {
      removeDir(dir);
    }
  });

  it('other binary data and UTF-16 text are ImportErrors with a sentence', async () => {
    expect(await importErrorOf(runCsv(Buffer.from([1, 2, 0, 4, 5])))).to.equal('this file holds binary data, not CSV text');
    expect(await importErrorOf(runCsv(Buffer.from('\uFEFFDate,Name', 'utf16le')))).to.match(/UTF-16: save it again as UTF-8/);
  });

  it('a random CSV is an ImportError naming its columns', async () => {
    const message = await importErrorOf(runCsv('id,colour,size\n1,red,XL\n'));
    expect(message).to.equal('this CSV is not a Letterboxd, TV Time or IMDb export (its columns are: id, colour, size)');
  });

  it('a missing path, a folder and an unknown format are ImportErrors', async () => {
    const dir = tempDir();
    try {
      expect(await importErrorOf(runFile(join(dir, 'nope.csv')))).to.equal(`there is no file at ${join(dir, 'nope.csv')}`);
      expect(await importErrorOf(runFile(dir))).to.match(/is a folder/);
      expect(await importErrorOf(runCsv(DIARY, { format: 'plex' as never }))).to.equal('unknown format "plex": use auto, letterboxd, tvtime, imdb or generic');
    } finally {
      removeDir(dir);
    }
  });

  it('batches hold at most batchSize rows, count rows read so far and carry byte progress', async () => {
    const { batches } = await runCsv(DIARY, { fileName: 'diary.csv', batchSize: 3 });
    expect(batches.map((b) => b.items.length)).to.deep.equal([3, 3, 3, 1]);
    expect(batches.map((b) => b.rowsRead)).to.deep.equal([3, 6, 9, 10]);
    expect(batches.every((b) => b.file === 'diary.csv' && b.bytesTotal === Buffer.byteLength(DIARY))).to.equal(true);
  });

  it('an onBatch failure stops the import with that error', async () => {
    const failure = new Error('downstream full');
    let calls = 0;
    const run = importCsv(DIARY, { fileName: 'diary.csv', batchSize: 2 }, () => {
      calls += 1;
      throw failure;
    });
    await run.then(
      () => expect.fail('should have failed'),
      (error: unknown) => expect(error).to.equal(failure),
    );
    expect(calls).to.equal(1);
  });
});
