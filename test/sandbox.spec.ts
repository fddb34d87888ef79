// Tests of the fake Trakt server itself: the client test-suites rely on these behaviours being
// faithful, so each case pins one rule that a client could get wrong against real Trakt.
import { expect } from 'chai';
import { catalogFor, startTraktSandbox, type TraktSandbox, type TraktSandboxOptions } from './sandbox';

const CLIENT_ID = 'sandbox-client-id';
const SECRET = 'sandbox-client-secret';
const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function call(sb: TraktSandbox, path: string, o: CallOptions = {}): Promise<Response> {
  return fetch(sb.url + path, {
    method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'sandbox-spec/1.0',
      'trakt-api-version': '2',
      'trakt-api-key': CLIENT_ID,
      ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
      ...o.headers,
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
}

describe('trakt sandbox', () => {
  let sb: TraktSandbox;
  const start = async (o: TraktSandboxOptions = {}): Promise<TraktSandbox> =>
    (sb = await startTraktSandbox({ timeScale: 0.01, catalog: SMALL, ...o }));
  afterEach(async () => sb?.close());

  describe('device flow', () => {
    const poll = (code: string): Promise<Response> =>
      call(sb, '/oauth/device/token', { body: { code, client_id: CLIENT_ID, client_secret: SECRET } });

    async function newCode(): Promise<{ device_code: string; user_code: string; verification_url: string; interval: number }> {
      const res = await call(sb, '/oauth/device/code', { body: { client_id: CLIENT_ID } });
      expect(res.status).to.equal(200);
      return (await res.json()) as { device_code: string; user_code: string; verification_url: string; interval: number };
    }

    it('answers pending, then tokens after approval, then 409 on reuse', async () => {
      await start();
      const dc = await newCode();
      expect(dc.device_code).to.match(/^[0-9a-f]{64}$/);
      expect(dc.user_code).to.match(/^[0-9A-F]{8}$/);
      expect(dc.verification_url).to.equal(`${sb.url}/activate`);
      expect(dc.interval).to.equal(5);

      expect((await poll(dc.device_code)).status).to.equal(400);
      expect((await poll(dc.device_code)).status, 'polling faster than interval').to.equal(429);
      expect(sb.state.approve(dc.user_code)).to.equal(true);
      await sleep(60);
      const ok = await poll(dc.device_code);
      expect(ok.status).to.equal(200);
      const tokens = (await ok.json()) as Record<string, unknown>;
      expect(tokens).to.include({ token_type: 'bearer', scope: 'public', expires_in: 86400 });
      expect((await call(sb, '/users/settings', { token: String(tokens.access_token) })).status).to.equal(200);
      await sleep(60);
      expect((await poll(dc.device_code)).status).to.equal(409);
      expect((await poll('f'.repeat(64))).status).to.equal(404);
    });

    it('answers 418 after the user clicks Deny on the activation page', async () => {
      await start();
      const dc = await newCode();
      const page = await fetch(`${sb.url}/activate/${dc.user_code}`);
      expect(await page.text()).to.contain('value="deny"');
      const res = await fetch(`${sb.url}/activate/${dc.user_code}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'decision=deny',
      });
      expect(await res.text()).to.contain('Denied');
      expect((await poll(dc.device_code)).status).to.equal(418);
    });
  });

  it('rotates refresh tokens: each works once and revokes the old access token', async () => {
    await start();
    const first = sb.state.issueTokens();
    const refresh = (token: string): Promise<Response> =>
      call(sb, '/oauth/token', {
        body: { refresh_token: token, client_id: CLIENT_ID, client_secret: SECRET, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', grant_type: 'refresh_token' },
      });
    const res = await refresh(first.refresh_token);
    expect(res.status).to.equal(200);
    const second = (await res.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).to.not.equal(first.refresh_token);

    const reused = await refresh(first.refresh_token);
    expect(reused.status).to.equal(401);
    expect(await reused.json()).to.include({ error: 'invalid_grant' });
    expect((await call(sb, '/users/settings', { token: first.access_token })).status).to.equal(401);
    expect((await call(sb, '/users/settings', { token: second.access_token })).status).to.equal(200);

    sb.state.expireAccessTokens();
    expect((await call(sb, '/users/settings', { token: second.access_token })).status).to.equal(401);
  });

  it('adds every submitted play (no dedup) and echoes unmatched objects', async () => {
    await start({ timeScale: 0.001 });
    const { access_token: token } = sb.state.issueTokens();
    const catalog = catalogFor({ catalog: SMALL });
    const show = catalog.shows[0];
    const body = {
      movies: [{ ids: { imdb: catalog.movies[4].imdb }, watched_at: '2024-05-01T10:20:33.456Z' }, { ids: { imdb: 'tt0000111' } }],
      shows: [{ ids: { tvdb: show.tvdb }, seasons: [{ number: 2 }] }],
    };
    const res = await call(sb, '/sync/history', { token, body });
    expect(res.status).to.equal(201);
    expect(await res.json()).to.deep.equal({
      added: { movies: 1, episodes: 3 },
      not_found: { movies: [{ ids: { imdb: 'tt0000111' } }], shows: [], seasons: [], episodes: [] },
    });
    expect(sb.state.plays[0]).to.include({ type: 'movie', movieId: 5, watchedAt: '2024-05-01T10:20:00.000Z' });

    await sleep(5);
    expect((await call(sb, '/sync/history', { token, body })).status).to.equal(201);
    expect(sb.state.plays).to.have.length(8);
  });

  it('paginates history newest first with the limit clamped to 250', async () => {
    await start();
    const { access_token: token } = sb.state.issueTokens();
    for (let i = 1; i <= 300; i++) sb.state.addPlay('movie', i, new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString());

    const res = await call(sb, '/sync/history/movies?limit=1000&page=2', { token });
    expect(res.headers.get('x-pagination-limit')).to.equal('250');
    expect(res.headers.get('x-pagination-page')).to.equal('2');
    expect(res.headers.get('x-pagination-page-count')).to.equal('2');
    expect(res.headers.get('x-pagination-item-count')).to.equal('300');
    const rows = (await res.json()) as { movie: { ids: { trakt: number } } }[];
    expect(rows).to.have.length(50);
    expect(rows[0].movie.ids.trakt).to.equal(50);

    const def = await call(sb, '/users/me/history', { token });
    expect(def.headers.get('x-pagination-limit')).to.equal('100');
    expect(((await def.json()) as { id: number }[])[0].id).to.equal(300);
  });

  it('answers 429 with Retry-After and X-Ratelimit once the GET window is used up', async () => {
    await start({ getLimit: 3, getWindowSeconds: 10 });
    const { access_token: token } = sb.state.issueTokens();
    for (let i = 0; i < 3; i++) expect((await call(sb, '/sync/last_activities', { token })).status).to.equal(200);
    const res = await call(sb, '/sync/last_activities', { token });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.match(/^[1-9]\d*$/);
    const rl = JSON.parse(res.headers.get('x-ratelimit') ?? '{}') as Record<string, unknown>;
    expect(rl).to.include({ name: 'AUTHED_API_GET_LIMIT', limit: 3, remaining: 0 });
    expect(sb.state.count429).to.equal(1);

    await sleep(Number(res.headers.get('x-sandbox-retry-after-ms')) + 5);
    expect((await call(sb, '/sync/last_activities', { token })).status).to.equal(200);
  });

  it('answers 429 to a second POST within the same second and ignores it', async () => {
    await start({ timeScale: 1 });
    const { access_token: token } = sb.state.issueTokens();
    const body = { movies: [{ ids: { trakt: 1 } }] };
    expect((await call(sb, '/sync/history', { token, body })).status).to.equal(201);
    const res = await call(sb, '/sync/history', { token, body });
    expect(res.status).to.equal(429);
    expect(JSON.parse(res.headers.get('x-ratelimit') ?? '{}')).to.include({ name: 'AUTHED_API_POST_LIMIT', period: 1 });
    expect(res.headers.get('retry-after')).to.equal('1');
    expect(sb.state.plays).to.have.length(1);
  });

  it('blocks requests without User-Agent with a Cloudflare HTML 403', async () => {
    await start();
    const res = await call(sb, '/users/settings', { headers: { 'User-Agent': '' } });
    expect(res.status).to.equal(403);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(await res.text()).to.contain('Sorry, you have been blocked');
  });

  it('injects 503 and connection resets without processing the request', async () => {
    await start();
    const { access_token: token } = sb.state.issueTokens();
    const body = { movies: [{ ids: { trakt: 1 } }] };
    const setFaults = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status503: 1, resetNext: 1 }),
    });
    expect(await setFaults.json()).to.include({ status503: 1, resetNext: 1 });

    // resetNext is checked before status503, so the first request is dropped.
    let error: unknown;
    await call(sb, '/sync/history', { token, body }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    const res = await call(sb, '/sync/history', { token, body });
    expect(res.status).to.equal(503);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(sb.state.plays).to.have.length(0);

    await sleep(20);
    expect((await call(sb, '/sync/history', { token, body })).status).to.equal(201);
    expect(sb.state.plays).to.have.length(1);
  });
});
