import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from 'yauzl';
import { planZip } from '../../lib/importers/zip-plan';
import { removeDir, tempDir } from './helpers';
import { fixture, importErrorOf, runCsv, runFile } from './import-helpers';

const LETTERBOXD_ZIP = fixture('letterboxd', 'letterboxd-alice-export.zip');
const TVTIME_ZIP = fixture('tvtime', 'tv-time-personal-data.zip');
const LOCKED_ZIP = fixture('tvtime', 'tv-time-personal-data-locked.zip');

function entries(...names: string[]): Entry[] {
  return names.map((fileName) => ({ fileName }) as Entry);
}

describe('lib/importers: export zips', () => {
  describe('planZip', () => {
    it('strips one top folder, ignores deleted/, orphaned/ and non-CSV files, skips folders and macOS metadata', () => {
      const plan = planZip(entries('export/', 'export/diary.csv', 'export/deleted/diary.csv', 'export/orphaned/watched.csv', 'export/lists/a.csv', 'export/readme.txt', '__MACOSX/export/._diary.csv', 'export/.DS_Store'));
      expect(plan.read.map((p) => p.path)).to.deep.equal(['diary.csv', 'lists/a.csv']);
      expect(plan.ignored).to.deep.equal(['deleted/diary.csv', 'orphaned/watched.csv', 'readme.txt']);
    });

    it('does not take an export folder (lists/) for a top folder, and reads TV Time show files first', () => {
      expect(planZip(entries('lists/a.csv', 'lists/b.csv')).read.map((p) => p.path)).to.deep.equal(['lists/a.csv', 'lists/b.csv']);
      const plan = planZip(entries('seen_episode.csv', 'user_tv_show_data.csv', 'tracking-prod-records-v2.csv', 'followed_tv_show.csv'));
      expect(plan.read.map((p) => p.path)).to.deep.equal(['user_tv_show_data.csv', 'followed_tv_show.csv', 'seen_episode.csv', 'tracking-prod-records-v2.csv']);
    });
  });

  it('a Letterboxd export zip: every known file, deleted/ orphaned/ profile comments and liked reviews ignored', async () => {
    const { items, rejected, summary } = await runFile(LETTERBOXD_ZIP);
    expect(rejected).to.deep.equal([]);
    expect(summary.format).to.equal('letterboxd');
    expect(summary.files.map((f) => [f.file, f.kind, f.items])).to.deep.equal([
      ['watchlist.csv', 'watchlist', 2],
      ['ratings.csv', 'ratings', 4],
      ['diary.csv', 'diary', 10],
      ['watched.csv', 'watched', 6],
      ['likes/films.csv', 'likes', 1],
      ['lists/comfort-films-vol-1.csv', 'list', 2],
      ['reviews.csv', 'reviews', 1],
    ]);
    expect(summary.items).to.equal(26);
    expect(summary.ignored).to.have.members(['deleted/diary.csv', 'orphaned/watched.csv', 'profile.csv', 'comments.csv', 'likes/reviews.csv']);
    // The deleted diary entry (2022-12-30) and the orphaned film never come back.
    expect(items.some((i) => i.watchedAt === '2022-12-30T00:00:00.000Z' || i.title === 'Gone Film')).to.equal(false);
    expect(items.find((i) => i.source?.list === 'lists/comfort-films-vol-1')?.source?.ref).to.equal('lists/comfort-films-vol-1.csv:7');
  });

  it('a TV Time zip: show files read first, episodes of seen_episode.csv get their show TVDB id by name', async () => {
    const { items, summary } = await runFile(TVTIME_ZIP);
    expect(summary.format).to.equal('tvtime');
    expect(summary.files.map((f) => f.file)).to.deep.equal(['followed_tv_show.csv', 'user_tv_show_data.csv', 'seen_episode.csv', 'rewatched_episode.csv', 'tracking-prod-records-v2.csv', 'tracking-prod-records.csv']);
    expect(summary.ignored).to.deep.equal(['user.csv']);
    expect(summary).to.include({ items: 14, rejected: 0, skipped: 8 });
    const seen = items.filter((i) => i.source?.ref?.startsWith('seen_episode.csv:'));
    expect(seen.map((i) => [i.show?.title, i.show?.ids?.tvdb])).to.deep.equal([
      ['Game of Thrones', 121361],
      ['Game of Thrones', 121361],
      ['Game of Thrones', 121361],
      ['Law & Order: Special Victims Unit', 75692],
      ['Bodyguard (2018)', 349310],
      ['Love, Death & Robots', undefined], // not followed: no id to join
      ['Pokémon', undefined],
    ]);
    expect(seen[0]).to.deep.include({ ids: { tvdb: 3254641 }, season: 1, episode: 1 });
  });

  it('a zip given to importCsv as a Buffer is read the same way', async () => {
    const fromBuffer = await runCsv(readFileSync(TVTIME_ZIP));
    const fromPath = await runFile(TVTIME_ZIP);
    expect(fromBuffer.items).to.deep.equal(fromPath.items);
    expect(fromBuffer.summary).to.deep.equal(fromPath.summary);
  });

  it('a forced format reads only that site’s files', async () => {
    const message = await importErrorOf(runFile(LETTERBOXD_ZIP, { format: 'tvtime' }));
    expect(message).to.match(/^this zip holds no TV Time export files \(it contains: /);
  });

  it('a password-protected zip is an ImportError saying so', async () => {
    expect(await importErrorOf(runFile(LOCKED_ZIP))).to.match(/^this zip is password-protected: unzip it with its password/);
  });

  it('a truncated zip is an ImportError, not a crash', async () => {
    const dir = tempDir();
    try {
      const bytes = readFileSync(LETTERBOXD_ZIP);
      for (const cut of [30, Math.floor(bytes.length / 2), bytes.length - 10]) {
        const path = join(dir, `cut-${cut}.zip`);
        writeFileSync(path, bytes.subarray(0, cut));
        expect(await importErrorOf(runFile(path))).to.match(/the zip is damaged or incomplete/);
      }
    } finally {
      removeDir(dir);
    }
  });

  it('a zip without any export file is an ImportError listing what it holds', async () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'other.zip');
      writeFileSync(path, zipOf({ 'notes.txt': 'hello', 'data.csv': 'a,b\n1,2\n' }));
      expect(await importErrorOf(runFile(path))).to.equal('this zip holds no Letterboxd, TV Time or IMDb export files (it contains: notes.txt, data.csv)');
    } finally {
      removeDir(dir);
    }
  });

  it('a damaged entry (bad compressed data) is an ImportError naming the file', async () => {
    const bytes = Buffer.from(readFileSync(LETTERBOXD_ZIP));
    // Overwrite the compressed data of diary.csv (its local header is followed by name + data).
    const at = bytes.indexOf('letterboxd-alice-2024-01-01-00-00-utc/diary.csv') + 'letterboxd-alice-2024-01-01-00-00-utc/diary.csv'.length;
    bytes.fill(0xff, at, at + 40);
    const message = await importErrorOf(runCsv(bytes));
    expect(message).to.match(/^diary\.csv in the zip/);
  });
});

/** A minimal stored (uncompressed) zip, for contents no fixture has. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(10, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
