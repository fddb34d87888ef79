import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportItems, LETTERBOXD_COLUMNS } from '../../lib/exporters';
import type { MediaItem } from '../../lib/schema/types';

const FIXTURE = join(__dirname, '..', 'fixtures', 'letterboxd', 'letterboxd-import.csv');
type Row = Record<string, string>;

/** The Letterboxd file of `items` (letterboxd forced), parsed by header name. */
function letterboxd(items: MediaItem[]): { header: string[]; rows: Row[]; skipped: Array<{ item: MediaItem; reason: string }> } {
  const result = exportItems(items, { format: 'letterboxd' });
  if (result.files.length === 0) return { header: [], rows: [], skipped: result.skipped };
  expect(result.files).to.have.length(1);
  expect(result.files[0]).to.include({ name: 'letterboxd-import.csv', format: 'letterboxd' });
  const [header, ...records] = parse(result.files[0].csv) as string[][];
  const rows = records.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
  expect(result.files[0].rows).to.equal(rows.length);
  return { header, rows, skipped: result.skipped };
}

/** What Letterboxd (and the importers) read back from an import row; stars become the 1–10 scale. */
function readRow(row: Row): MediaItem {
  const item: MediaItem = { type: 'movie' };
  const ids: NonNullable<MediaItem['ids']> = {};
  if (row.LetterboxdURI) ids.letterboxd = row.LetterboxdURI;
  if (row.tmdbID) ids.tmdb = Number(row.tmdbID);
  if (row.imdbID) ids.imdb = row.imdbID;
  if (Object.keys(ids).length > 0) item.ids = ids;
  if (row.Title) item.title = row.Title;
  if (row.Year) item.year = Number(row.Year);
  if (row.Rating10) item.rating = Number(row.Rating10);
  else if (row.Rating) item.rating = Math.round(Number(row.Rating) * 2);
  if (row.WatchedDate) item.watchedAt = `${row.WatchedDate}T00:00:00.000Z`;
  if (row.Rewatch) item.rewatch = row.Rewatch === 'true';
  if (row.Tags) item.tags = row.Tags.split(',').map((tag) => tag.trim());
  if (row.Review) item.review = row.Review;
  return item;
}

const film = (extra: Partial<MediaItem> = {}): MediaItem => ({ type: 'movie', title: 'Inception', year: 2010, ...extra });

describe('lib/exporters Letterboxd import CSV', () => {
  it('carries only the columns some row has data for, in the documented order', () => {
    expect(letterboxd([film()]).header).to.deep.equal(['Title', 'Year']);
    const full = film({ ids: { letterboxd: 'https://boxd.it/1skk', tmdb: 27205, imdb: 'tt1375666', trakt: 16662 }, rating: 9, watchedAt: '2024-01-15T20:41:00.000Z', rewatch: true, tags: ['dreams'], review: 'Top.' });
    expect(letterboxd([film(), full]).header).to.deep.equal(LETTERBOXD_COLUMNS.filter((c) => c !== 'Directors'));
    expect(letterboxd([{ type: 'movie', ids: { imdb: 'tt1375666' } }]).header).to.deep.equal(['imdbID']);
  });

  it('uses only column names of the official import format', () => {
    const official = readFileSync(FIXTURE, 'utf8').split(/\r?\n/)[0].split(',');
    expect(official).to.include.members([...LETTERBOXD_COLUMNS]);
  });

  it('WatchedDate is the UTC day of watchedAt, also late in the UTC day and with an offset', () => {
    const { rows } = letterboxd([
      film({ watchedAt: '2024-01-15T23:59:59.999Z' }),
      film({ watchedAt: '2024-01-16T01:30:00+02:00' }),
      film({ watchedAt: '2024-01-15T00:00:00Z' }),
      film({ watchedAt: '2023-12-31T23:30:00-05:00' }),
    ]);
    expect(rows.map((row) => row.WatchedDate)).to.deep.equal(['2024-01-15', '2024-01-15', '2024-01-15', '2024-01-01']);
  });

  it('the epoch ("watched, date unknown" on Trakt) is a watched film without a 1970 diary entry', () => {
    const { header, rows } = letterboxd([film({ watchedAt: '1970-01-01T00:00:00.000Z', rating: 8 })]);
    expect(header).to.deep.equal(['Title', 'Year', 'Rating10']);
    expect(rows[0].Rating10).to.equal('8');
  });

  it('Rating10 is the 1–10 rating; a rating that is not an integer 1–10 skips the film with a reason', () => {
    const { rows, skipped } = letterboxd([film({ rating: 1 }), film({ rating: 10 }), film({ rating: 7.5 }), film({ rating: 0 }), film({ rating: 11 })]);
    expect(rows.map((row) => row.Rating10)).to.deep.equal(['1', '10']);
    expect(skipped.map((s) => s.reason)).to.deep.equal(['rating 7.5 is not an integer from 1 to 10', 'rating 0 is not an integer from 1 to 10', 'rating 11 is not an integer from 1 to 10']);
    expect(letterboxd([film({ rating: 6 })]).header).to.not.include('Rating');
  });

  it('Rewatch and Tags only with a WatchedDate (Letterboxd ignores them otherwise)', () => {
    const undated = letterboxd([film({ rewatch: true, tags: ['a', 'b'], review: 'undated review' })]);
    expect(undated.header).to.deep.equal(['Title', 'Year', 'Review']);
    const { header, rows } = letterboxd([film({ watchedAt: '2024-01-15T20:00:00Z', rewatch: false, tags: [' wuxia ', 'rewatchable', ''] }), film({ rewatch: true, tags: ['x'] })]);
    expect(header).to.deep.equal(['Title', 'Year', 'WatchedDate', 'Rewatch', 'Tags']);
    expect(rows[0]).to.include({ Rewatch: 'false', Tags: 'wuxia,rewatchable' });
    expect(rows[1]).to.include({ WatchedDate: '', Rewatch: '', Tags: '' });
  });

  it('LetterboxdURI keeps URIs and turns a film slug into its film page', () => {
    const { rows } = letterboxd([
      film({ ids: { letterboxd: 'https://boxd.it/1skk' } }),
      film({ ids: { letterboxd: 'boxd.it/1skk' } }),
      film({ ids: { letterboxd: 'inception' } }),
    ]);
    expect(rows.map((row) => row.LetterboxdURI)).to.deep.equal(['https://boxd.it/1skk', 'https://boxd.it/1skk', 'https://letterboxd.com/film/inception/']);
  });

  it('episodes, shows and films with nothing to match on are skipped with a reason', () => {
    const episode: MediaItem = { type: 'episode', season: 1, episode: 1, show: { title: 'Dark' }, watchedAt: '2024-01-01T00:00:00Z' };
    const show: MediaItem = { type: 'show', title: 'Dark' };
    const bare: MediaItem = { type: 'movie', ids: { trakt: 1 }, rating: 5 };
    const { rows, skipped } = letterboxd([episode, film(), show, bare]);
    expect(rows).to.have.length(1);
    expect(skipped.map((s) => s.item)).to.deep.equal([episode, show, bare]);
    expect(skipped[0].reason).to.match(/films only.*episode/);
    expect(skipped[1].reason).to.match(/films only.*show/);
    expect(skipped[2].reason).to.match(/title.*id/);
  });

  it('the sample import file survives a read → export → read round trip, quoting and unicode included', () => {
    const [header, ...records] = parse(readFileSync(FIXTURE, 'utf8')) as string[][];
    const items = records.map((cells) => readRow(Object.fromEntries(header.map((name, i) => [name, cells[i]]))));
    expect(items[2]).to.include({ title: 'Léon: The Professional', review: 'Second time; still "great".', rewatch: true, rating: 7 });
    expect(items[0]).to.include({ title: 'Crouching Tiger, Hidden Dragon', rating: 9 });
    const again = letterboxd(items).rows.map(readRow);
    expect(again).to.deep.equal(items);
  });

  it('every field of a film survives, up to the watch time of day', () => {
    const items: MediaItem[] = [
      film({ title: '"Weird": The Al Yankovic Story', year: 2022, ids: { tmdb: 1, imdb: 'tt1', letterboxd: 'https://boxd.it/x' }, rating: 10, watchedAt: '2024-03-02T23:59:00.000Z', rewatch: true, tags: ['a b', 'ç'], review: 'Line 1,\r\nline "2"\n\nÆon 😀 <b>html</b>' }),
      film({ title: ' Leading space ', year: undefined, review: '=1+2' }),
    ];
    const again = letterboxd(items).rows.map(readRow);
    expect(again[0]).to.deep.equal({ ...items[0], watchedAt: '2024-03-02T00:00:00.000Z' });
    expect(again[1]).to.deep.equal({ type: 'movie', title: ' Leading space ', review: '=1+2' });
  });
});
