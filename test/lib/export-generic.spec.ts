import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { exportItems, GENERIC_COLUMNS } from '../../lib/exporters';
import { ID_KEYS, type MediaIds, type MediaItem } from '../../lib/schema/types';

type Row = Record<string, string>;
const DOCUMENTED = 'type,title,year,show_title,show_year,season,episode,watched_at,rating,rewatch,imdb,tmdb,tvdb,trakt,simkl,slug,letterboxd,tags,review,source_kind,source_ref'.split(',');
const STRING_IDS = new Set(['slug', 'imdb', 'letterboxd', 'plex']);

function generic(items: MediaItem[]): { header: string[]; rows: Row[]; skipped: Array<{ item: MediaItem; reason: string }> } {
  const result = exportItems(items, { format: 'generic' });
  if (result.files.length === 0) return { header: [], rows: [], skipped: result.skipped };
  expect(result.files[0]).to.include({ name: 'media-items.csv', format: 'generic', rows: items.length - result.skipped.length });
  const [header, ...records] = parse(result.files[0].csv) as string[][];
  return { header, rows: records.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]]))), skipped: result.skipped };
}

function readIds(row: Row, prefix: string): MediaIds | undefined {
  const ids: Record<string, string | number> = {};
  for (const key of ID_KEYS) {
    const cell = row[prefix + key];
    if (cell) ids[key] = STRING_IDS.has(key) ? cell : Number(cell);
  }
  return Object.keys(ids).length > 0 ? (ids as MediaIds) : undefined;
}

/** The inverse of the generic format, as an importer reads it: columns by name, empty means absent. */
function readRow(row: Row): MediaItem {
  const item: Record<string, unknown> = { type: row.type };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && value !== '') item[key] = value;
  };
  const num = (cell: string | undefined): number | undefined => (cell ? Number(cell) : undefined);
  set('title', row.title);
  set('year', num(row.year));
  set('ids', readIds(row, ''));
  set('season', num(row.season));
  set('episode', num(row.episode));
  const show = { title: row.show_title || undefined, year: num(row.show_year), ids: readIds(row, 'show_') };
  set('show', Object.values(show).some((v) => v !== undefined) ? JSON.parse(JSON.stringify(show)) : undefined);
  set('watchedAt', row.watched_at);
  set('rating', num(row.rating));
  set('ratedAt', row.rated_at);
  set('listedAt', row.listed_at);
  set('collectedAt', row.collected_at);
  set('rewatch', row.rewatch ? row.rewatch === 'true' : undefined);
  set('tags', row.tags ? row.tags.split(',') : undefined);
  set('review', row.review);
  const source = { kind: row.source_kind || undefined, ref: row.source_ref || undefined, user: row.source_user || undefined, list: row.source_list || undefined };
  set('source', Object.values(source).some((v) => v !== undefined) ? JSON.parse(JSON.stringify(source)) : undefined);
  return item as unknown as MediaItem;
}

const EPISODE: MediaItem = {
  type: 'episode',
  title: 'The Red Woman',
  season: 6,
  episode: 1,
  show: { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, imdb: 'tt0944947', tmdb: 1399, trakt: 1390, slug: 'game-of-thrones' } },
  ids: { tvdb: 5600000 },
  watchedAt: '2024-06-02T18:45:00.000Z',
  rating: 8,
  rewatch: false,
  source: { kind: 'tvtime', ref: 'row-7', user: 'alice', list: 'history' },
};
const EVERYTHING: MediaItem = {
  type: 'movie',
  title: 'Amélie, "Le Fabuleux"\r\nDestin',
  year: 2001,
  ids: { trakt: 1, slug: 'amelie-2001', imdb: 'tt0211915', tmdb: 194, tvdb: 3, simkl: 4, mal: 5, anidb: 6, letterboxd: 'https://boxd.it/x', plex: 'plex://movie/5d77' },
  watchedAt: '2024-01-15T23:59:59.999Z',
  rating: 10,
  ratedAt: '2024-01-16T00:00:00.000Z',
  listedAt: '2023-01-01T10:00:00.000Z',
  collectedAt: '2022-01-01T10:00:00.000Z',
  rewatch: true,
  tags: ['paris', 'feel good'],
  review: 'Line 1\nLine "2", with comma · – 😀',
  source: { kind: 'letterboxd', ref: 'diary.csv:3', user: 'bob', list: 'diary' },
};

describe('lib/exporters generic CSV', () => {
  it('starts with the documented columns in their order, extensions after them', () => {
    expect(GENERIC_COLUMNS.slice(0, DOCUMENTED.length)).to.deep.equal(DOCUMENTED);
    expect(new Set(GENERIC_COLUMNS).size).to.equal(GENERIC_COLUMNS.length);
  });

  it('carries only columns with data: an episode has its numbers, its own ids and the show ids', () => {
    const { header, rows } = generic([EPISODE]);
    expect(header).to.deep.equal(['type', 'title', 'show_title', 'show_year', 'season', 'episode', 'watched_at', 'rating', 'rewatch', 'tvdb', 'source_kind', 'source_ref', 'show_trakt', 'show_slug', 'show_imdb', 'show_tmdb', 'show_tvdb', 'source_user', 'source_list']);
    expect(rows[0]).to.include({ type: 'episode', tvdb: '5600000', show_tvdb: '121361', season: '6', episode: '1', rewatch: 'false' });
    expect(generic([{ type: 'show', title: 'Dark' }]).header).to.deep.equal(['type', 'title']);
  });

  it('timestamps are ISO 8601 UTC, whatever offset came in', () => {
    const { rows } = generic([{ type: 'movie', title: 'X', watchedAt: '2024-01-16T01:30:00+02:00', ratedAt: '2024-01-16T01:30Z' }]);
    expect(rows[0]).to.include({ watched_at: '2024-01-15T23:30:00.000Z', rated_at: '2024-01-16T01:30:00.000Z' });
  });

  it('values no reader could trust skip the item with a reason', () => {
    const { rows, skipped } = generic([
      { type: 'movie', title: 'bad date', watchedAt: 'yesterday' },
      { type: 'movie', title: 'bad rating', rating: 4.5 },
      { type: 'movie', title: 'bad id', ids: { tmdb: 1.5 } },
      { type: 'movie', title: 'fine' },
    ]);
    expect(rows.map((row) => row.title)).to.deep.equal(['fine']);
    expect(skipped.map((s) => s.reason)).to.deep.equal(['watchedAt "yesterday" is not a date', 'rating 4.5 is not an integer from 1 to 10', 'tmdb id 1.5 is not an integer']);
  });

  it('every field of every item survives a round trip', () => {
    const items = [EVERYTHING, EPISODE, { type: 'show', title: ' Dark ', ids: { tvdb: 121 } } as MediaItem];
    expect(generic(items).rows.map(readRow)).to.deep.equal(items);
  });

  it('any titles, reviews, tags and ids survive a round trip (property)', () => {
    const nasty = fc.constantFrom(',', '"', '\r', '\n', ' ', 'é', '😀', '·', 'x', 'Y', '=');
    const str = fc.oneof(fc.string({ unit: nasty, minLength: 1, maxLength: 10 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }));
    const tag = str.filter((t) => !t.includes(',') && t.trim() === t && t !== '');
    const item = fc.record(
      {
        type: fc.constantFrom('movie' as const, 'episode' as const, 'show' as const),
        title: str,
        year: fc.integer({ min: 1870, max: 2100 }),
        ids: fc.record({ imdb: str, tmdb: fc.integer({ min: 1, max: 2 ** 31 }), slug: str }, { requiredKeys: [] }),
        watchedAt: fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        rating: fc.integer({ min: 1, max: 10 }),
        rewatch: fc.boolean(),
        tags: fc.array(tag, { minLength: 1, maxLength: 3 }),
        review: str,
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
        // An empty ids object writes nothing, so it reads back as no ids at all.
        const given: MediaItem[] = items.map((i) => (i.ids && Object.keys(i.ids).length === 0 ? { ...i, ids: undefined } : i));
        const expected = JSON.parse(JSON.stringify(given)) as MediaItem[];
        expect(generic(given).rows.map(readRow)).to.deep.equal(expected);
      }),
      { numRuns: 300 },
    );
  });
});
