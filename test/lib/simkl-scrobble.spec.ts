import { expect } from 'chai';
import nock from 'nock';
import { ClawarrError } from '../../lib/core/errors';
import type { MediaItem } from '../../lib/schema/types';
import { SimklClient } from '../../lib/simkl/client';
import { rejectionOf } from './helpers';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0005';
const TOKEN = 'simkl-scrobble-token-5';
const REQUIRED = simklRequired(CLIENT_ID);
const RETRY_MS = 60;
const LOCKED = { error: 'RATE_LIMIT', code: 400, message: 'Too many requests' };

const MOVIE: MediaItem = { type: 'movie', title: 'The Matrix', year: 1999, ids: { imdb: 'tt0133093', tmdb: 603, trakt: 481 } };
const EPISODE: MediaItem = { type: 'episode', season: 1, episode: 1, ids: { tvdb: 349232 }, show: { title: 'Breaking Bad', year: 2008, ids: { tvdb: 81189, tmdb: 1396 } } };

describe('lib/simkl/client scrobble (ScrobbleProvider)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  const client = (): SimklClient => simkl.client({ token: TOKEN, scrobbleRetryDelayMs: RETRY_MS });

  interface Seen {
    at: number;
    body: Record<string, unknown>;
  }

  /** Nocks POST /scrobble/{path} with scripted replies, in order. */
  function script(path: string, replies: Array<[number, unknown]>): Seen[] {
    const seen: Seen[] = [];
    nock(API)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .post(`/scrobble/${path}`)
      .query(REQUIRED)
      .times(replies.length)
      .reply((_uri, body) => {
        seen.push({ at: Date.now(), body: body as Record<string, unknown> });
        const [status, reply] = replies[seen.length - 1];
        return [status, reply as nock.Body];
      });
    return seen;
  }

  it('start: sends the movie by Simkl ids and progress with two decimals; answers start', async () => {
    const seen = script('start', [[201, { id: 0, action: 'start', progress: 12.35, movie: { title: 'The Matrix', year: 1999, ids: { simkl: 53992, imdb: 'tt0133093', tmdb: '603' } } }]]);
    const result = await client().scrobble('start', MOVIE, 12.3456);
    expect(seen[0].body).to.deep.equal({ progress: 12.35, movie: { title: 'The Matrix', year: 1999, ids: { imdb: 'tt0133093', tmdb: 603 } } });
    expect(result).to.deep.equal({ action: 'start', progress: 12.35, item: { type: 'movie', title: 'The Matrix', year: 1999, ids: { simkl: 53992, imdb: 'tt0133093', tmdb: 603 } } });
  });

  it('stop at 85 %: an episode goes by show and numbers, and the answer is a play at this minute', async () => {
    const seen = script('stop', [[201, fixture('scrobble_stop.response_201.json')]]);
    const before = Math.floor(Date.now() / 60_000) * 60_000;
    const result = await client().scrobble('stop', EPISODE, 85);
    expect(seen[0].body).to.deep.equal({ progress: 85, show: { title: 'Breaking Bad', year: 2008, ids: { tmdb: 1396, tvdb: 81189 } }, episode: { season: 1, number: 1 } });
    expect(result.action).to.equal('scrobble');
    expect(result.progress).to.equal(85);
    expect(Date.parse(result.watchedAt!)).to.be.at.least(before).and.to.equal(Math.floor(Date.parse(result.watchedAt!) / 60_000) * 60_000);
    expect(result.item).to.deep.equal({ type: 'episode', title: 'Episode 1', season: 1, episode: 1, show: { title: 'Breaking Bad', year: 2008, ids: { simkl: 12345, tmdb: 1429 } } });
  });

  it('an anime episode goes under "anime"', async () => {
    const seen = script('pause', [[201, { id: 5, action: 'pause', progress: 40 }]]);
    const anime: MediaItem = { type: 'episode', season: 1, episode: 3, show: { title: 'Frieren', ids: { anidb: 17617 } } };
    const result = await client().scrobble('pause', anime, 40);
    expect(seen[0].body).to.deep.equal({ progress: 40, anime: { title: 'Frieren', ids: { anidb: 17617 } }, episode: { season: 1, number: 3 } });
    expect(result).to.deep.equal({ action: 'pause', progress: 40 });
  });

  it('409 (scrobbled moments ago) is success: already scrobbled, at the time Simkl gives', async () => {
    script('stop', [[409, fixture('scrobble_stop.response_409.json')]]);
    const result = await client().scrobble('stop', MOVIE, 95);
    expect(result).to.deep.equal({ action: 'scrobble', progress: 95, alreadyScrobbled: true, watchedAt: '2024-01-15T10:30:00.000Z' });
  });

  it('400 RATE_LIMIT (the 20-second lock): waits and tries once more', async () => {
    const seen = script('stop', [
      [400, LOCKED],
      [201, { id: 9, action: 'scrobble', progress: 90 }],
    ]);
    const result = await client().scrobble('stop', MOVIE, 90);
    expect(seen).to.have.length(2);
    expect(seen[1].at - seen[0].at).to.be.at.least(RETRY_MS - 5);
    expect(result.action).to.equal('scrobble');
  });

  it('400 RATE_LIMIT twice: a clear error after exactly two tries', async () => {
    const seen = script('start', [
      [400, LOCKED],
      [400, LOCKED],
    ]);
    const error = await rejectionOf(client().scrobble('start', MOVIE, 1));
    expect(seen).to.have.length(2);
    expect(error).to.be.instanceOf(ClawarrError);
    expect((error as ClawarrError).code).to.equal('rate_limited');
    expect(error.message).to.contain('20-second per-user lock').and.contain('nothing was recorded');
    expect(error.message).not.to.contain(TOKEN);
  });

  it('another 400 is not retried', async () => {
    const seen = script('start', [
      [400, { error: 'wrong_parameter', code: 400, message: 'progress' }],
      [201, {}],
    ]);
    const error = await rejectionOf(client().scrobble('start', MOVIE, 1));
    expect(seen).to.have.length(1);
    expect(error.message).to.contain('wrong_parameter');
  });

  it('a show is not scrobbled', async () => {
    const error = await rejectionOf(client().scrobble('start', { type: 'show', title: 'Lost' }, 1));
    expect(error.message).to.contain('cannot be scrobbled');
  });

  describe('checkin', () => {
    it('checks in through /scrobble/checkin', async () => {
      const seen = script('checkin', [[201, { movie: { title: 'The Matrix', ids: { simkl: 53992 } } }]]);
      const result = await client().checkin(MOVIE);
      expect(seen[0].body).to.deep.equal({ movie: { title: 'The Matrix', year: 1999, ids: { imdb: 'tt0133093', tmdb: 603 } } });
      expect(result.checkedIn).to.equal(true);
    });

    it('409: another check-in is active until expires_at', async () => {
      script('checkin', [[409, { expires_at: '2026-05-10T20:11:25.000Z' }]]);
      expect(await client().checkin(MOVIE)).to.deep.equal({ checkedIn: false, expiresAt: '2026-05-10T20:11:25.000Z' });
    });

    it('the 20-second lock is retried once here too', async () => {
      const seen = script('checkin', [
        [400, LOCKED],
        [201, {}],
      ]);
      expect((await client().checkin(MOVIE)).checkedIn).to.equal(true);
      expect(seen).to.have.length(2);
    });
  });
});
