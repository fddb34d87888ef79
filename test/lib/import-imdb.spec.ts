import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { validateMediaItems } from '../../lib/schema/validate';
import { fixture, runCsv, runFile } from './import-helpers';

const V2 = fixture('imdb', 'ratings_v2_2017-2024.csv');
const V3 = fixture('imdb', 'ratings_v3_2024+.csv');
const V3_HEADER = 'Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated';

function v3Row(cells: { const?: string; title?: string; type: string; year?: string; rating?: string; rated?: string; created?: string }): string {
  const c = { const: 'tt0000001', title: 'T', year: '2000', rating: '7', rated: '2024-01-02', created: '2024-01-01', ...cells };
  return `1,${c.const},${c.created},${c.created},,${c.title},${c.title},https://www.imdb.com/title/${c.const}/,${c.type},7.0,90,${c.year},Drama,10,2000-01-01,,${c.rating},${c.rated}`;
}

describe('lib/importers: IMDb ratings', () => {
  for (const [name, path] of [
    ['v2 (2017–2024, camelCase types)', V2],
    ['v3 (2024+, list-style, words)', V3],
  ]) {
    it(`${name}: movie and show rated, the episode rejected with a reason`, async () => {
      const { items, rejected, summary } = await runFile(path);
      const file = path.split('/').pop() as string;
      expect(summary.format).to.equal('imdb');
      expect(items).to.deep.equal([
        { type: 'movie', title: 'Léon: The Professional', year: 1994, ids: { imdb: 'tt0110413' }, rating: 9, ratedAt: '2021-04-03T00:00:00.000Z', source: { kind: 'imdb', ref: `${file}:2`, list: 'ratings' } },
        { type: 'show', title: 'Game of Thrones', year: 2011, ids: { imdb: 'tt0944947' }, rating: 10, ratedAt: '2020-01-05T00:00:00.000Z', source: { kind: 'imdb', ref: `${file}:3`, list: 'ratings' } },
      ]);
      expect(rejected).to.have.length(1);
      expect(rejected[0]).to.include({ file, line: 4 });
      expect(rejected[0].reason).to.match(/^tt3658014 is an episode rating/);
      expect(validateMediaItems(items).invalid).to.deep.equal([]);
    });
  }

  it('is recognised by its header under any name (IMDb names v3 files after a UUID)', async () => {
    const text = readFileSync(V3);
    for (const fileName of ['ratings.csv', '6f0c1c5e-7c43-4d5e-9b8e-1a2b3c4d5e6f.csv', 'diary.csv']) {
      const { summary } = await runCsv(text, { fileName });
      expect(summary.files[0]).to.include({ kind: 'ratings', file: fileName, items: 2 });
      expect(summary.format).to.equal('imdb');
    }
  });

  it('normalizes Title Type: movie, tvMovie, TV Special, Short, Video → movie; TV Mini Series → show; Video Game rejected', async () => {
    const types = ['Movie', 'tvMovie', 'TV Special', 'Short', 'Video', 'TV Short', 'TV Series', 'TV Mini Series', 'tvMiniSeries', 'Video Game', 'Podcast Series', 'Something New', ''];
    const csv = [V3_HEADER, ...types.map((type, i) => v3Row({ const: `tt${100 + i}`, type }))].join('\n');
    const { items, rejected } = await runCsv(csv);
    expect(items.map((i) => i.type)).to.deep.equal(['movie', 'movie', 'movie', 'movie', 'movie', 'movie', 'show', 'show', 'show']);
    expect(rejected.map((r) => r.reason)).to.deep.equal([
      'tt109 is a video game, not a movie or a show',
      'tt110 is a podcast, not a movie or a show',
      'Title Type "Something New" is not a movie or a show',
      'no Title Type',
    ]);
  });

  it('takes the first year of a range and rejects a broken rating, date or id with the reason', async () => {
    const csv = [
      V3_HEADER,
      v3Row({ type: 'TV Series', year: '2013–2023' }),
      v3Row({ type: 'TV Series', year: '2024–' }),
      v3Row({ type: 'Movie', rating: '11' }),
      v3Row({ type: 'Movie', rating: '7.5' }),
      v3Row({ type: 'Movie', rated: '03/04/2021' }),
      v3Row({ type: 'Movie', const: 'nm0000001' }),
      v3Row({ type: 'Movie', year: '1700' }),
    ].join('\n');
    const { items, rejected } = await runCsv(csv);
    expect(items.map((i) => i.year)).to.deep.equal([2013, 2024]);
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [4, 'rating 11 is out of range (1-10)'],
      [5, 'Your Rating "7.5" is not a whole rating from 1 to 10'],
      [6, 'Date Rated "03/04/2021" is not a date (YYYY-MM-DD)'],
      [7, 'ids.imdb "nm0000001" does not look right (expected tt followed by digits)'],
      [8, 'year 1700 is out of range (must be >= 1870)'],
    ]);
  });

  it('a v3 list export without ratings (a watchlist) gives items with listedAt = Created', async () => {
    const { items } = await runCsv([V3_HEADER, v3Row({ type: 'Movie', rating: '', rated: '' })].join('\n'), { fileName: 'watchlist.csv' });
    expect(items).to.deep.equal([{ type: 'movie', title: 'T', year: 2000, ids: { imdb: 'tt0000001' }, listedAt: '2024-01-01T00:00:00.000Z', source: { kind: 'imdb', ref: 'watchlist.csv:2', list: 'list' } }]);
  });
});
