import { expect } from 'chai';
import nock from 'nock';
import { ClawarrError } from '../../lib/core/errors';
import type { ReadKind, ReadOptions, ReadPage } from '../../lib/provider';
import { SimklReader } from '../../lib/simkl/reads';
import { rejectionOf } from './helpers';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0006';
const TOKEN = 'simkl-reads-token-6';
const REQUIRED = simklRequired(CLIENT_ID);
const HISTORY = { extended: 'full', episode_watched_at: 'yes' };
const ALL_RATINGS = '1,2,3,4,5,6,7,8,9,10';
const NULL_BODY: [number, string, Record<string, string>] = [200, 'null', { 'content-type': 'application/json' }];
const source = (list: string) => ({ kind: 'simkl', list });

describe('lib/simkl/reads (SimklReader)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  const reader = (): SimklReader => new SimklReader(simkl.client({ token: TOKEN }));

  function activities(reply: nock.Body): nock.Scope {
    return nock(API).matchHeader('authorization', `Bearer ${TOKEN}`).get('/sync/activities').query(REQUIRED).reply(200, reply);
  }

  /** Any library read at all: must stay unused when the gate says nothing moved. */
  function anyLibraryRead(): nock.Scope {
    return nock(API).get(/\/sync\/(all-items|ratings)/).query(true).reply(200, {});
  }

  async function run(r: SimklReader, kind: ReadKind, options: ReadOptions = {}): Promise<{ pages: ReadPage[]; result: Awaited<ReturnType<SimklReader['read']>> }> {
    const pages: ReadPage[] = [];
    const result = await r.read(kind, options, (page) => {
      pages.push(page);
    });
    return { pages, result };
  }

  it('reads history, ratings and the watchlist; anything else is refused before a request', async () => {
    const r = reader();
    expect(r.readKinds()).to.deep.equal(['history', 'ratings', 'watchlist']);
    const gate = activities({});
    for (const kind of ['collection', 'watching', 'stats'] as const) {
      const error = await rejectionOf(run(r, kind));
      expect(error).to.be.instanceOf(ClawarrError);
      expect((error as ClawarrError).code).to.equal('bad_request');
    }
    expect((await rejectionOf(run(r, 'history', { since: 'yesterday' }))).message).to.equal('cannot read Simkl since "yesterday": not a date');
    expect(gate.isDone()).to.equal(false);
  });

  it('first read: activities, then each list once without date_from (the initial sync); then the same read is gated and unchanged', async () => {
    const order: string[] = [];
    activities(fixture('sync_activities.response.json')).on('request', () => order.push('activities'));
    const bodies: Record<string, nock.Body> = {
      movies: fixture('sync_all_items_movies_completed.response.json'),
      shows: fixture('sync_all_items_shows_episodes.response.json'),
      anime: fixture('sync_all_items_anime_episodes.response.json'),
    };
    for (const list of ['movies', 'shows', 'anime']) {
      nock(API)
        .get(`/sync/all-items/${list}`)
        .query({ ...REQUIRED, ...HISTORY })
        .reply(200, () => {
          order.push(list);
          return bodies[list];
        });
    }
    const r = reader();
    const { pages, result } = await run(r, 'history');
    expect(order).to.deep.equal(['activities', 'movies', 'shows', 'anime']);
    // Playback moved `all` to 06:50:38; the statuses plays land in last moved at 06:49:56.
    expect(result).to.deep.equal({ newest: '2026-05-14T06:49:56.000Z', requests: 4 });
    expect(pages.map((p) => p.done)).to.deep.equal([1, 5, 7]);
    expect(pages[0].items).to.deep.equal([
      { type: 'movie', title: 'Captain America: The First Avenger', year: 2011, ids: { simkl: 55328, imdb: 'tt0458339', tmdb: 1771 }, watchedAt: '2014-08-09T07:25:55Z', source: source('history') },
    ]);
    expect(pages[1].items.map((i) => `S${i.season}E${i.episode}@${i.watchedAt}`)).to.deep.equal([
      'S5E10@2024-05-20T21:00:00Z',
      'S6E1@2024-06-02T18:45:00Z',
      'S6E2@2024-06-02T19:45:00Z',
      'S2E4@2024-06-02T18:10:00Z',
    ]);

    // Nothing moved since: one request, no library read.
    activities(fixture('sync_activities.response.json'));
    const library = anyLibraryRead();
    const again = await run(r, 'history');
    expect(again.result).to.deep.equal({ newest: '2026-05-14T06:49:56.000Z', requests: 1, unchanged: true });
    expect(again.pages).to.deep.equal([]);
    expect(library.isDone(), 'no all-items when unchanged').to.equal(false);
  });

  it('after the first read, reads only the lists that moved, with date_from at the last mark (no since given)', async () => {
    const r = reader();
    activities({ movies: { completed: '2024-06-01T00:00:00Z' }, tv_shows: { watching: '2024-06-02T19:00:00Z' }, anime: null });
    nock(API).get('/sync/all-items/movies').query({ ...REQUIRED, ...HISTORY }).reply(...NULL_BODY);
    nock(API).get('/sync/all-items/shows').query({ ...REQUIRED, ...HISTORY }).reply(...NULL_BODY);
    // A null group never changed: not read, not even the first time.
    expect((await run(r, 'history')).result).to.deep.equal({ newest: '2024-06-02T19:00:00.000Z', requests: 3 });

    activities({ movies: { completed: '2024-06-01T00:00:00Z', rated_at: '2024-06-03T00:00:00Z' }, tv_shows: { watching: '2024-06-02T21:00:00Z' }, anime: null });
    const shows = nock(API)
      .get('/sync/all-items/shows')
      .query({ ...REQUIRED, ...HISTORY, date_from: '2024-06-02T19:00:00.000Z' })
      .reply(200, fixture('sync_all_items_shows_episodes.response.json'));
    const library = anyLibraryRead();
    const { pages, result } = await run(r, 'history');
    expect(shows.isDone()).to.equal(true);
    // A rating is no play: movies stay unread.
    expect(library.isDone()).to.equal(false);
    expect(result).to.deep.equal({ newest: '2024-06-02T21:00:00.000Z', requests: 2 });
    expect(pages.map((p) => p.items.map((i) => `S${i.season}E${i.episode}`))).to.deep.equal([['S6E2']]);
  });

  it('with since: date_from is since, and plays watched from its minute on are kept (Simkl keeps plays to the minute)', async () => {
    activities({ movies: null, tv_shows: { watching: '2024-06-02T21:00:00Z' }, anime: null });
    nock(API)
      .get('/sync/all-items/shows')
      .query({ ...REQUIRED, ...HISTORY, date_from: '2024-06-02T18:45:30.000Z' })
      .reply(200, fixture('sync_all_items_shows_episodes.response.json'));
    const { pages, result } = await run(reader(), 'history', { since: '2024-06-02T18:45:30Z', types: ['shows'] });
    const got = { title: 'Game of Thrones', year: 2011, ids: { simkl: 17465, imdb: 'tt0944947', tvdb: 121361, tmdb: 1399 } };
    const play = (season: number, episode: number, watchedAt: string) => ({ type: 'episode', season, episode, show: got, watchedAt, source: source('history') });
    // S06E01 at 18:45:00 is in since's minute; S05E10 and Severance's S02E04 (18:10) are before it.
    expect(pages).to.deep.equal([{ items: [play(6, 1, '2024-06-02T18:45:00Z'), play(6, 2, '2024-06-02T19:45:00Z')], done: 2 }]);
    expect(result).to.deep.equal({ newest: '2024-06-02T21:00:00.000Z', requests: 2 });
  });

  it('with a from/to window: date_from a day before from, plays inside the window, and no mark moved', async () => {
    const r = reader();
    activities({ movies: { completed: '2024-06-02T21:00:00Z' }, tv_shows: null, anime: null });
    const moviesBody = fixture('sync_all_items_movies_completed.response.json') as { movies: Array<Record<string, unknown>> };
    moviesBody.movies.push({ last_watched_at: '2024-06-02T18:20:00Z', status: 'completed', movie: { title: 'Heat', year: 1995, ids: { simkl: 30591 } } });
    nock(API).get('/sync/all-items/movies').query({ ...REQUIRED, ...HISTORY, date_from: '2024-06-01T18:00:00.000Z' }).reply(200, moviesBody);
    const { pages } = await run(r, 'history', { from: '2024-06-02T18:00:00Z', to: '2024-06-02T20:59:59Z', types: ['movies'] });
    expect(pages[0].items).to.deep.equal([{ type: 'movie', title: 'Heat', year: 1995, ids: { simkl: 30591 }, watchedAt: '2024-06-02T18:20:00Z', source: source('history') }]);

    // A window is no "since": the next plain read is still this list's first.
    activities({ movies: { completed: '2024-06-02T21:00:00Z' }, tv_shows: null, anime: null });
    const full = nock(API).get('/sync/all-items/movies').query({ ...REQUIRED, ...HISTORY }).reply(...NULL_BODY);
    await run(r, 'history', { types: ['movies'] });
    expect(full.isDone()).to.equal(true);
  });

  it('ratings: GET /sync/ratings/{type}/1..10 for the lists whose rated_at moved, each rated title with its rating', async () => {
    activities(fixture('sync_activities.response.json'));
    nock(API)
      .get(`/sync/ratings/movies/${ALL_RATINGS}`)
      .query({ ...REQUIRED, date_from: '2026-05-01T00:00:00.000Z' })
      .reply(200, {
        movies: [
          { last_watched_at: '2014-08-16T18:45:20.000Z', user_rated_at: '2026-05-14T06:43:20.000Z', user_rating: 6, status: 'completed', movie: { title: 'Maleficent', year: 2014, ids: { simkl: 195258, imdb: 'tt1587310', tmdb: '102651' } } },
          { user_rated_at: null, user_rating: null, status: 'completed', movie: { title: 'Unrated', year: 2000, ids: { simkl: 1 } } },
        ],
      });
    const library = anyLibraryRead();
    const { pages, result } = await run(reader(), 'ratings', { since: '2026-05-01T00:00:00Z' });
    // Shows and anime were last rated in April: not read.
    expect(library.isDone()).to.equal(false);
    expect(pages).to.deep.equal([
      {
        items: [{ type: 'movie', title: 'Maleficent', year: 2014, ids: { simkl: 195258, imdb: 'tt1587310', tmdb: 102651 }, rating: 6, ratedAt: '2026-05-14T06:43:20.000Z', source: source('ratings') }],
        done: 1,
      },
    ]);
    expect(result).to.deep.equal({ newest: '2026-05-14T06:43:20.000Z', requests: 2 });
  });

  it('ratings of shows and anime come as shows; a `null` answer is an empty list', async () => {
    activities({ tv_shows: { rated_at: '2026-05-02T00:00:00Z' }, anime: { rated_at: '2026-05-02T00:00:00Z' } });
    nock(API)
      .get(`/sync/ratings/shows/${ALL_RATINGS}`)
      .query({ ...REQUIRED, date_from: '2026-05-01T00:00:00.000Z' })
      .reply(200, { shows: [{ user_rated_at: '2021-06-23T13:19:05.000Z', user_rating: 5, status: 'dropped', show: { title: 'The Last Ship', year: 2014, ids: { simkl: 42040, tvdb: '269533' } } }] });
    nock(API).get(`/sync/ratings/anime/${ALL_RATINGS}`).query({ ...REQUIRED, date_from: '2026-05-01T00:00:00.000Z' }).reply(...NULL_BODY);
    const { pages, result } = await run(reader(), 'ratings', { since: '2026-05-01T00:00:00Z', types: ['shows'] });
    expect(pages.map((p) => p.items)).to.deep.equal([
      [{ type: 'show', title: 'The Last Ship', year: 2014, ids: { simkl: 42040, tvdb: 269533 }, rating: 5, ratedAt: '2021-06-23T13:19:05.000Z', source: source('ratings') }],
    ]);
    expect(result).to.deep.equal({ newest: '2026-05-02T00:00:00.000Z', requests: 3 });
  });

  it('watchlist: /sync/all-items/{type}/plantowatch where plantowatch moved, with when each was added', async () => {
    activities(fixture('sync_activities.response.json'));
    nock(API)
      .get('/sync/all-items/movies/plantowatch')
      .query({ ...REQUIRED, date_from: '2026-05-14T06:42:00.000Z' })
      .reply(200, { movies: [{ added_to_watchlist_at: '2026-05-14T06:43:11Z', last_watched_at: null, user_rating: null, status: 'plantowatch', movie: { title: 'Dune', year: 2021, ids: { simkl: 3, imdb: 'tt1160419' } } }] });
    const library = anyLibraryRead();
    const { pages, result } = await run(reader(), 'watchlist', { since: '2026-05-14T06:42:00Z' });
    // TV moved in April, anime at 06:41:53: both before since.
    expect(library.isDone()).to.equal(false);
    expect(pages.map((p) => p.items)).to.deep.equal([[{ type: 'movie', title: 'Dune', year: 2021, ids: { simkl: 3, imdb: 'tt1160419' }, listedAt: '2026-05-14T06:43:11Z', source: source('watchlist') }]]);
    expect(result).to.deep.equal({ newest: '2026-05-14T06:43:11.000Z', requests: 2 });
  });

  it('unchanged: zero library reads, newest never behind since', async () => {
    activities(fixture('sync_activities.response.json'));
    const library = anyLibraryRead();
    const { result } = await run(reader(), 'ratings', { since: '2026-06-01T00:00:00Z' });
    expect(library.isDone()).to.equal(false);
    expect(result).to.deep.equal({ newest: '2026-06-01T00:00:00.000Z', requests: 1, unchanged: true });
  });

  it('reads a list whose group Simkl left out (unknown is not unchanged), with date_from', async () => {
    activities({ all: '2026-05-10T00:00:00Z', movies: { plantowatch: '2020-01-01T00:00:00Z' } });
    const shows = nock(API).get('/sync/all-items/shows/plantowatch').query({ ...REQUIRED, date_from: '2026-05-01T00:00:00.000Z' }).reply(...NULL_BODY);
    const anime = nock(API).get('/sync/all-items/anime/plantowatch').query({ ...REQUIRED, date_from: '2026-05-01T00:00:00.000Z' }).reply(...NULL_BODY);
    const { result } = await run(reader(), 'watchlist', { since: '2026-05-01T00:00:00Z' });
    expect(shows.isDone() && anime.isDone()).to.equal(true);
    expect(result).to.deep.equal({ newest: '2026-05-01T00:00:00.000Z', requests: 3 });
  });

  it('a failed read moves no mark: the next read is that list first read again, and every later one sends date_from', async () => {
    const r = reader();
    const act = { movies: { plantowatch: '2026-05-01T00:00:00Z' }, tv_shows: null, anime: null };
    activities(act);
    nock(API).get('/sync/all-items/movies/plantowatch').query(REQUIRED).reply(400, { error: 'bad', code: 400 });
    await rejectionOf(run(r, 'watchlist'));

    const seen: string[] = [];
    nock(API)
      .get('/sync/all-items/movies/plantowatch')
      .query(true)
      .times(3)
      .reply(200, (uri) => {
        seen.push(new URL(uri, API).searchParams.get('date_from') ?? 'none');
        return null;
      });
    for (const moved of ['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', '2026-05-03T00:00:00Z']) {
      activities({ ...act, movies: { plantowatch: moved } });
      await run(r, 'watchlist');
    }
    expect(seen).to.deep.equal(['none', '2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z']);
  });
});
