// Tests of the fake Trakt's scrobble and checkin endpoints (api-facts §1.10): the 80 % rule, the
// 1 h duplicate window and the one-checkin-at-a-time rule a scrobbling client must handle.
import { expect } from 'chai';
import { catalogFor, startTraktSandbox, type TraktSandbox, type TraktSandboxOptions } from './sandbox';

const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const catalog = catalogFor({ catalog: SMALL });
const INCEPTION = { title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' } };

type Json = Record<string, unknown>;

describe('trakt sandbox scrobble and checkin', () => {
  let sb: TraktSandbox;
  let token: string;
  // 100 POSTs per 10 ms window: these tests are about scrobble rules, not the POST limit.
  const start = async (o: TraktSandboxOptions = {}): Promise<void> => {
    sb = await startTraktSandbox({ timeScale: 0.01, postPerSecond: 100, catalog: SMALL, ...o });
    token = sb.state.issueTokens().access_token;
  };
  afterEach(async () => sb?.close());

  const call = (path: string, body?: unknown, method = 'POST'): Promise<Response> =>
    fetch(sb.url + path, {
      method,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'sandbox-spec/1.0',
        'trakt-api-version': '2',
        'trakt-api-key': 'sandbox-client-id',
        Authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = async (path: string, body: unknown): Promise<{ status: number; body: Json }> => {
    const res = await call(path, body);
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('answers start with id 0, pause with a big playback id, and adds no play', async () => {
    await start();
    const started = await post('/scrobble/start', { movie: INCEPTION, progress: 1.25, app_version: '1.0' });
    expect(started.status).to.equal(201);
    expect(started.body).to.deep.equal({
      id: 0,
      action: 'start',
      progress: 1.25,
      sharing: { twitter: false, tumblr: false },
      movie: { title: 'Inception', year: 2010, ids: { trakt: 9000001, slug: 'inception-2010', imdb: 'tt1375666', tmdb: 27205 } },
    });
    const paused = await post('/scrobble/pause', { movie: INCEPTION, progress: 42 });
    expect(paused.status).to.equal(201);
    expect(paused.body).to.include({ action: 'pause', progress: 42 });
    expect(paused.body.id).to.be.above(2 ** 31);
    expect(sb.state.playback.get('sandbox-user|movie:9000001')).to.include({ action: 'pause', progress: 42 });
    expect(sb.state.plays).to.have.length(0);
  });

  it('refuses a missing progress and a stop below 1 % with 422, and unknown items with 404', async () => {
    await start();
    expect((await post('/scrobble/start', { movie: INCEPTION })).status).to.equal(422);
    expect((await post('/scrobble/stop', { movie: INCEPTION, progress: 0.5 })).status).to.equal(422);
    // Players start at 0 %; only stop is refused below 1 %.
    expect((await post('/scrobble/start', { movie: INCEPTION, progress: 0 })).status).to.equal(201);
    const unknown = await post('/scrobble/stop', { movie: { ids: { imdb: 'tt0000111' } }, progress: 90 });
    expect(unknown).to.deep.equal({ status: 404, body: {} });
    expect(sb.state.plays).to.have.length(0);
  });

  it('scrobbles from 80 % on: 79.9 pauses, 80 adds a play stamped to the minute', async () => {
    await start();
    const show = catalog.shows[0];
    const episode = show.seasons[1].episodes[2];
    const body = (progress: number): unknown => ({ show: { title: show.title, year: show.year, ids: { tvdb: show.tvdb } }, episode: { season: 2, number: 3 }, progress });

    const below = await post('/scrobble/stop', body(79.9));
    expect(below.body).to.include({ action: 'pause', progress: 79.9 });
    expect(sb.state.plays).to.have.length(0);

    const at = await post('/scrobble/stop', body(80));
    expect(at.status).to.equal(201);
    expect(at.body).to.include({ action: 'scrobble', progress: 80, id: sb.state.plays[0].id });
    expect(at.body.episode).to.deep.include({ season: 2, number: 3, ids: episode.ids });
    expect((at.body.show as Json).ids).to.include({ trakt: show.trakt });
    expect(sb.state.plays[0]).to.include({ type: 'episode', episodeId: episode.ids.trakt, action: 'scrobble' });
    const scrobbledAt = sb.state.scrobbles.at(-1)?.at ?? 0;
    expect(sb.state.plays[0].watchedAt).to.equal(new Date(Math.floor(scrobbledAt / 60_000) * 60_000).toISOString());
  });

  it('answers 409 with watched_at and expires_at to a repeated stop within the hour', async () => {
    await start();
    const episode = catalog.shows[1].seasons[0].episodes[0];
    // By episode ids alone this time.
    const body = { episode: { ids: { tvdb: episode.ids.tvdb } }, progress: 99.9 };
    expect((await post('/scrobble/stop', body)).status).to.equal(201);
    const first = sb.state.scrobbles.find((s) => s.result === 'scrobble');
    const again = await post('/scrobble/stop', body);
    expect(again.status).to.equal(409);
    expect(again.body).to.deep.equal({
      watched_at: sb.state.plays[0].watchedAt,
      // One hour, scaled by timeScale 0.01.
      expires_at: new Date((first?.at ?? 0) + 36_000).toISOString(),
    });
    expect(sb.state.plays).to.have.length(1);
    // Another item is not a duplicate.
    expect((await post('/scrobble/stop', { movie: INCEPTION, progress: 95 })).status).to.equal(201);
  });

  it('checks in once at a time: 201, then 409 with expires_at, DELETE 204 frees it', async () => {
    await start();
    const checkin = await post('/checkin', { movie: INCEPTION, message: 'popcorn' });
    expect(checkin.status).to.equal(201);
    expect(checkin.body).to.include({ id: sb.state.plays[0].id, watched_at: sb.state.plays[0].watchedAt });
    expect(checkin.body.movie).to.deep.include({ title: 'Inception' });
    expect(sb.state.plays[0]).to.include({ action: 'checkin', movieId: 9000001 });

    const busy = await post('/checkin', { movie: { ids: { trakt: 9000003 } } });
    expect(busy.status).to.equal(409);
    expect(Object.keys(busy.body)).to.deep.equal(['expires_at']);
    expect(Date.parse(String(busy.body.expires_at))).to.be.above(Date.now());

    const cancelled = await call('/checkin', undefined, 'DELETE');
    expect(cancelled.status).to.equal(204);
    expect(await cancelled.text()).to.equal('');
    expect((await post('/checkin', { movie: { ids: { trakt: 9000003 } } })).status).to.equal(201);
    expect(sb.state.plays.map((p) => p.movieId)).to.deep.equal([9000001, 9000003]);
  });

  it('counts scrobbles against the POST limit and requires OAuth', async () => {
    await start({ timeScale: 1, postPerSecond: 1 });
    expect((await post('/scrobble/start', { movie: INCEPTION, progress: 5 })).status).to.equal(201);
    const limited = await call('/scrobble/pause', { movie: INCEPTION, progress: 6 });
    expect(limited.status).to.equal(429);
    expect(JSON.parse(limited.headers.get('x-ratelimit') ?? '{}')).to.include({ name: 'AUTHED_API_POST_LIMIT' });
    token = 'not-a-token';
    expect((await call('/scrobble/start', { movie: INCEPTION, progress: 5 })).status).to.equal(401);
  });
});
