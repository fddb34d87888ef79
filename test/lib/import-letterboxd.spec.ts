import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { validateMediaItems } from '../../lib/schema/validate';
import { fixture, importErrorOf, runCsv, runFile } from './import-helpers';

const EXPORT = (name: string) => fixture('letterboxd', 'export', name);

describe('lib/importers: Letterboxd', () => {
  describe('diary.csv', () => {
    it('maps every row to a dated play with rating, rewatch and tags', async () => {
      const { items, rejected, summary } = await runFile(EXPORT('diary.csv'));
      expect(rejected).to.deep.equal([]);
      expect(summary).to.deep.include({ format: 'letterboxd', items: 10, rejected: 0, ignored: [] });
      expect(summary.files).to.deep.equal([{ file: 'diary.csv', kind: 'diary', items: 10, rejected: 0, skipped: 0 }]);
      expect(items[0]).to.deep.equal({
        type: 'movie',
        title: 'Crouching Tiger, Hidden Dragon',
        year: 2000,
        watchedAt: '2023-01-01T00:00:00.000Z',
        rating: 9,
        rewatch: false,
        tags: ['wuxia', 'rewatchable'],
        source: { kind: 'letterboxd', ref: 'diary.csv:2', list: 'diary' },
      });
      expect(validateMediaItems(items).invalid).to.deep.equal([]);
    });

    it('items carry no undefined members, in a fixed order (as they serialize)', async () => {
      const { items } = await runFile(EXPORT('diary.csv'));
      expect(Object.keys(items[0])).to.deep.equal(['type', 'title', 'year', 'watchedAt', 'rating', 'rewatch', 'tags', 'source']);
      for (const item of items) expect(Object.values(item)).to.not.include(undefined);
    });

    it('keeps the diary entry URI out of ids (it is not the film)', async () => {
      const { items } = await runFile(EXPORT('diary.csv'));
      expect(items.every((i) => i.ids === undefined)).to.equal(true);
      expect(JSON.stringify(items)).not.to.contain('boxd.it');
    });

    it('converts stars with round(stars × 2): 0.5 → 1, 2.5 → 5, 3.5 → 7, 4.5 → 9, 5 → 10, empty → none', async () => {
      const { items } = await runFile(EXPORT('diary.csv'));
      const rating = (title: string) => items.find((i) => i.title === title)?.rating;
      expect(rating('Crouching Tiger Hidden Dragon: Sword of Destiny')).to.equal(1);
      expect(rating('The "Human" Factor')).to.equal(5);
      expect(rating('Léon: The Professional')).to.equal(7);
      expect(rating('Crouching Tiger, Hidden Dragon')).to.equal(9);
      expect(rating('Amélie')).to.equal(10);
      expect(items.find((i) => i.title === 'Portrait of a Lady on Fire')).not.to.have.property('rating');
    });

    it('reads Rewatch "Yes", doubled quotes, accents, ·, en dash and non-Latin tags', async () => {
      const { items } = await runFile(EXPORT('diary.csv'));
      expect(items.filter((i) => i.rewatch).map((i) => i.title)).to.deep.equal(['Léon: The Professional', 'WALL·E']);
      expect(items.map((i) => i.title)).to.include.members(['The "Human" Factor', 'Mission: Impossible – Dead Reckoning Part One', 'Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles']);
      expect(items.find((i) => i.title === 'Spirited Away')?.tags).to.deep.equal(['ghibli', '日本']);
    });

    it('emits two rewatches on the same day as two items with the same watchedAt (the ledger keeps one play)', async () => {
      const csv = ['Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date', '2024-02-01,Heat,1995,https://boxd.it/a1,4,Yes,,2024-01-31', '2024-02-01,Heat,1995,https://boxd.it/a2,4,Yes,,2024-01-31'].join('\n');
      const { items } = await runCsv(csv, { fileName: 'diary.csv' });
      expect(items).to.have.length(2);
      expect(items[0].watchedAt).to.equal(items[1].watchedAt);
      expect(items.map((i) => i.source?.ref)).to.deep.equal(['diary.csv:2', 'diary.csv:3']);
    });

    it('keeps a row without Watched Date as an undated diary item', async () => {
      const csv = 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2024-02-01,Heat,,https://boxd.it/a1,,,,\n';
      const { items } = await runCsv(csv, { fileName: 'diary.csv' });
      expect(items).to.deep.equal([{ type: 'movie', title: 'Heat', rewatch: false, source: { kind: 'letterboxd', ref: 'diary.csv:2', list: 'diary' } }]);
    });
  });

  it('reviews.csv: review text with its newline, quotes and HTML, plus the play', async () => {
    const { items, rejected } = await runFile(EXPORT('reviews.csv'));
    expect(rejected).to.deep.equal([]);
    expect(items).to.deep.equal([
      {
        type: 'movie',
        title: 'Crouching Tiger, Hidden Dragon',
        year: 2000,
        watchedAt: '2023-01-01T00:00:00.000Z',
        rating: 9,
        rewatch: false,
        tags: ['wuxia', 'rewatchable'],
        review: 'The bamboo fight, again.\nStill "perfect", still <i>weightless</i>.',
        source: { kind: 'letterboxd', ref: 'reviews.csv:2', list: 'reviews' },
      },
    ]);
  });

  it('watched.csv: films with their URI as ids.letterboxd and no watchedAt', async () => {
    const { items, summary } = await runFile(EXPORT('watched.csv'));
    expect(summary.files[0]).to.include({ kind: 'watched', items: 6 });
    expect(items[4]).to.deep.equal({
      type: 'movie',
      title: 'The "Human" Factor',
      year: 2021,
      ids: { letterboxd: 'https://boxd.it/wQ7s' },
      source: { kind: 'letterboxd', ref: 'watched.csv:6', list: 'watched' },
    });
    expect(items.some((i) => 'watchedAt' in i)).to.equal(false);
  });

  it('ratings.csv: rating and ratedAt = Date', async () => {
    const { items } = await runFile(EXPORT('ratings.csv'));
    expect(items.map((i) => [i.title, i.rating, i.ratedAt])).to.deep.equal([
      ['Crouching Tiger, Hidden Dragon', 9, '2023-01-02T00:00:00.000Z'],
      ['Amélie', 10, '2023-01-08T00:00:00.000Z'],
      ['Léon: The Professional', 7, '2023-02-14T00:00:00.000Z'],
      ['Crouching Tiger Hidden Dragon: Sword of Destiny', 1, '2023-07-05T00:00:00.000Z'],
    ]);
    expect(items[0].ids).to.deep.equal({ letterboxd: 'https://boxd.it/2b9e' });
  });

  it('watchlist.csv and likes/films.csv: listedAt = Date', async () => {
    const watchlist = await runFile(EXPORT('watchlist.csv'));
    expect(watchlist.items[1]).to.deep.equal({
      type: 'movie',
      title: 'Hello, My Name Is Doris',
      year: 2015,
      ids: { letterboxd: 'https://boxd.it/9yq2' },
      listedAt: '2023-08-02T00:00:00.000Z',
      source: { kind: 'letterboxd', ref: 'watchlist.csv:3', list: 'watchlist' },
    });
    const likes = await runFile(fixture('letterboxd', 'export', 'likes', 'films.csv'));
    expect(likes.items).to.deep.equal([
      {
        type: 'movie',
        title: 'Amélie',
        year: 2001,
        ids: { letterboxd: 'https://boxd.it/2aHq' },
        listedAt: '2023-01-08T00:00:00.000Z',
        source: { kind: 'letterboxd', ref: 'likes/films.csv:2', list: 'likes' },
      },
    ]);
  });

  describe('lists/<slug>.csv (v7)', () => {
    it('skips the title line, list header, list row (a multi-line description) and blank line', async () => {
      const { items, rejected, summary } = await runFile(fixture('letterboxd', 'export', 'lists', 'comfort-films-vol-1.csv'));
      expect(rejected).to.deep.equal([]);
      expect(summary.files).to.deep.equal([{ file: 'lists/comfort-films-vol-1.csv', kind: 'list', items: 2, rejected: 0, skipped: 0 }]);
      expect(items).to.deep.equal([
        {
          type: 'movie',
          title: 'Amélie',
          year: 2001,
          ids: { letterboxd: 'https://letterboxd.com/film/amelie/' },
          listedAt: '2023-05-01T00:00:00.000Z',
          source: { kind: 'letterboxd', ref: 'lists/comfort-films-vol-1.csv:7', list: 'lists/comfort-films-vol-1' },
        },
        {
          type: 'movie',
          title: 'WALL·E',
          year: 2008,
          ids: { letterboxd: 'https://letterboxd.com/film/wall-e/' },
          listedAt: '2023-05-01T00:00:00.000Z',
          source: { kind: 'letterboxd', ref: 'lists/comfort-films-vol-1.csv:8', list: 'lists/comfort-films-vol-1' },
        },
      ]);
    });

    it('is recognised by its title line without a name, the slug then made from the list name', async () => {
      const text = readFileSync(fixture('letterboxd', 'export', 'lists', 'comfort-films-vol-1.csv'));
      const { items } = await runCsv(text);
      expect(items.map((i) => i.source)).to.deep.equal([
        { kind: 'letterboxd', ref: 'input.csv:7', list: 'lists/comfort-films-vol-1' },
        { kind: 'letterboxd', ref: 'input.csv:8', list: 'lists/comfort-films-vol-1' },
      ]);
    });
  });

  it('the import format (letterboxd.com/import) is read too, with its tmdb and imdb ids', async () => {
    const { items, rejected, summary } = await runFile(fixture('letterboxd', 'import', 'letterboxd-import.csv'));
    expect(rejected).to.deep.equal([]);
    expect(summary.files[0]).to.include({ kind: 'import', items: 4 });
    expect(items[1]).to.deep.equal({
      type: 'movie',
      title: 'Amélie',
      year: 2001,
      ids: { imdb: 'tt0211915', tmdb: 194 },
      watchedAt: '2023-01-07T00:00:00.000Z',
      rating: 10,
      rewatch: false,
      source: { kind: 'letterboxd', ref: 'letterboxd-import.csv:3', list: 'import' },
    });
    expect(items[0].rating).to.equal(9); // Rating 4.5 stars
    expect(items[2]).to.include({ rewatch: true, review: 'Second time; still "great".' });
  });

  describe('detection', () => {
    it('tells watched, watchlist and likes (one header) apart by name; an unknown name reads as watched', async () => {
      const text = readFileSync(EXPORT('watchlist.csv'));
      expect((await runCsv(text, { fileName: 'watchlist.csv' })).summary.files[0].kind).to.equal('watchlist');
      expect((await runCsv(text, { fileName: 'likes/films.csv' })).summary.files[0].kind).to.equal('likes');
      expect((await runCsv(text, { fileName: 'watchlist (1).csv' })).summary.files[0].kind).to.equal('watchlist');
      expect((await runCsv(text, { fileName: 'export.csv' })).summary.files[0].kind).to.equal('watched');
      expect((await runCsv(text)).summary.files[0].kind).to.equal('watched');
    });

    it('trusts the header over a misleading name', async () => {
      const { summary } = await runCsv(readFileSync(EXPORT('ratings.csv')), { fileName: 'diary.csv' });
      expect(summary.files[0]).to.include({ kind: 'ratings', file: 'diary.csv' });
    });

    it('reports profile.csv and comments.csv as ignored, not as errors', async () => {
      const profile = 'Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,Favorite Films\n2019-05-01,alice,,,,,,,,\n';
      const result = await runCsv(profile, { fileName: 'profile.csv' });
      expect(result.summary).to.deep.equal({ format: 'letterboxd', files: [], items: 0, rejected: 0, skipped: 0, ignored: ['profile.csv'] });
      expect((await runCsv('Date,Content\n2023-01-01,hi\n')).summary.ignored).to.deep.equal(['input.csv']);
    });

    it('refuses a Letterboxd file when another format is forced, naming its columns', async () => {
      const message = await importErrorOf(runFile(EXPORT('diary.csv'), { format: 'imdb' }));
      expect(message).to.equal('this CSV is not an IMDb export (its columns are: Date, Name, Year, Letterboxd URI, Rating, Rewatch, Tags, Watched Date)');
    });
  });
});
