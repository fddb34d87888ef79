import { expect } from 'chai';
import fc from 'fast-check';
import { validateMediaItems } from '../../lib/schema/validate';
import { csvLine } from './import-generate';
import { runCsv } from './import-helpers';

// Cell arbitraries: hostile text (CSV syntax, line breaks of every kind, unicode) mixed with values that
// look right, nearly right and wrong. NUL is left out: a NUL byte makes the file binary data (ImportError).
const hostile = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '""', '\n', '\r', '\r\n', '\t', ';', 'é', '日', '🎬', '–', '\uFEFF'), maxLength: 10 });
const text = fc.oneof(hostile, fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constant(''));
const pad = (n: number, size = 2) => String(n).padStart(size, '0');
const ymd = (y: fc.Arbitrary<number>, m: fc.Arbitrary<number>, d: fc.Arbitrary<number>) => fc.tuple(y, m, d).map(([a, b, c]) => `${pad(a, 4)}-${pad(b)}-${pad(c)}`);
const day = fc.oneof(
  { arbitrary: ymd(fc.integer({ min: 1900, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })), weight: 3 },
  { arbitrary: ymd(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })), weight: 1 },
  { arbitrary: fc.constantFrom('', '0000-00-00', '2024-02-29', '2023-02-29', '31/12/2023'), weight: 1 },
  { arbitrary: text, weight: 1 },
);
const dateTime = fc.oneof(
  { arbitrary: fc.tuple(day, fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([d, h, m]) => `${d} ${pad(h)}:${pad(m)}:00`), weight: 3 },
  { arbitrary: day, weight: 1 },
);
const stars = fc.oneof(fc.constantFrom('0.5', '1', '2.5', '4.5', '5', '0', '6', '', '4,5'), fc.double({ noNaN: false }).map(String), text);
const year = fc.oneof(fc.integer({ min: 0, max: 3000 }).map(String), fc.constantFrom('', '2013–2023', '2024–', '1999-'), text);
const count = fc.oneof({ arbitrary: fc.nat(5000).map(String), weight: 4 }, { arbitrary: fc.constantFrom('', '0', '-1', '1.5'), weight: 1 }, { arbitrary: text, weight: 1 });
const rating10 = fc.oneof(fc.integer({ min: -1, max: 12 }).map(String), fc.constantFrom('', '7.5'), text);
const yes = fc.oneof(fc.constantFrom('Yes', '', 'No', 'true', 'false'), text);
const imdbId = fc.oneof(fc.nat().map((n) => `tt${pad(n, 7)}`), fc.constantFrom('', 'nm0000001'), text);
const titleType = fc.oneof(fc.constantFrom('movie', 'Movie', 'tvSeries', 'TV Mini Series', 'tvEpisode', 'TV Episode', 'Video Game', 'Short', 'tvSpecial', ''), text);

type Cells = Record<string, fc.Arbitrary<string>>;

interface Spec {
  name: string;
  fileName: string;
  header: string[];
  cells: Cells;
  /** TV Time: column order varies between exports. */
  shuffle?: boolean;
  /** Rows that are skipped by design (followed shows, counters), given the row's cells by column. */
  skips?: (row: Record<string, string>) => boolean;
  /** Text before the header row (a Letterboxd list's title line, list row and blank line). */
  preamble?: fc.Arbitrary<string[]>;
}

const LB = ['Date', 'Name', 'Year', 'Letterboxd URI'];
const lbCells: Cells = { Date: day, Name: text, Year: year, 'Letterboxd URI': text, Rating: stars, Rewatch: yes, Tags: text, 'Watched Date': day, Review: text };
const imdbCells: Cells = { Const: imdbId, 'Your Rating': rating10, 'Date Rated': day, Title: text, 'Title Type': titleType, Year: year, Created: day };
const V1 = 'user_id,series_id,watch_count,uuid,updated_at,created_at,type-uuid-n,type,series_name,watches,follow_date_range_key,entity_type,rewatch_count,movie_name,release_date,runtime,release_date_range_key,alpha_range_key,episode_number,episode_id,season_number,series_uuid,watch_date,watched_episode_range_key,total_series_runtime,total_movies_runtime,unitarian,watch_date_range_key,country,bulk_type';
const V2 = 's_id,runtime,series_name,episode_number,user_id,gsi,created_at,key,season_number,s_no,ep_no,ep_id,episode_id,updated_at,ep_watch_count,movie_watch_count,total_movies_runtime,total_series_runtime,series_follow_count,is_archived,is_for_later,is_followed,uuid,followed_at,most_recent_ep_watched,is_unitary,bulk_type,is_special,rewatch_count';
const SEEN = ['user_id', 'episode_id', 'source', 'created_at', 'updated_at', 'tv_show_name', 'episode_season_number', 'episode_number'];
const tvCells: Cells = {
  episode_id: count,
  ep_id: count,
  created_at: dateTime,
  updated_at: dateTime,
  tv_show_name: text,
  series_name: text,
  movie_name: text,
  episode_season_number: count,
  season_number: count,
  s_no: count,
  episode_number: count,
  ep_no: count,
  s_id: count,
  series_id: count,
  tv_show_id: count,
  cpt: count,
  release_date: dateTime,
  watch_date: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }).map(String), dateTime),
  entity_type: fc.oneof(fc.constantFrom('movie', '', 'episode'), text),
  type: fc.oneof(fc.constantFrom('watch', 'rewatch', 'towatch', 'count-watch-episode-series', 'follow', ' WATCH '), text),
  key: fc.tuple(fc.constantFrom('watch-episode-', 'rewatch-episode-', 'user-series-', 'watch-movie-', ''), text).map(([p, s]) => p + s),
};

const SPECS: Spec[] = [
  { name: 'Letterboxd diary', fileName: 'diary.csv', header: [...LB, 'Rating', 'Rewatch', 'Tags', 'Watched Date'], cells: lbCells },
  { name: 'Letterboxd reviews', fileName: 'reviews.csv', header: [...LB, 'Rating', 'Rewatch', 'Review', 'Tags', 'Watched Date'], cells: lbCells },
  { name: 'Letterboxd ratings', fileName: 'ratings.csv', header: [...LB, 'Rating'], cells: lbCells },
  { name: 'Letterboxd watched', fileName: 'watched.csv', header: LB, cells: lbCells },
  { name: 'Letterboxd watchlist', fileName: 'watchlist.csv', header: LB, cells: lbCells },
  { name: 'Letterboxd likes', fileName: 'likes/films.csv', header: LB, cells: lbCells },
  {
    name: 'Letterboxd list (v7)',
    fileName: 'lists/my-list.csv',
    header: ['Position', 'Name', 'Year', 'URL', 'Description'],
    cells: { Position: count, Name: text, Year: year, URL: text, Description: text },
    preamble: fc.tuple(day, text, text, text).map(([d, n, t, desc]) => ['Letterboxd list export v7', 'Date,Name,Tags,URL,Description', csvLine([d, n, t, 'https://boxd.it/x', desc]), '']),
  },
  {
    name: 'Letterboxd import format',
    fileName: 'letterboxd-import.csv',
    header: ['LetterboxdURI', 'tmdbID', 'imdbID', 'Title', 'Year', 'Directors', 'Rating', 'Rating10', 'WatchedDate', 'Rewatch', 'Tags', 'Review'],
    cells: { LetterboxdURI: text, tmdbID: count, imdbID: imdbId, Title: text, Year: year, Directors: text, Rating: stars, Rating10: rating10, WatchedDate: dateTime, Rewatch: yes, Tags: text, Review: text },
  },
  { name: 'IMDb ratings v2', fileName: 'ratings.csv', header: 'Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors'.split(','), cells: imdbCells },
  {
    name: 'IMDb ratings v3',
    fileName: '0b1c2d3e.csv',
    header: 'Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated'.split(','),
    cells: imdbCells,
  },
  { name: 'TV Time seen_episode', fileName: 'seen_episode.csv', header: SEEN, cells: tvCells, shuffle: true },
  { name: 'TV Time rewatched_episode', fileName: 'rewatched_episode.csv', header: [...SEEN.filter((c) => c !== 'source'), 'cpt'], cells: tvCells, shuffle: true },
  { name: 'TV Time tracking v2', fileName: 'tracking-prod-records-v2.csv', header: V2.split(','), cells: tvCells, shuffle: true, skips: (r) => /^user-series-/i.test(r.key.trim()) },
  { name: 'TV Time tracking v1', fileName: 'tracking-prod-records.csv', header: V1.split(','), cells: tvCells, shuffle: true, skips: (r) => r.type.trim().toLowerCase().startsWith('count-') },
  {
    name: 'TV Time followed_tv_show',
    fileName: 'followed_tv_show.csv',
    header: 'user_id,active,notification_type,notification_offset,tv_show_id,created_at,updated_at,diffusion,folder_id,archived,tv_show_name'.split(','),
    cells: tvCells,
    shuffle: true,
    skips: () => true,
  },
];

const BREAKS = /\r\n|\r|\n/g;
const breaks = (s: string) => s.match(BREAKS)?.length ?? 0;

/** A generated row: its cells by column, and how many cells to drop (-1) or add (+1) to break the column count. */
function rowArb(spec: Spec): fc.Arbitrary<{ cells: Record<string, string>; width: number; blankBefore: boolean }> {
  const record = fc.record(Object.fromEntries(spec.header.map((c) => [c, spec.cells[c] ?? text])) as Record<string, fc.Arbitrary<string>>);
  const width = fc.oneof({ arbitrary: fc.constant(0), weight: 10 }, { arbitrary: fc.constantFrom(-1, 1), weight: 1 });
  // A blank line before the row now and then: not a row, but it moves the line numbers.
  return fc.record({ cells: record, width, blankBefore: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }) });
}

describe('lib/importers: properties (every data row is one item or one rejected row)', function () {
  this.timeout(120_000);

  for (const spec of SPECS) {
    it(spec.name, async () => {
      const seen = { items: 0, rejected: 0 };
      const columns = spec.shuffle ? fc.shuffledSubarray(spec.header, { minLength: spec.header.length }) : fc.constant(spec.header);
      await fc.assert(
        fc.asyncProperty(columns, fc.array(rowArb(spec), { maxLength: 12 }), spec.preamble ?? fc.constant([]), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(), async (header, rows, preamble, eol, bom, input) => {
          // Build the file, noting the line each data row starts on.
          let text = bom ? '\uFEFF' : '';
          const append = (line: string) => (text += line + eol);
          preamble.forEach(append);
          append(csvLine(header));
          const lines: number[] = [];
          let expectedSkips = 0;
          for (const { cells, width, blankBefore } of rows) {
            if (blankBefore) text += eol;
            lines.push(breaks(text) + 1);
            const values = header.map((c) => cells[c]);
            if (width < 0) values.pop();
            if (width > 0) values.push('extra');
            if (width === 0 && spec.skips?.(cells)) expectedSkips += 1;
            append(csvLine(values));
          }

          const result = await runCsv(input ? Buffer.from(text) : text, { fileName: spec.fileName });
          const file = result.summary.files[0];
          expect(result.summary.files).to.have.length(1);
          expect(file.items + file.rejected + file.skipped).to.equal(rows.length);
          expect(file.skipped).to.equal(expectedSkips);
          expect(result.items).to.have.length(file.items);
          expect(result.rejected).to.have.length(file.rejected);
          expect(result.batches.at(-1)?.rowsRead ?? 0).to.equal(file.items + file.rejected === 0 ? 0 : rows.length);

          const reported = [...result.items.map((i) => Number(i.source?.ref?.split(':').pop())), ...result.rejected.map((r) => r.line)];
          expect(new Set(reported).size, 'one outcome per row').to.equal(reported.length);
          expect(lines, 'every reported line is a row start').to.include.members(reported);
          if (expectedSkips === 0) expect([...reported].sort((a, b) => a - b)).to.deep.equal(lines);
          expect(validateMediaItems(result.items).invalid).to.deep.equal([]);
          for (const r of result.rejected) expect(r.reason).to.be.a('string').and.not.equal('');
          seen.items += file.items;
          seen.rejected += file.rejected;
        }),
        { numRuns: 60 },
      );
      // The generators reach both outcomes (followed shows give neither: their rows are skipped).
      if (!spec.skips || spec.name.includes('tracking')) expect(seen.items, 'items produced').to.be.above(0);
      if (!spec.skips || spec.name.includes('tracking')) expect(seen.rejected, 'rows rejected').to.be.above(0);
    });
  }
});
