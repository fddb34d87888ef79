// Tests of the fake Trakt's ratings, watchlist and collection, the user reads (watching, stats),
// discovery and calendars (api-facts §1.9, §1.11), then TraktLists / TraktReader against it.
import { expect } from 'chai';
import type { ReadPage } from '../lib/provider';
import { createTraktAccount } from '../lib/trakt/account';
import { TraktLists } from '../lib/trakt/lists';
import { TraktReader } from '../lib/trakt/reads';
import type { MediaItem } from '../lib/schema/types';
import { catalogFor, startTraktSandbox, type TraktSandbox, type TraktSandboxOptions } from './sandbox';

const SMALL = { movies: 40, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const catalog = catalogFor({ catalog: SMALL });
const BATMAN = { title: 'Batman Begins', year: 2005, ids: { trakt: 9000002, slug: 'batman-begins-2005', imdb: 'tt0372784', tmdb: 272 } };
const GOT = catalog.shows.find((s) => s.slug === 'game-of-thrones')!;
const SHOW1 = catalog.shows[0];

type Json = Record<string, unknown>;

describe('trakt sandbox lists and account reads', () => {
  let sb: TraktSandbox;
  let token: string;
  const start = async (o: TraktSandboxOptions = {}): Promise<void> => {
    sb = await startTraktSandbox({ timeScale: 0.01, postPerSecond: 100, catalog: SMALL, ...o });
    token = sb.state.issueTokens().access_token;
  };
  afterEach(async () => sb?.close());

  const call = (path: string, body?: unknown, auth = true): Promise<Response> =>
    fetch(sb.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'sandbox-spec/1.0',
        'trakt-api-version': '2',
        'trakt-api-key': 'sandbox-client-id',
        ...(auth ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = async (path: string, body: unknown): Promise<{ status: number; body: Json; headers: Headers }> => {
    const res = await call(path, body);
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  const get = async <T = Json[]>(path: string): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await call(path);
    return { status: res.status, headers: res.headers, body: (res.status === 204 ? undefined : await res.json()) as T };
  };
  const activities = async (): Promise<Record<string, Json>> => (await get<Record<string, Json>>('/sync/last_activities')).body;

  describe('ratings', () => {
    it('adds the sample body, echoes unknown items, reads newest first with a rating filter, and moves rated_at', async () => {
      await start();
      const before = await activities();
      const added = await post('/sync/ratings', {
        movies: [{ ids: { imdb: 'tt0372784' }, rating: 9, rated_at: '2014-09-01T09:10:11.000Z' }, { ids: { imdb: 'tt0000111' }, rating: 5 }],
        shows: [{ ids: { tvdb: GOT.tvdb }, rating: 10 }],
        episodes: [{ ids: { tvdb: GOT.seasons[0].episodes[0].ids.tvdb }, rating: 8 }],
      });
      expect(added.status).to.equal(201);
      expect(added.body).to.deep.equal({
        added: { movies: 1, shows: 1, seasons: 0, episodes: 1 },
        not_found: { movies: [{ ids: { imdb: 'tt0000111' }, rating: 5 }], shows: [], seasons: [], episodes: [] },
      });
      const all = await get('/sync/ratings');
      expect(all.headers.get('x-pagination-page-count'), 'pagination optional').to.equal(null);
      // Same rated_at for the show and the episode: they keep the order they were posted in.
      expect(all.body.map((r) => r.type)).to.deep.equal(['show', 'episode', 'movie']);
      expect(all.body[2]).to.deep.equal({ rated_at: '2014-09-01T09:10:11.000Z', rating: 9, type: 'movie', movie: BATMAN });
      expect((await get('/sync/ratings/movies/9,10')).body).to.have.length(1);
      expect((await get('/sync/ratings/all/10')).body.map((r) => r.type)).to.deep.equal(['show']);
      expect((await get('/sync/ratings/nope')).status).to.equal(404);

      const after = await activities();
      expect(after.movies.rated_at).to.not.equal(before.movies.rated_at);
      expect(after.shows.rated_at).to.not.equal(before.shows.rated_at);
      expect(after.movies.collected_at).to.equal(before.movies.collected_at);
    });

    it('refuses a rating outside 1–10 with 422 and stores nothing; removes', async () => {
      await start();
      expect((await post('/sync/ratings', { movies: [{ ids: { imdb: 'tt0372784' }, rating: 9 }, { ids: { tmdb: 27205 }, rating: 11 }] })).status).to.equal(422);
      expect(sb.state.ratings.size).to.equal(0);
      await post('/sync/ratings', { shows: [{ ids: { slug: SHOW1.slug }, seasons: [{ number: 1, episodes: [{ number: 2, rating: 6 }] }] }] });
      expect([...sb.state.ratings.values()].map((r) => [r.type, r.traktId, r.rating])).to.deep.equal([['episode', SHOW1.seasons[0].episodes[1].ids.trakt, 6]]);
      const removed = await post('/sync/ratings/remove', { episodes: [{ ids: { trakt: SHOW1.seasons[0].episodes[1].ids.trakt } }] });
      expect(removed.status).to.equal(200);
      expect(removed.body.deleted).to.deep.equal({ movies: 0, shows: 0, seasons: 0, episodes: 1 });
    });
  });

  describe('watchlist', () => {
    it('adds, counts existing, paginates only when asked, and loses watched items', async () => {
      await start();
      const first = await post('/sync/watchlist', { movies: [{ ids: { imdb: 'tt0372784' } }, { ids: { imdb: 'tt0000111' } }], shows: [{ ids: { trakt: GOT.trakt } }] });
      expect(first.status).to.equal(201);
      expect(first.body).to.deep.include({ added: { movies: 1, shows: 1, seasons: 0, episodes: 0 }, existing: { movies: 0, shows: 0, seasons: 0, episodes: 0 } });
      expect((first.body.list as Json).item_count).to.equal(2);
      const again = await post('/sync/watchlist', { movies: [{ ids: { tmdb: 272 } }] });
      expect(again.body.existing).to.deep.include({ movies: 1 });

      const all = await get('/sync/watchlist');
      expect(all.headers.get('x-pagination-page-count')).to.equal(null);
      expect(all.body.map((r) => [r.rank, r.type])).to.deep.equal([[1, 'movie'], [2, 'show']]);
      const paged = await get('/sync/watchlist/all?page=2&limit=1');
      expect(paged.headers.get('x-pagination-page-count')).to.equal('2');
      expect(paged.body.map((r) => r.type)).to.deep.equal(['show']);
      expect((await get('/sync/watchlist/movies')).body[0]).to.include({ type: 'movie', notes: null });

      // Trakt takes watched items off the watchlist.
      await post('/sync/history', { movies: [{ ids: { imdb: 'tt0372784' } }] });
      expect((await get('/sync/watchlist/movies')).body).to.have.length(0);
    });

    it('answers 420 with the account limit headers once the watchlist would be over its limit', async () => {
      await start({ watchlistLimit: 2 });
      await post('/sync/watchlist', { movies: [{ ids: { trakt: 1 } }, { ids: { trakt: 2 } }] });
      const over = await post('/sync/watchlist', { movies: [{ ids: { trakt: 1 } }, { ids: { trakt: 3 } }] });
      expect(over.status).to.equal(420);
      expect(over.headers.get('x-account-limit')).to.equal('2');
      expect(over.headers.get('x-upgrade-url')).to.equal('https://trakt.tv/vip');
      expect(over.headers.get('x-vip-user')).to.equal('false');
      expect(sb.state.watchlist.size).to.equal(2);
      expect((await post('/sync/watchlist', { movies: [{ ids: { trakt: 1 } }] })).status, 'only existing items still fit').to.equal(201);
      const removed = await post('/sync/watchlist/remove', { movies: [{ ids: { trakt: 1 } }] });
      expect(removed.body).to.deep.include({ deleted: { movies: 1, shows: 0, seasons: 0, episodes: 0 } });
      expect((removed.body.list as Json).item_count).to.equal(1);
    });
  });

  describe('collection', () => {
    it('collects a whole show as its episodes, tells updated from existing, and groups shows on read', async () => {
      await start();
      const added = await post('/sync/collection', { movies: [{ ids: { imdb: 'tt0372784' }, collected_at: '2020-05-01T00:00:00.000Z' }], shows: [{ ids: { tvdb: SHOW1.tvdb } }] });
      expect(added.body).to.deep.include({ added: { movies: 1, shows: 0, seasons: 0, episodes: 6 } });
      const again = await post('/sync/collection', { movies: [{ ids: { imdb: 'tt0372784' }, collected_at: '2021-01-01T00:00:00.000Z' }, { ids: { imdb: 'tt0372784' } }] });
      expect(again.body).to.deep.include({ added: { movies: 0, shows: 0, seasons: 0, episodes: 0 }, updated: { movies: 1, shows: 0, seasons: 0, episodes: 0 }, existing: { movies: 1, shows: 0, seasons: 0, episodes: 0 } });
      expect((await post('/sync/collection', { movies: [{ ids: { tmdb: 272 }, collected_at: 'soon' }] })).status).to.equal(422);

      const movies = await get('/sync/collection/movies');
      expect(movies.body).to.have.length(1);
      expect(movies.body[0]).to.include({ collected_at: '2021-01-01T00:00:00.000Z' });
      const shows = await get('/sync/collection/shows');
      expect(shows.body).to.have.length(1);
      expect((shows.body[0].show as Json).title).to.equal(SHOW1.title);
      expect((shows.body[0].seasons as Json[]).map((s) => (s.episodes as Json[]).length)).to.deep.equal([3, 3]);
      expect((await get('/sync/collection/people')).status).to.equal(404);

      const removed = await post('/sync/collection/remove', { shows: [{ ids: { tvdb: SHOW1.tvdb }, seasons: [{ number: 2 }] }] });
      expect(removed.body.deleted).to.deep.equal({ movies: 0, shows: 0, seasons: 0, episodes: 3 });
      expect((await activities()).episodes.collected_at).to.not.equal('2020-01-01T00:00:00.000Z');
    });
  });

  describe('users', () => {
    it('watching: 204 until a scrobble starts, the item while it runs, 204 after pause', async () => {
      await start();
      expect((await get('/users/me/watching')).status).to.equal(204);
      await post('/scrobble/start', { movie: { ids: { imdb: 'tt0372784' } }, progress: 25 });
      const now = await get<Json>('/users/me/watching');
      expect(now.status).to.equal(200);
      expect(now.body).to.include({ action: 'scrobble', type: 'movie' });
      expect(now.body.movie).to.deep.equal(BATMAN);
      const span = Date.parse(String(now.body.expires_at)) - Date.parse(String(now.body.started_at));
      expect(span).to.be.closeTo(72_000, 2);
      await post('/scrobble/pause', { movie: { ids: { imdb: 'tt0372784' } }, progress: 30 });
      expect((await get('/users/me/watching')).status).to.equal(204);
    });

    it('stats from history, ratings and collection; "me" needs a token, the own slug does not', async () => {
      await start();
      await post('/sync/history', { movies: [{ ids: { trakt: 1 } }, { ids: { trakt: 1 } }], episodes: [{ ids: { trakt: SHOW1.seasons[0].episodes[0].ids.trakt } }] });
      await post('/sync/ratings', { movies: [{ ids: { trakt: 1 }, rating: 7 }] });
      const stats = await get<Record<string, Json>>('/users/me/stats');
      expect(stats.body.movies).to.include({ plays: 2, watched: 1, ratings: 1 });
      expect(stats.body.episodes).to.include({ plays: 1, watched: 1 });
      expect(stats.body.shows).to.include({ watched: 1 });
      expect((stats.body.ratings.distribution as Json)['7']).to.equal(1);
      expect((await call('/users/me/stats', undefined, false)).status).to.equal(401);
      expect((await call('/users/sandbox-user/stats', undefined, false)).status).to.equal(200);
      expect((await call('/users/someone-else/stats', undefined, false)).status).to.equal(404);
    });
  });

  describe('discovery and calendars', () => {
    it('recommends unwatched items up to the limit, honouring ignore_watchlisted', async () => {
      await start();
      await post('/sync/history', { movies: [{ ids: { trakt: 1 } }] });
      await post('/sync/watchlist', { movies: [{ ids: { trakt: 2 } }] });
      const recs = await get('/recommendations/movies?limit=3');
      expect(recs.headers.get('x-pagination-page-count')).to.equal(null);
      expect(recs.body.map((m) => (m.ids as Json).trakt)).to.deep.equal([2, 3, 4]);
      expect(recs.body[0]).to.have.property('favorited_by');
      expect((await get('/recommendations/movies?limit=2&ignore_watchlisted=true')).body.map((m) => (m.ids as Json).trakt)).to.deep.equal([3, 4]);
      expect((await call('/recommendations/movies', undefined, false)).status).to.equal(401);
    });

    it('trending wraps with watchers (most played first) and popular is bare; both paginate and clamp at 250', async () => {
      await start();
      await post('/sync/history', { movies: [{ ids: { trakt: 5 } }, { ids: { trakt: 5 } }, { ids: { trakt: 7 } }] });
      const trending = await get('/movies/trending');
      expect(trending.headers.get('x-pagination-limit')).to.equal('10');
      expect(trending.body.slice(0, 3).map((r) => [r.watchers, ((r.movie as Json).ids as Json).trakt])).to.deep.equal([[2, 5], [1, 7], [0, 1]]);
      const popular = await get('/shows/popular?limit=1000&page=1');
      expect(popular.headers.get('x-pagination-limit')).to.equal('250');
      expect(popular.body[0]).to.deep.include({ title: SHOW1.title });
      expect((await call('/movies/popular', undefined, false)).status, 'public').to.equal(200);
    });

    it('calendar: my movies and episodes released in the window; more than 33 days is a 400', async () => {
      await start();
      await post('/sync/watchlist', { movies: [{ ids: { imdb: 'tt0372784' } }], shows: [{ ids: { trakt: GOT.trakt } }] });
      const movies = await get('/calendars/my/movies/2005-01-01/7');
      expect(movies.body).to.deep.equal([{ released: '2005-01-01', movie: BATMAN }]);
      expect((await get('/calendars/my/movies/2005-01-02/33')).body).to.have.length(0);
      const shows = await get('/calendars/my/shows/2016-01-01/14');
      expect(shows.body.map((r) => [r.first_aired, (r.episode as Json).title])).to.deep.equal([
        ['2016-01-01T00:00:00.000Z', 'The Red Woman'],
        ['2016-01-08T00:00:00.000Z', 'Home'],
      ]);
      expect((await get('/calendars/my/movies/2005-01-01/34')).status).to.equal(400);
      expect((await get('/calendars/my/movies/yesterday/3')).status).to.equal(400);
    });

    it('goes through the same pipeline: rate limit headers, API key, and reset clears the lists', async () => {
      await start();
      const res = await call('/sync/collection');
      expect(res.headers.get('x-ratelimit')).to.contain('AUTHED_API_GET_LIMIT');
      const noKey = await fetch(`${sb.url}/movies/trending`, { headers: { 'User-Agent': 'x', 'trakt-api-version': '2' } });
      expect(noKey.status).to.equal(403);
      await post('/sync/ratings', { movies: [{ ids: { trakt: 1 }, rating: 7 }] });
      sb.state.reset();
      expect(sb.state.ratings.size).to.equal(0);
      expect((await activities()).movies.rated_at).to.equal('2020-01-01T00:00:00.000Z');
    });
  });

  describe('TraktLists and TraktReader against the sandbox', () => {
    const account = () =>
      createTraktAccount({
        apiUrl: sb.url,
        app: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' },
        tokens: { accessToken: token, refreshToken: 'unused', expiresAt: Math.floor(Date.now() / 1000) + 86_400 },
        persist: () => undefined,
        limits: { writeSpacingMs: 0, readsPerWindow: 1000, readWindowMs: 60_000 },
      });

    it('writes each list, reads it back, and the next read with the mark is unchanged', async () => {
      await start();
      const { client, limiter } = account();
      try {
        const lists = new TraktLists(client);
        const items: MediaItem[] = [
          { type: 'movie', title: 'Batman Begins', year: 2005, rating: 9, ratedAt: '2024-02-01T00:00:00.000Z' },
          { type: 'episode', season: 6, episode: 2, show: { title: 'Game of Thrones', year: 2011 }, rating: 8 },
          { type: 'movie', ids: { imdb: 'tt0000111' }, rating: 3 },
        ];
        expect(await lists.addToList('ratings', items)).to.deep.equal({ notFound: [2], added: 2 });
        expect(await lists.addToList('watchlist', [{ type: 'show', ids: { tvdb: GOT.tvdb } }, { type: 'show', ids: { tvdb: GOT.tvdb } }])).to.deep.equal({ notFound: [], added: 1, existing: 1 });
        expect(await lists.addToList('collection', [{ type: 'movie', ids: { tmdb: 272 }, collectedAt: '2023-01-01T00:00:00.000Z' }])).to.deep.equal({ notFound: [], added: 1, existing: 0 });

        const reader = new TraktReader(client);
        const pages: ReadPage[] = [];
        const first = await reader.read('ratings', {}, (p) => void pages.push(p));
        const read = pages.flatMap((p) => p.items);
        expect(read.map((i) => [i.type, i.rating])).to.deep.equal([['movie', 9], ['episode', 8]]);
        expect(read[1]).to.deep.include({ season: 6, episode: 2, title: 'Home' });
        expect(first.requests).to.equal(4);
        const again = await reader.read('ratings', { since: first.newest }, () => expect.fail('no page expected'));
        expect(again).to.deep.include({ unchanged: true, requests: 1 });

        const collected: MediaItem[] = [];
        await reader.read('collection', { types: ['movies'] }, (p) => void collected.push(...p.items));
        expect(collected).to.deep.equal([{ type: 'movie', ...BATMAN, collectedAt: '2023-01-01T00:00:00.000Z', source: { kind: 'trakt', list: 'collection' } }]);
      } finally {
        await limiter.stop();
      }
    });

    it('surfaces the watchlist 420 with its limit, and pages history with a clamped limit', async () => {
      await start({ watchlistLimit: 1 });
      const { client, limiter } = account();
      try {
        const error = await new TraktLists(client).addToList('watchlist', [{ type: 'movie', ids: { trakt: 1 } }, { type: 'movie', ids: { trakt: 2 } }]).catch((e: Error) => e);
        expect(error).to.be.instanceOf(Error);
        expect((error as Error).message).to.contain('account limit reached (420, limit 1)');

        const plays = Array.from({ length: 260 }, (_, i) => ({ ids: { trakt: (i % 40) + 1 }, watched_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() }));
        await post('/sync/history', { movies: plays });
        const pages: ReadPage[] = [];
        const result = await new TraktReader(client).read('history', { types: ['movies'] }, (p) => void pages.push(p));
        expect(pages.map((p) => p.items.length)).to.deep.equal([250, 10]);
        expect(pages[1]).to.include({ done: 260, total: 260 });
        expect(result.requests).to.equal(3);
      } finally {
        await limiter.stop();
      }
    });
  });
});
