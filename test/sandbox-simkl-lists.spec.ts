// The fake Simkl's ratings and watchlist: POST /sync/ratings(/remove), GET /sync/ratings, POST
// /sync/add-to-list, and what all-items and the activities make of them; then SimklLists and
// SimklReader against it, end to end.
import { expect } from 'chai';
import type { ReadKind, ReadOptions, ReadPage } from '../lib/provider';
import { createSimklAccount, type SimklAccount } from '../lib/simkl/account';
import { SimklLists } from '../lib/simkl/lists';
import { SimklReader } from '../lib/simkl/reads';
import { simklCatalogFor, startSimklSandbox, type SimklSandbox } from './sandbox';

const CLIENT_ID = 'sandbox-simkl-client-id';
const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const catalog = simklCatalogFor({ catalog: SMALL });
const bySlug = (slug: string): { simkl: number; imdb?: string; tvdb?: number } =>
  catalog.shows.find((s) => s.slug === slug) ?? catalog.movies.find((m) => m.slug === slug) ?? { simkl: -1 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Simkl's activities are whole seconds: a change must land in a later second than the last read's. */
const nextSecond = (): Promise<void> => sleep(1010 - (Date.now() % 1000));

type Json = Record<string, unknown>;

describe('simkl sandbox: ratings and watchlist', () => {
  let sb: SimklSandbox;
  let token: string;
  beforeEach(async () => {
    sb = await startSimklSandbox({ timeScale: 0.01, postPerSecond: 100, getPerSecond: 100, catalog: SMALL });
    token = sb.state.issueToken();
  });
  afterEach(async () => sb?.close());

  async function call(path: string, body?: unknown): Promise<{ status: number; body: Json | null }> {
    const url = new URL(sb.url + path);
    for (const [k, v] of Object.entries({ client_id: CLIENT_ID, 'app-name': 'sandbox-spec', 'app-version': '1.0' })) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'sandbox-spec/1.0', Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json | null };
  }
  const activities = async (): Promise<Record<string, Json>> => (await call('/sync/activities')).body as Record<string, Json>;
  const rows = async (path: string, list: string): Promise<Json[]> => ((await call(path)).body?.[list] as Json[] | undefined) ?? [];

  it('rates titles: not_found for unknown ones, out-of-range ignored, unlisted titles filed, rated_at moved', async () => {
    const inception = bySlug('inception-2010');
    const shameless = catalog.shows.find((s) => s.simklType === 'tv')!;
    const bebop = bySlug('cowboy-bebop');
    const body = {
      movies: [{ ids: { imdb: 'tt1375666' }, rating: 9, rated_at: '2024-02-03T04:05:06.789Z' }, { title: 'Nope', year: 1900, ids: { imdb: 'tt0000111' }, rating: 5 }],
      shows: [{ ids: { tvdb: String(shameless.tvdb) }, rating: 7 }, { ids: { simkl: catalog.movies[1].simkl + 10_000_000 }, rating: 0 }],
      anime: [{ ids: { anidb: 23 }, rating: 10 }, { ids: { mal: 1 }, rating: 11 }],
    };
    const before = await activities();
    const res = await call('/sync/ratings', body);
    expect(res.status).to.equal(201);
    // The anime with 11 is ignored (not added, not missing); the unknown show with 0 is still unknown.
    expect(res.body).to.deep.equal({
      added: {
        movies: 1,
        shows: 2,
        statuses: [
          { request: body.movies[0], response: { status: 'completed' } },
          { request: body.shows[0], response: { status: 'watching' } },
          { request: body.anime[0], response: { status: 'watching' } },
        ],
      },
      not_found: { movies: [body.movies[1]], shows: [body.shows[1]] },
    });
    const after = await activities();
    for (const group of ['movies', 'tv_shows', 'anime']) expect(after[group].rated_at, group).to.not.equal(before[group].rated_at);
    expect(after.movies.completed).to.equal(after.movies.rated_at);

    const [movie] = await rows('/sync/all-items/movies?date_from=2000-01-01T00:00:00Z', 'movies');
    expect(movie).to.deep.include({ user_rating: 9, user_rated_at: '2024-02-03T04:05:06Z', status: 'completed', last_watched_at: null });
    expect(await rows('/sync/ratings/movies/9,10', 'movies')).to.have.length(1);
    expect((await call('/sync/ratings/movies/1,2')).body).to.equal(null);
    expect((await rows('/sync/ratings/anime/10', 'anime')).map((r) => (r.show as Json).title)).to.deep.equal(['Cowboy Bebop']);
    expect((await rows('/sync/ratings/shows/1,2,3,4,5,6,7,8,9,10', 'shows')).map((r) => (r.show as Json).ids)).to.deep.include({ simkl: shameless.simkl, slug: shameless.slug, imdb: shameless.imdb, tmdb: String(shameless.tmdb), tvdb: String(shameless.tvdb) });
    expect((await call('/sync/ratings/tv/9')).status).to.equal(400);
    expect((await call('/sync/ratings/movies/0')).status).to.equal(400);
    expect(sb.state.ratings.get(`show:${bebop.simkl}`)).to.include({ rating: 10 });

    const removed = await call('/sync/ratings/remove', { movies: [{ ids: { simkl: inception.simkl } }, { ids: { imdb: 'tt0000111' } }] });
    expect(removed).to.deep.equal({ status: 201, body: { deleted: { movies: 1, shows: 0 }, not_found: { movies: [{ ids: { imdb: 'tt0000111' } }], shows: [] } } });
    expect((await call('/sync/ratings/movies')).body).to.equal(null);
    // Still filed: removing a rating does not remove the title.
    expect((await rows('/sync/all-items/movies/completed?date_from=2000-01-01T00:00:00Z', 'movies'))[0]).to.deep.include({ user_rating: null, user_rated_at: null });
  });

  it('keeps the status plays gave a rated title, and drops the rating when the title leaves the library', async () => {
    const show = catalog.shows.find((s) => s.simklType === 'tv')!;
    await call('/sync/history', { shows: [{ ids: { simkl: show.simkl }, seasons: [{ number: 1, episodes: [{ number: 1 }] }] }] });
    const rated = await call('/sync/ratings', { shows: [{ ids: { simkl: show.simkl }, rating: 8 }] });
    expect((rated.body?.added as Json).statuses).to.deep.equal([{ request: { ids: { simkl: show.simkl }, rating: 8 }, response: { status: 'watching' } }]);
    expect(sb.state.listings.size, 'not filed again').to.equal(0);
    await call('/sync/history/remove', { shows: [{ ids: { simkl: show.simkl } }] });
    expect(sb.state.ratings.size).to.equal(0);
  });

  it('adds to lists: `to` on each item (plantowatch = watchlist), titles echoed, statuses moved in the activities', async () => {
    const dune = catalog.movies[5];
    const show = catalog.shows.find((s) => s.simklType === 'tv')!;
    expect(await call('/sync/add-to-list', { to: 'plantowatch', movies: [{ ids: { simkl: dune.simkl } }] })).to.deep.equal({
      status: 400,
      body: { error: 'empty_field', code: 400, message: 'Missed "to" parameter' },
    });
    expect((await call('/sync/add-to-list', { movies: [{ to: 'later', ids: { simkl: dune.simkl } }] })).body).to.include({ error: 'wrong_parameter' });
    expect(sb.state.listings.size, 'a refused body files nothing').to.equal(0);

    const before = await activities();
    const body = {
      movies: [{ to: 'plantowatch', ids: { simkl: dune.simkl } }, { to: 'plantowatch', ids: { imdb: 'tt0000111' } }, { to: 'hold', ids: { simkl: catalog.movies[6].simkl } }],
      shows: [{ to: 'plantowatch', title: show.title, ids: { tvdb: show.tvdb } }],
    };
    const res = await call('/sync/add-to-list', body);
    expect(res).to.deep.equal({
      status: 201,
      body: {
        added: { movies: [{ ...body.movies[0], type: 'movie' }], shows: [{ ...body.shows[0], type: 'show' }] },
        // Movies have no hold list.
        not_found: { movies: [body.movies[1], body.movies[2]], shows: [] },
      },
    });
    const after = await activities();
    expect(after.movies.plantowatch).to.not.equal(before.movies.plantowatch);
    expect(after.tv_shows.plantowatch).to.not.equal(before.tv_shows.plantowatch);
    expect(after.movies.completed).to.equal(before.movies.completed);

    const [row] = await rows('/sync/all-items/movies/plantowatch?date_from=2000-01-01T00:00:00Z', 'movies');
    expect(row).to.deep.include({ status: 'plantowatch', last_watched_at: null, user_rating: null });
    expect(Date.parse(String(row.added_to_watchlist_at))).to.be.closeTo(Date.now(), 5000);
    expect((await rows('/sync/all-items/shows/plantowatch?date_from=2000-01-01T00:00:00Z', 'shows'))[0]).to.deep.include({ status: 'plantowatch', last_watched: null, watched_episodes_count: 0 });
    expect((await call(`/sync/all-items/movies/plantowatch?date_from=${new Date(Date.now() + 1000).toISOString()}`)).body).to.equal(null);

    // Watching it moves it out of the watchlist, into completed.
    await sleep(5);
    await call('/sync/history', { movies: [{ ids: { simkl: dune.simkl }, watched_at: '2024-05-01T20:00:00Z' }] });
    expect((await call('/sync/all-items/movies/plantowatch?date_from=2000-01-01T00:00:00Z')).body).to.equal(null);
    const moved = await activities();
    expect(moved.movies.plantowatch).to.equal(moved.movies.completed);

    // A movie cannot be "watching": Simkl records the watch and files it as completed.
    await call('/sync/add-to-list', { movies: [{ to: 'watching', ids: { simkl: catalog.movies[7].simkl } }] });
    expect(sb.state.plays.filter((p) => p.simklId === catalog.movies[7].simkl)).to.have.length(1);
    expect(sb.state.unGatedAllItems).to.equal(0);
  });

  describe('SimklLists and SimklReader against it', () => {
    let account: SimklAccount;
    beforeEach(() => {
      account = createSimklAccount({
        apiUrl: sb.url,
        app: { clientId: CLIENT_ID, clientSecret: 'unused' },
        tokens: { accessToken: token },
        persist: () => undefined,
        limits: { writeSpacingMs: 0, readsPerWindow: 1000, readWindowMs: 1000 },
        backoffBaseMs: 5,
      });
    });
    afterEach(async () => account.limiter.stop());

    async function read(reader: SimklReader, kind: ReadKind, options: ReadOptions = {}): Promise<{ items: ReadPage['items']; result: Awaited<ReturnType<SimklReader['read']>> }> {
      const items: ReadPage['items'] = [];
      const result = await reader.read(kind, options, (page) => {
        items.push(...page.items);
      });
      return { items, result };
    }

    it('writes ratings and the watchlist, reads them back, then reads only what changed', async () => {
      const lists = new SimklLists(account.client);
      const reader = new SimklReader(account.client);
      const inception = bySlug('inception-2010');
      const bebop = bySlug('cowboy-bebop');
      const rated = await lists.addToList('ratings', [
        { type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, rating: 9, ratedAt: '2024-02-03T04:05:06Z' },
        { type: 'show', title: 'Cowboy Bebop', ids: { anidb: 23 }, rating: 10 },
        { type: 'movie', title: 'Nope', year: 1900, ids: { imdb: 'tt0000111' }, rating: 4 },
        { type: 'episode', season: 1, episode: 1, show: { ids: { anidb: 23 } }, rating: 8 },
      ]);
      expect(rated).to.deep.equal({ notFound: [2, 3], added: 2 });
      const listed = await lists.addToList('watchlist', [{ type: 'movie', ids: { simkl: catalog.movies[9].simkl } }, { type: 'movie', ids: { imdb: 'tt0000111' } }]);
      expect(listed).to.deep.equal({ notFound: [1], added: 1 });

      const ratings = await read(reader, 'ratings');
      expect(ratings.items.map((i) => [i.type, i.ids?.simkl, i.rating, i.ratedAt])).to.have.deep.members([
        ['movie', inception.simkl, 9, '2024-02-03T04:05:06Z'],
        ['show', bebop.simkl, 10, ratings.items.find((i) => i.type === 'show')?.ratedAt],
      ]);
      // Each list's first read is unbounded, and only that one: the fake counts all-items' (the three watchlist lists).
      const watchlist = await read(reader, 'watchlist');
      expect(watchlist.items).to.have.length(1);
      expect(watchlist.items[0]).to.deep.include({ type: 'movie', source: { kind: 'simkl', list: 'watchlist' } });
      expect(watchlist.items[0].listedAt).to.be.a('string');
      expect(sb.state.unGatedAllItems).to.equal(3);

      const again = await read(reader, 'ratings');
      expect(again.result).to.deep.include({ requests: 1, unchanged: true });
      expect(again.items).to.deep.equal([]);

      await nextSecond();
      await lists.addToList('ratings', [{ type: 'movie', ids: { simkl: catalog.movies[9].simkl }, rating: 6 }]);
      const changed = await read(reader, 'ratings', { since: ratings.result.newest });
      // movies moved (and are read with date_from); shows and anime did not.
      expect(changed.result.requests).to.equal(2);
      expect(changed.items.map((i) => [i.ids?.simkl, i.rating])).to.deep.include([catalog.movies[9].simkl, 6]);
      expect((await read(reader, 'watchlist')).result, 'rating it filed nothing new in the watchlist').to.deep.include({ unchanged: true });
      expect(sb.state.unGatedAllItems).to.equal(3);
    });

    it('reads history: everything once, then nothing until a play moves a list, then only the new plays', async () => {
      const reader = new SimklReader(account.client);
      const show = catalog.shows.find((s) => s.simklType === 'tv')!;
      await account.client.addHistory([{ type: 'episode', season: 1, episode: 1, show: { ids: { simkl: show.simkl } }, watchedAt: '2024-05-01T20:00:00Z' }]);
      const first = await read(reader, 'history');
      expect(first.items.map((i) => `${i.show?.ids?.simkl} S${i.season}E${i.episode}`)).to.deep.equal([`${show.simkl} S1E1`]);
      // A fresh account's lists all show a (fixed) activity: each is read once, unbounded.
      expect(sb.state.unGatedAllItems).to.equal(3);

      expect((await read(reader, 'history')).result).to.deep.include({ requests: 1, unchanged: true });
      await nextSecond();
      // Stored to the minute, so possibly before `since`: still read, being in its minute or after.
      await account.client.addHistory([{ type: 'episode', season: 1, episode: 2, show: { ids: { simkl: show.simkl } }, watchedAt: new Date().toISOString() }]);
      const next = await read(reader, 'history', { since: first.result.newest });
      expect(next.items.map((i) => `S${i.season}E${i.episode}`)).to.deep.equal(['S1E2']);
      expect(next.result.requests).to.equal(2);
      expect(sb.state.unGatedAllItems).to.equal(3);
    });
  });
});
