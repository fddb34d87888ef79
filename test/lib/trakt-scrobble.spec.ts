import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { ClawarrError, UncertainWriteError } from '../../lib/core/errors';
import type { LimiterOptions } from '../../lib/core/limiter';
import type { MediaItem } from '../../lib/schema/types';
import type { StoredTokens } from '../../lib/store/token-store';
import { TraktClient } from '../../lib/trakt/client';
import { scrobbleBody, TraktScrobbler } from '../../lib/trakt/scrobble';
import { TraktSession } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, rejectionOf, useOfflineNock } from './helpers';

const NOW = Date.UTC(2024, 0, 15, 20, 41, 37);
const nowSec = () => Math.floor(Date.now() / 1000);
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'trakt', name), 'utf8')) as Record<string, unknown>;

function makeScrobbler(options: { limits?: LimiterOptions; tokens?: StoredTokens } = {}) {
  const { http } = fastTraktHttp({ limits: options.limits });
  const tokens = options.tokens ?? { accessToken: 'scrobble-access-1', refreshToken: 'scrobble-refresh-1', expiresAt: nowSec() + 86_400 };
  const session = new TraktSession(http, { app: APP, tokens, persist: () => undefined });
  return new TraktScrobbler(new TraktClient(http, session), () => NOW);
}

const guardians: MediaItem = {
  type: 'movie',
  title: 'Guardians of the Galaxy',
  year: 2014,
  ids: { trakt: 28, slug: 'guardians-of-the-galaxy-2014', imdb: 'tt2015381', tmdb: 118340, plex: 'abc' },
  action: 'start',
  progress: 1.25,
};
const pilotByShow: MediaItem = {
  type: 'episode',
  season: 1,
  episode: 1,
  show: { title: 'Breaking Bad', year: 2008, ids: { trakt: 1, tvdb: 81189 } },
  ids: { plex: '5d9c086c46115600200aa2fe' },
};

describe('lib/trakt/scrobble (TraktScrobbler)', () => {
  useOfflineNock();

  describe('bodies', () => {
    it('a movie by its Trakt-known ids, with title and year as the fallback', () => {
      const { progress: _p, ...sample } = fixture('scrobble_start.request.json');
      delete sample.app_version;
      delete sample.app_date;
      expect(scrobbleBody(guardians)).to.deep.equal(sample);
    });

    it('an episode with its own ids goes by them alone', () => {
      expect(scrobbleBody({ ...pilotByShow, ids: { tvdb: 349232, imdb: 'tt0959621', plex: 'x' } })).to.deep.equal({ episode: { ids: { imdb: 'tt0959621', tvdb: 349232 } } });
    });

    it('an episode without Trakt ids goes by its show and numbers (the sample body)', () => {
      const { progress: _p, ...sample } = fixture('scrobble_stop_episode.request.json');
      expect(scrobbleBody(pilotByShow)).to.deep.equal(sample);
    });
  });

  it('start: POSTs /scrobble/start with the token and maps the answer, the echoed item included', async () => {
    const scope = nock(API)
      .matchHeader('authorization', 'Bearer scrobble-access-1')
      .matchHeader('trakt-api-key', APP.clientId)
      .post('/scrobble/start', { ...scrobbleBody(guardians), progress: 1.25 })
      .reply(201, fixture('scrobble_start.response_201.json'));
    const result = await makeScrobbler().scrobble('start', guardians, 1.25);
    expect(scope.isDone()).to.equal(true);
    expect(result).to.deep.equal({
      action: 'start',
      progress: 1.25,
      item: { type: 'movie', title: 'Guardians of the Galaxy', year: 2014, ids: { trakt: 28, slug: 'guardians-of-the-galaxy-2014', imdb: 'tt2015381', tmdb: 118340 } },
    });
  });

  it('sends progress with two decimals at most', async () => {
    let sent: unknown;
    nock(API)
      .post('/scrobble/pause', (body: { progress: unknown }) => ((sent = body.progress), true))
      .reply(201, { id: 7, action: 'pause', progress: 33.33 });
    const result = await makeScrobbler().scrobble('pause', guardians, 33.33333);
    expect(sent).to.equal(33.33);
    expect(result).to.deep.equal({ action: 'pause', progress: 33.33 });
  });

  it('stop answered "scrobble": a play at the time of the request, to the minute (Trakt returns no watched_at)', async () => {
    nock(API).post('/scrobble/stop', fixture('scrobble_stop_episode.request.json') as nock.DataMatcherMap).reply(201, fixture('scrobble_stop.response_201_scrobble.json'));
    const result = await makeScrobbler().scrobble('stop', pilotByShow, 99.9);
    expect(result).to.deep.include({ action: 'scrobble', progress: 99.9, watchedAt: '2024-01-15T20:41:00.000Z' });
    expect(result.item).to.deep.include({ type: 'episode', season: 1, episode: 1, ids: { trakt: 16, tvdb: 349232, imdb: 'tt0959621', tmdb: 62085 } });
    expect(result.item?.show?.title).to.equal('Breaking Bad');
  });

  it('stop answered "pause" (below 80 %): no play', async () => {
    nock(API).post('/scrobble/stop').reply(201, { id: 9, action: 'pause', progress: 42, movie: { title: 'Guardians of the Galaxy', year: 2014, ids: { trakt: 28 } } });
    const result = await makeScrobbler().scrobble('stop', guardians, 42);
    expect(result.action).to.equal('pause');
    expect(result.watchedAt).to.equal(undefined);
  });

  it('409 on stop: already scrobbled, with the time Trakt gave', async () => {
    nock(API).post('/scrobble/stop').reply(409, fixture('scrobble_stop.response_409.json'));
    const result = await makeScrobbler().scrobble('stop', guardians, 97);
    expect(result).to.deep.equal({ action: 'scrobble', progress: 97, alreadyScrobbled: true, watchedAt: '2014-10-15T22:21:29.000Z' });
  });

  it('422: a clear error about progress below 1 %', async () => {
    nock(API).post('/scrobble/stop').reply(422, { error: 'unprocessable_entity' });
    const error = await rejectionOf(makeScrobbler().scrobble('stop', guardians, 0.5));
    expect(error).to.be.instanceOf(ClawarrError);
    expect(error.message).to.equal('progress below 1 % is not scrobbled (Trakt answered 422)');
  });

  it('other refusals keep the HTTP core\'s messages (404)', async () => {
    nock(API).post('/scrobble/start').reply(404, {});
    const error = await rejectionOf(makeScrobbler().scrobble('start', guardians, 3));
    expect(error.message).to.contain('Trakt POST /scrobble/start: not found (404)');
  });

  it('a 5xx on stop may have landed: UncertainWriteError, never re-sent', async () => {
    const scope = nock(API).post('/scrobble/stop').reply(502, 'Bad Gateway');
    const error = await rejectionOf(makeScrobbler().scrobble('stop', guardians, 95));
    expect(error).to.be.instanceOf(UncertainWriteError);
    expect(scope.isDone()).to.equal(true);
    expect(nock.pendingMocks()).to.deep.equal([]);
  });

  it('401: refreshes the token once and sends again', async () => {
    nock(API).post('/scrobble/start').matchHeader('authorization', 'Bearer scrobble-access-1').reply(401, { error: 'invalid_token' });
    nock(API)
      .post('/oauth/token')
      .reply(200, { access_token: 'scrobble-access-2', token_type: 'bearer', expires_in: 86_400, refresh_token: 'scrobble-refresh-2', scope: 'public', created_at: nowSec() });
    nock(API).post('/scrobble/start').matchHeader('authorization', 'Bearer scrobble-access-2').reply(201, fixture('scrobble_start.response_201.json'));
    expect((await makeScrobbler().scrobble('start', guardians, 1.25)).action).to.equal('start');
  });

  it('429: waits as told and sends again', async () => {
    nock(API).post('/scrobble/start').reply(429, {}, { 'x-sandbox-retry-after-ms': '20' });
    nock(API).post('/scrobble/start').reply(201, fixture('scrobble_start.response_201.json'));
    expect((await makeScrobbler().scrobble('start', guardians, 1.25)).action).to.equal('start');
  });

  it('goes through the account\'s write limiter (one write at a time, spaced)', async () => {
    const answered: number[] = [];
    nock(API)
      .post('/scrobble/start')
      .times(2)
      .reply(() => {
        answered.push(Date.now());
        return [201, fixture('scrobble_start.response_201.json')];
      });
    const scrobbler = makeScrobbler({ limits: { writeSpacingMs: 150 } });
    await Promise.all([scrobbler.scrobble('start', guardians, 1), scrobbler.scrobble('start', guardians, 2)]);
    expect(answered[1] - answered[0]).to.be.at.least(140);
  });

  describe('check-ins', () => {
    it('POST /checkin: checked in at the time Trakt gave', async () => {
      nock(API)
        .post('/checkin', scrobbleBody(guardians) as nock.DataMatcherMap)
        .reply(201, { id: 3373536619, watched_at: '2024-01-15T20:41:12.000Z', sharing: { twitter: false }, movie: { title: 'Guardians of the Galaxy', year: 2014, ids: { trakt: 28 } } });
      expect(await makeScrobbler().checkin(guardians)).to.deep.equal({ checkedIn: true, watchedAt: '2024-01-15T20:41:12.000Z' });
    });

    it('409: another check-in is active until expires_at', async () => {
      nock(API).post('/checkin').reply(409, fixture('checkin.response_409.json'));
      expect(await makeScrobbler().checkin(guardians)).to.deep.equal({ checkedIn: false, expiresAt: '2014-10-15T22:21:29.000Z' });
    });

    it('cancelCheckin: DELETE /checkin (204)', async () => {
      const scope = nock(API).matchHeader('authorization', 'Bearer scrobble-access-1').delete('/checkin').reply(204);
      await makeScrobbler().cancelCheckin();
      expect(scope.isDone()).to.equal(true);
    });
  });
});
