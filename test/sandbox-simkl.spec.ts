// Tests of the fake Simkl: each case pins one documented rule (api-facts §2) a client could get
// wrong against the real API — required params, the PIN gotcha, the two search shapes, gated reads.
import { expect } from 'chai';
import { simklCatalogFor, startSimklSandbox, type SimklSandbox, type SimklSandboxOptions } from './sandbox';

const CLIENT_ID = 'sandbox-simkl-client-id';
const SECRET = 'sandbox-simkl-client-secret';
const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const catalog = simklCatalogFor({ catalog: SMALL });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const bySlug = (slug: string): { simkl: number } => catalog.shows.find((s) => s.slug === slug) ?? catalog.movies.find((m) => m.slug === slug) ?? { simkl: -1 };

type Json = Record<string, unknown>;

interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Replaces the default client_id / app-name / app-version query. */
  params?: Record<string, string>;
}

describe('simkl sandbox', () => {
  let sb: SimklSandbox;
  let token: string;
  // 100 POSTs per 10 ms window unless a test is about the limits.
  const start = async (o: SimklSandboxOptions = {}): Promise<void> => {
    sb = await startSimklSandbox({ timeScale: 0.01, postPerSecond: 100, getPerSecond: 100, catalog: SMALL, ...o });
    token = sb.state.issueToken();
  };
  afterEach(async () => sb?.close());

  function call(path: string, o: CallOptions = {}): Promise<Response> {
    const url = new URL(sb.url + path);
    for (const [k, v] of Object.entries(o.params ?? { client_id: CLIENT_ID, 'app-name': 'sandbox-spec', 'app-version': '1.0' })) url.searchParams.set(k, v);
    return fetch(url, {
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'sandbox-spec/1.0', ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}), ...o.headers },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
  }
  const get = async (path: string, o: CallOptions = {}): Promise<{ status: number; body: Json }> => {
    const res = await call(path, o);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const authed = (path: string, body?: unknown): Promise<{ status: number; body: Json }> => get(path, { token, body });

  it('requires client_id (412), app-name and app-version (400), a User-Agent and a valid token', async () => {
    await start();
    expect(await get('/sync/activities', { token, params: { 'app-name': 'x', 'app-version': '1' } })).to.deep.equal({
      status: 412,
      body: { error: 'client_id_failed', code: 412, message: 'Your client_id is wrong. Try another one' },
    });
    expect((await get('/search/id?imdb=tt1375666', { params: { client_id: 'nope', 'app-name': 'x', 'app-version': '1' } })).status).to.equal(412);
    const header = await get('/search/id?imdb=tt1375666', { params: { 'app-name': 'x', 'app-version': '1' }, headers: { 'simkl-api-key': CLIENT_ID } });
    expect(header.status, 'simkl-api-key header').to.equal(200);
    const noName = await get('/search/id?imdb=tt1375666', { params: { client_id: CLIENT_ID, 'app-version': '1' } });
    expect(noName).to.deep.include({ status: 400 });
    expect(noName.body).to.include({ error: 'empty_field', code: 400 });
    expect((await get('/search/id?imdb=tt1375666', { params: { client_id: CLIENT_ID, 'app-name': 'x' } })).status).to.equal(400);
    expect((await call('/search/id?imdb=tt1375666', { headers: { 'User-Agent': '' } })).status).to.equal(403);
    expect(await get('/sync/activities', { token: 'bad' })).to.deep.include({ status: 401 });
    expect((await get('/sync/activities')).body).to.include({ error: 'user_token_failed' });
    sb.state.revokeToken(token);
    expect((await authed('/sync/activities')).status, 'revoked').to.equal(401);
  });

  it('PIN flow: pending, slow down, token once, then a fresh init for the used code', async () => {
    await start();
    const init = (await get('/oauth/pin')).body;
    expect(init).to.include({ result: 'OK', device_code: 'DEVICE_CODE', verification_url: `${sb.url}/pin`, verification_uri: `${sb.url}/pin`, expires_in: 900, interval: 5 });
    const code = String(init.user_code);
    expect(code).to.match(/^[A-Z0-9]{6}$/);
    const poll = async (): Promise<{ status: number; body: Json }> => get(`/oauth/pin/${code}`);

    expect(await poll()).to.deep.equal({ status: 200, body: { result: 'KO', message: 'Authorization pending' } });
    expect(await poll()).to.deep.equal({ status: 200, body: { result: 'KO', message: 'Slow down' } });
    const page = await fetch(`${sb.url}/pin/${code}`);
    expect(await page.text()).to.contain('value="approve"');
    const approved = await fetch(`${sb.url}/pin/${code}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=approve' });
    expect(await approved.text()).to.contain('Approved');
    await sleep(60);
    const ok = await poll();
    expect(ok.body).to.have.keys('result', 'access_token');
    expect(ok.body.result).to.equal('OK');
    const settings = await get('/users/settings', { token: String(ok.body.access_token), method: 'POST' });
    expect(settings.body).to.deep.include({ account: { id: 12345, timezone: 'UTC', type: 'free' } });
    expect((settings.body.user as Json).name).to.equal('sandbox-simkl-user');

    await sleep(60);
    const again = await poll();
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ result: 'OK', device_code: 'DEVICE_CODE' });
    expect(again.body.user_code).to.not.equal(code);

    // A denied code answers a fresh init too.
    const denied = String((await get('/oauth/pin')).body.user_code);
    expect(sb.state.denyPin(denied)).to.equal(true);
    expect((await get(`/oauth/pin/${denied}`)).body).to.have.property('device_code');
  });

  it('code flow: Approve redirects with code and state; the code is exchanged once', async () => {
    await start();
    const redirectUri = 'http://127.0.0.1:1880/simkl/callback';
    const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, state: 'xyz' });
    const page = await fetch(`${sb.url}/oauth/authorize?${q}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('value="approve"');
    q.set('decision', 'approve');
    const decided = await fetch(`${sb.url}/oauth/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: q.toString() });
    expect(decided.status).to.equal(302);
    const location = new URL(decided.headers.get('location') ?? '');
    expect(location.origin + location.pathname).to.equal(redirectUri);
    expect(location.searchParams.get('state')).to.equal('xyz');
    const code = location.searchParams.get('code') ?? '';

    const exchange = (): Promise<{ status: number; body: Json }> =>
      get('/oauth/token', { body: { code, client_id: CLIENT_ID, client_secret: SECRET, redirect_uri: redirectUri, grant_type: 'authorization_code' } });
    const res = await exchange();
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ token_type: 'bearer', scope: 'public' });
    expect((await get('/sync/activities', { token: String(res.body.access_token) })).status).to.equal(200);
    expect(await exchange()).to.deep.equal({ status: 401, body: { error: 'grant_error' } });
  });

  it('looks ids up (tmdb needs type=show for TV) and searches text with simkl_id and string tmdb', async () => {
    await start();
    const inception = bySlug('inception-2010').simkl;
    expect((await get('/search/id?imdb=https://www.imdb.com/title/tt1375666/')).body).to.deep.equal([
      { type: 'movie', title: 'Inception', year: 2010, status: 'released', ids: { simkl: inception, slug: 'inception-2010' } },
    ]);
    const movieOnly = (await get('/search/id?tmdb=27205')).body as unknown as Json[];
    expect(movieOnly.map((r) => r.title)).to.deep.equal(['Inception']);
    const show = (await get('/search/id?tmdb=27205&type=show')).body as unknown as Json[];
    expect(show).to.have.length(1);
    expect(show[0]).to.include({ type: 'tv', title: 'Shameless', year: 2004, total_episodes: 15 });
    const bebop = (await get('/search/id?anidb=23')).body as unknown as Json[];
    expect(bebop[0]).to.deep.include({ type: 'anime', title: 'Cowboy Bebop', ids: { simkl: bySlug('cowboy-bebop').simkl, slug: 'cowboy-bebop' } });
    expect(((await get('/search/id?mal=5114')).body as unknown as Json[])[0]).to.include({ title: 'Fullmetal Alchemist: Brotherhood' });

    const amelie = await call('/search/movie?q=amelie');
    const hits = (await amelie.json()) as Json[];
    expect(hits[0]).to.deep.equal({ title: 'Amélie', year: 2001, endpoint_type: 'movies', ids: { simkl_id: bySlug('amelie-2001').simkl, slug: 'amelie-2001', tmdb: '194' } });
    const anime = (await (await call('/search/anime?q=bebop')).json()) as Json[];
    expect(anime.map((h) => h.title)).to.deep.equal(['Cowboy Bebop']);
    expect(await (await call('/search/tv?q=bebop')).json()).to.deep.equal([]);
    const paged = await call('/search/movie?q=movie&limit=100&page=2');
    expect(paged.headers.get('x-pagination-limit')).to.equal('50');
    expect(paged.headers.get('x-pagination-item-count')).to.equal('400');
    expect(paged.headers.get('x-pagination-page-count')).to.equal('8');
    expect(((await paged.json()) as unknown[]).length).to.equal(50);
  });

  it('adds history with not_found, anime counted under shows, and records every play', async () => {
    await start();
    const show = catalog.shows[0];
    const body = {
      movies: [{ title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, watched_at: '2024-05-01 10:20:33' }, { title: 'Nope', year: 1900, ids: { imdb: 'tt0000111' } }],
      shows: [{ title: show.title, ids: { tvdb: String(show.tvdb) }, seasons: [{ number: 2, episodes: [{ number: 1, watched_at: '2024-05-02T20:00:00Z' }, { number: 99 }] }] }],
      anime: [{ ids: { mal: 1 }, episodes: [{ number: 1, watched_at: '2024-05-03T20:00:00Z' }, { number: 2, watched_at: '2024-05-03T20:30:00Z' }] }, { ids: { anidb: 999999 } }],
    };
    const res = await authed('/sync/history', body);
    expect(res.status).to.equal(201);
    const added = res.body.added as Json;
    expect(added).to.include({ movies: 1, shows: 2, episodes: 3 });
    expect(res.body.not_found).to.deep.equal({ movies: [body.movies[1]], shows: [body.anime[1]], episodes: [{ number: 99 }] });
    const statuses = added.statuses as Array<{ request: Json; response: Json }>;
    expect(statuses.map((s) => s.response)).to.deep.equal([
      { status: 'completed', simkl_type: 'movie', anime_type: null },
      { status: 'watching', simkl_type: 'tv', anime_type: null },
      { status: 'watching', simkl_type: 'anime', anime_type: 'tv' },
    ]);
    expect(statuses[2].request).to.deep.equal({ ids: { mal: 1 }, type: 'anime', rating: null });
    // A zone-less watched_at is UTC; Simkl keeps minutes.
    expect(sb.state.plays[0]).to.include({ type: 'movie', simklId: bySlug('inception-2010').simkl, watchedAt: '2024-05-01T10:20:00.000Z', via: 'sync' });
    expect(sb.state.plays[2]).to.include({ type: 'episode', simklId: bySlug('cowboy-bebop').simkl, season: 1, episode: 1 });
    expect(sb.state.duplicates()).to.deep.equal([]);

    await authed('/sync/history', { movies: body.movies.slice(0, 1) });
    expect(sb.state.duplicates()).to.have.length(1);
    const removed = await authed('/sync/history/remove', { movies: body.movies, shows: [{ ids: { simkl: show.simkl } }] });
    expect(removed).to.deep.equal({ status: 201, body: { deleted: { movies: 1, shows: 1, episodes: 1 }, not_found: { movies: [body.movies[1]], shows: [] } } });
  });

  it('moves activities on change and serves all-items: null when empty, filtered by date_from', async () => {
    await start();
    const initial = (await authed('/sync/activities')).body;
    expect(initial.all).to.equal('2020-01-01T00:00:00Z');
    expect((await call('/sync/all-items', { token }).then((r) => r.text()))).to.equal('null');
    expect(sb.state.unGatedAllItems).to.equal(1);

    await authed('/sync/history', { movies: [{ ids: { simkl: catalog.movies[0].simkl }, watched_at: '2019-03-04T05:06:00Z' }] });
    const moved = (await authed('/sync/activities')).body as unknown as { all: string; movies: Json; tv_shows: Json };
    expect(moved.all).to.not.equal(initial.all);
    expect(moved.movies.completed).to.equal(moved.all);
    expect(moved.tv_shows.all).to.equal('2020-01-01T00:00:00Z');

    await sleep(5);
    const between = new Date().toISOString();
    await sleep(5);
    const show = catalog.shows[1];
    await authed('/sync/history', { shows: [{ ids: { imdb: show.imdb }, seasons: [{ number: 1, episodes: [{ number: 2, watched_at: '2024-01-01T12:00:00Z' }] }] }] });

    const all = (await authed('/sync/all-items?date_from=2000-01-01T00:00:00Z&episode_watched_at=yes')).body;
    expect(all).to.have.keys('movies', 'shows');
    expect((all.movies as Json[])[0]).to.deep.include({ last_watched_at: '2019-03-04T05:06:00Z', status: 'completed' });
    expect((all.shows as Json[])[0]).to.deep.include({
      status: 'watching',
      last_watched: 'S01E02',
      next_to_watch: 'S01E03',
      seasons: [{ number: 1, episodes: [{ number: 2, watched_at: '2024-01-01T12:00:00Z' }] }],
    });
    // Only what changed after date_from, whatever its watched_at.
    const since = (await authed(`/sync/all-items?date_from=${between}`)).body;
    expect(since).to.have.keys('shows');
    expect((await call(`/sync/all-items/movies?date_from=${new Date(Date.now() + 1000).toISOString()}`, { token }).then((r) => r.text()))).to.equal('null');
    expect(sb.state.unGatedAllItems).to.equal(1);
  });

  it('scrobbles: stop ≥ 80 adds a play, a repeat within the hour is 409, one scrobble at a time', async () => {
    await start({ scrobbleDelayMs: 100 });
    const movie = { title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' } };
    const started = await authed('/scrobble/start', { movie, progress: 12.3456 });
    expect(started.body).to.deep.include({ id: 0, action: 'start', progress: 12.35 });
    const stopped = await authed('/scrobble/stop', { movie, progress: 85 });
    expect(stopped.status).to.equal(201);
    expect(stopped.body).to.include({ action: 'scrobble', progress: 85 });
    expect(stopped.body.movie).to.deep.include({ title: 'Inception' });
    expect(sb.state.plays).to.have.length(1);
    expect(sb.state.plays[0]).to.include({ type: 'movie', via: 'scrobble' });

    const again = await authed('/scrobble/pause', { movie, progress: 90 });
    expect(again.status).to.equal(409);
    expect(again.body.watched_at).to.equal(sb.state.plays[0].watchedAt);
    expect(Date.parse(String(again.body.expires_at))).to.be.above(Date.now());
    expect(sb.state.plays).to.have.length(1);

    const bebop = { anime: { ids: { anidb: 23 } }, episode: { number: 5 } };
    const [a, b] = await Promise.all([authed('/scrobble/start', { ...bebop, progress: 1 }), authed('/scrobble/stop', { ...bebop, progress: 50 })]);
    expect([a.status, b.status].sort()).to.deep.equal([201, 400]);
    expect([a.body, b.body].find((x) => x.error)).to.include({ error: 'RATE_LIMIT', code: 400 });
  });

  it('rate limits: the 11th GET within a second and an overlapping /sync POST get 429', async () => {
    await start({ timeScale: 1, getPerSecond: 10, postPerSecond: 10, syncDelayMs: 100 });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call('/sync/activities', { token })).status);
    expect(statuses).to.deep.equal([...Array(10).fill(200), 429]);
    const limited = await call('/sync/activities', { token });
    expect(limited.headers.get('retry-after')).to.equal('1');
    expect(await limited.json()).to.include({ error: 'too_many_requests', code: 429 });

    const body = { movies: [{ ids: { simkl: catalog.movies[0].simkl } }] };
    const both = await Promise.all([authed('/sync/history', body), authed('/sync/history', body)]);
    expect(both.map((r) => r.status).sort()).to.deep.equal([201, 429]);
    expect(sb.state.count429).to.equal(3);
    expect(sb.state.plays).to.have.length(1);
  });
});
