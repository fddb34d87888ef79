import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { ReadPage } from '../../lib/provider';
import { TraktClient } from '../../lib/trakt/client';
import { TraktReader } from '../../lib/trakt/reads';
import { TraktSession } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, useOfflineNock } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'trakt');
const activities = JSON.parse(readFileSync(join(FIXTURES, 'sync_last_activities.response.json'), 'utf8')) as Record<string, unknown>;
const historyRows = (() => {
  const raw = readFileSync(join(FIXTURES, 'users_me_history.page1.http'), 'utf8');
  return JSON.parse(raw.slice(raw.search(/\r?\n\r?\n/)).trim()) as Array<Record<string, unknown>>;
})();
const [tronRow, pawneeRow] = historyRows;

const NOW = Date.parse('2024-06-01T12:00:00.000Z');
const TRON = { title: 'TRON: Legacy', year: 2010, ids: { trakt: 12601, slug: 'tron-legacy-2010', imdb: 'tt1104001', tmdb: 20526 } };
const PARKS = { title: 'Parks and Recreation', year: 2009, ids: { trakt: 4, slug: 'parks-and-recreation', tvdb: 84912, imdb: 'tt1266020', tmdb: 8592 } };
const PAWNEE = { season: 2, number: 1, title: 'Pawnee Zoo', ids: { trakt: 251, tvdb: 797571, imdb: null, tmdb: 397629 } };
const PAWNEE_ITEM = { type: 'episode', title: 'Pawnee Zoo', season: 2, episode: 1, ids: { trakt: 251, tvdb: 797571, tmdb: 397629 }, show: PARKS };

const pageHeaders = (page: number, limit: number, pageCount: number, itemCount: number) => ({
  'X-Pagination-Page': String(page),
  'X-Pagination-Limit': String(limit),
  'X-Pagination-Page-Count': String(pageCount),
  'X-Pagination-Item-Count': String(itemCount),
});

function makeReader() {
  const { http } = fastTraktHttp();
  const session = new TraktSession(http, { app: APP, tokens: { accessToken: 'reads-access-1', refreshToken: 'reads-refresh-1', expiresAt: Math.floor(NOW / 1000) + 10 ** 9 }, persist: () => undefined });
  return new TraktReader(new TraktClient(http, session), () => NOW);
}

type Page = ReadPage & { extra?: unknown };
async function readAll(kind: Parameters<TraktReader['read']>[0], options: Parameters<TraktReader['read']>[1] = {}) {
  const pages: Page[] = [];
  const result = await makeReader().read(kind, options, (page) => void pages.push(page));
  return { pages, result, items: pages.flatMap((p) => p.items) };
}

const api = () => nock(API).matchHeader('authorization', 'Bearer reads-access-1');
const lastActivities = () => api().get('/sync/last_activities').reply(200, activities);

describe('lib/trakt/reads (TraktReader)', () => {
  useOfflineNock();

  it('reads all ten kinds', () => {
    expect(makeReader().readKinds()).to.deep.equal(['history', 'ratings', 'watchlist', 'collection', 'watching', 'stats', 'recommendations', 'trending', 'popular', 'calendar']);
  });

  describe('history', () => {
    it('pages with the limit the server answered, never past the page count, and marks items as history', async () => {
      lastActivities();
      const range = { start_at: '2014-01-01T00:00:00.000Z', end_at: '2014-12-31T00:00:00.000Z' };
      api().get('/sync/history/movies').query({ ...range, page: 1, limit: 250 }).reply(200, [tronRow, tronRow], pageHeaders(1, 2, 2, 3));
      api().get('/sync/history/movies').query({ ...range, page: 2, limit: 2 }).reply(200, [tronRow], pageHeaders(2, 2, 2, 3));
      const { pages, result, items } = await readAll('history', { types: ['movies'], from: range.start_at, to: range.end_at });
      expect(result).to.deep.equal({ newest: '2014-11-19T21:42:41.000Z', requests: 3 });
      expect(pages.map((p) => [p.done, p.total])).to.deep.equal([[2, 3], [3, 3]]);
      expect(items[0]).to.deep.equal({ type: 'movie', ...TRON, watchedAt: '2014-03-31T09:28:53.000Z', source: { kind: 'trakt', ref: '1982346', list: 'history' } });
    });

    it('makes no history request when nothing was watched after `since`', async () => {
      const scope = lastActivities();
      const { pages, result } = await readAll('history', { since: '2014-11-21T00:00:00.000Z' });
      expect(scope.isDone()).to.equal(true);
      expect(pages).to.have.length(0);
      expect(result).to.deep.equal({ unchanged: true, newest: '2014-11-20T06:51:30.000Z', requests: 1 });
    });

    it('compares whole seconds, so a mark taken from a stamp is not "after" it', async () => {
      lastActivities();
      const { result } = await readAll('history', { since: '2014-11-20T06:51:30.999Z' });
      expect(result.unchanged).to.equal(true);
    });

    it('reads only the types that changed, from `since`', async () => {
      lastActivities();
      const since = '2014-11-20T00:00:00.000Z';
      api().get('/sync/history/episodes').query({ start_at: since, page: 1, limit: 250 }).reply(200, [pawneeRow], pageHeaders(1, 250, 1, 1));
      const { result, items } = await readAll('history', { since });
      expect(result).to.deep.equal({ newest: '2014-11-20T06:51:30.000Z', requests: 2 });
      expect(items).to.deep.equal([{ ...PAWNEE_ITEM, watchedAt: '2014-03-30T20:00:00.000Z', source: { kind: 'trakt', ref: '1982347', list: 'history' } }]);
    });
  });

  describe('account lists', () => {
    it('ratings: shows and episodes for "shows", each gated by its own rated_at', async () => {
      lastActivities();
      api()
        .get('/sync/ratings/episodes')
        .query({ page: 1, limit: 250 })
        .reply(200, [{ rated_at: '2014-11-20T06:51:30.000Z', rating: 8, type: 'episode', episode: PAWNEE, show: PARKS }, { rated_at: 'x', rating: 7, type: 'season', season: { number: 1 }, show: PARKS }], pageHeaders(1, 250, 1, 2));
      const { items, result } = await readAll('ratings', { types: ['shows'], since: '2014-11-20T00:00:00.000Z' });
      expect(result).to.deep.equal({ newest: '2014-11-20T06:51:30.000Z', requests: 2 });
      expect(items).to.deep.equal([{ ...PAWNEE_ITEM, rating: 8, ratedAt: '2014-11-20T06:51:30.000Z', source: { kind: 'trakt', list: 'ratings' } }]);
    });

    it('ratings: a rated show is a show item', async () => {
      lastActivities();
      api().get('/sync/ratings/movies').query(true).reply(200, []);
      api().get('/sync/ratings/shows').query(true).reply(200, [{ rated_at: '2014-11-19T19:50:58.000Z', rating: 10, type: 'show', show: { ...PARKS, year: null } }]);
      api().get('/sync/ratings/episodes').query(true).reply(200, []);
      const { items, result } = await readAll('ratings');
      expect(result.requests).to.equal(4);
      expect(items).to.deep.equal([{ type: 'show', title: PARKS.title, ids: PARKS.ids, rating: 10, ratedAt: '2014-11-19T19:50:58.000Z', source: { kind: 'trakt', list: 'ratings' } }]);
    });

    it('watchlist: listedAt and the list entry id', async () => {
      lastActivities();
      api().get('/sync/watchlist/movies').query({ page: 1, limit: 250 }).reply(200, [{ rank: 1, id: 101, listed_at: '2014-09-01T09:10:11.000Z', notes: null, type: 'movie', movie: TRON }]);
      const { items } = await readAll('watchlist', { types: ['movies'] });
      expect(items).to.deep.equal([{ type: 'movie', ...TRON, listedAt: '2014-09-01T09:10:11.000Z', source: { kind: 'trakt', ref: '101', list: 'watchlist' } }]);
    });

    it('collection: one unpaginated request per type; collected shows become their episodes', async () => {
      lastActivities();
      api().get('/sync/collection/movies').reply(200, [{ collected_at: '2014-09-01T09:10:11.000Z', updated_at: '2014-09-01T09:10:11.000Z', movie: TRON }]);
      api()
        .get('/sync/collection/shows')
        .reply(200, [{ last_collected_at: 'x', show: PARKS, seasons: [{ number: 1, episodes: [{ number: 1, collected_at: '2014-09-02T00:00:00.000Z' }, { number: 2, collected_at: '2014-09-03T00:00:00.000Z' }] }] }]);
      const { items, result, pages } = await readAll('collection');
      expect(result).to.deep.equal({ newest: '2014-11-20T06:51:30.000Z', requests: 3 });
      expect(pages.every((p) => p.total === undefined)).to.equal(true);
      expect(items).to.deep.equal([
        { type: 'movie', ...TRON, collectedAt: '2014-09-01T09:10:11.000Z', source: { kind: 'trakt', list: 'collection' } },
        { type: 'episode', season: 1, episode: 1, show: PARKS, collectedAt: '2014-09-02T00:00:00.000Z', source: { kind: 'trakt', list: 'collection' } },
        { type: 'episode', season: 1, episode: 2, show: PARKS, collectedAt: '2014-09-03T00:00:00.000Z', source: { kind: 'trakt', list: 'collection' } },
      ]);
    });
  });

  describe('account reads', () => {
    it('watching: 204 is nothing', async () => {
      api().get('/users/me/watching').reply(204);
      const { pages, result } = await readAll('watching');
      expect(pages).to.have.length(0);
      expect(result).to.deep.equal({ requests: 1 });
    });

    it('watching: a started item with the progress elapsed between started_at and expires_at', async () => {
      api()
        .get('/users/me/watching')
        .reply(200, { started_at: '2024-06-01T11:00:00.000Z', expires_at: '2024-06-01T13:00:00.000Z', action: 'scrobble', type: 'episode', episode: PAWNEE, show: PARKS });
      const { items } = await readAll('watching');
      expect(items).to.deep.equal([{ ...PAWNEE_ITEM, action: 'start', progress: 50, source: { kind: 'trakt', list: 'watching' } }]);
    });

    it('stats: one item-less page with the stats as extra', async () => {
      const stats = { movies: { plays: 3 }, ratings: { total: 1 } };
      api().get('/users/me/stats').reply(200, stats);
      const { pages, result } = await readAll('stats');
      expect(pages).to.deep.equal([{ items: [], done: 0, extra: stats }]);
      expect(result).to.deep.equal({ requests: 1 });
    });
  });

  describe('discovery', () => {
    it('recommendations: one request per type with limit, Trakt defaults otherwise', async () => {
      api().get('/recommendations/movies').query({ limit: 100 }).reply(200, [{ ...TRON, favorited_by: [] }]);
      api().get('/recommendations/shows').query({ limit: 100 }).reply(200, [PARKS]);
      const { items, result } = await readAll('recommendations');
      expect(result).to.deep.equal({ requests: 2 });
      expect(items).to.deep.equal([
        { type: 'movie', ...TRON, source: { kind: 'trakt', list: 'recommendations' } },
        { type: 'show', ...PARKS, source: { kind: 'trakt', list: 'recommendations' } },
      ]);
    });

    it('trending: follows a clamped page size and stops at the top 100', async () => {
      const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ watchers: 100 - i, movie: { ...TRON, ids: { trakt: i + 1 } } }));
      api().get('/movies/trending').query({ page: 1, limit: 100 }).reply(200, rows(60), pageHeaders(1, 60, 50, 3000));
      api().get('/movies/trending').query({ page: 2, limit: 60 }).reply(200, rows(60), pageHeaders(2, 60, 50, 3000));
      const { items, result, pages } = await readAll('trending', { types: ['movies'] });
      expect(result).to.deep.equal({ requests: 2 });
      expect(items).to.have.length(100);
      expect(pages.map((p) => [p.done, p.total])).to.deep.equal([[60, 100], [100, 100]]);
      expect(items[0]).to.deep.equal({ type: 'movie', title: TRON.title, year: TRON.year, ids: { trakt: 1 }, source: { kind: 'trakt', list: 'trending' } });
    });

    it('popular: bare media rows, one page when the page count says so', async () => {
      api().get('/shows/popular').query({ page: 1, limit: 100 }).reply(200, [PARKS], pageHeaders(1, 100, 1, 1));
      const { items, result } = await readAll('popular', { types: ['shows'] });
      expect(result).to.deep.equal({ requests: 1 });
      expect(items).to.deep.equal([{ type: 'show', ...PARKS, source: { kind: 'trakt', list: 'popular' } }]);
    });

    it('calendar: from–to in requests of at most 33 days, items without a play time', async () => {
      api().get('/calendars/my/movies/2024-01-01/33').reply(200, [{ released: '2024-01-10', movie: TRON }]);
      api().get('/calendars/my/movies/2024-02-03/28').reply(200, []);
      api().get('/calendars/my/shows/2024-01-01/33').reply(200, [{ first_aired: '2024-01-05T01:00:00.000Z', episode: PAWNEE, show: PARKS }]);
      api().get('/calendars/my/shows/2024-02-03/28').reply(200, []);
      const { items, result } = await readAll('calendar', { from: '2024-01-01T00:00:00.000Z', to: '2024-03-01T23:00:00.000Z' });
      expect(result).to.deep.equal({ requests: 4 });
      expect(items).to.deep.equal([
        { type: 'movie', ...TRON, source: { kind: 'trakt', list: 'calendar' } },
        { ...PAWNEE_ITEM, source: { kind: 'trakt', list: 'calendar' } },
      ]);
    });

    it('calendar: a week from today by default', async () => {
      const scope = api().get('/calendars/my/movies/2024-06-01/7').reply(200, []);
      await readAll('calendar', { types: ['movies'] });
      expect(scope.isDone()).to.equal(true);
    });
  });
});
