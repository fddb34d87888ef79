import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { ClawarrError } from '../../lib/core/errors';
import type { MediaItem } from '../../lib/schema/types';
import type { StoredTokens } from '../../lib/store/token-store';
import { TraktClient } from '../../lib/trakt/client';
import { TraktLists } from '../../lib/trakt/lists';
import { TraktSession } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, rejectionOf, useOfflineNock } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'trakt');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
/** Headers of a raw .http sample (status line skipped). */
function httpHeaders(name: string): Record<string, string> {
  const lines = readFileSync(join(FIXTURES, name), 'utf8').split(/\r?\n/).slice(1);
  return Object.fromEntries(lines.filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

type Body = Record<string, unknown>;

function makeLists(tokens: StoredTokens = { accessToken: 'lists-access-1', refreshToken: 'lists-refresh-1', expiresAt: Math.floor(Date.now() / 1000) + 86_400 }) {
  const { http } = fastTraktHttp();
  const session = new TraktSession(http, { app: APP, tokens, persist: () => undefined });
  return new TraktLists(new TraktClient(http, session));
}

/** Intercepts one POST, keeping its body. */
function capture(path: string, status: number, reply: Body): { body?: Body; scope?: nock.Scope } {
  const seen: { body?: Body; scope?: nock.Scope } = {};
  seen.scope = nock(API)
    .matchHeader('authorization', 'Bearer lists-access-1')
    .post(path, (b: Body) => {
      seen.body = b;
      return true;
    })
    .reply(status, reply);
  return seen;
}

const breakingBad = { title: 'Breaking Bad', year: 2008, ids: { tvdb: 81189 } };

describe('lib/trakt/lists (TraktLists)', () => {
  useOfflineNock();

  it('has ratings, watchlist and collection', () => {
    const lists = makeLists();
    expect(lists.lists()).to.deep.equal(['ratings', 'watchlist', 'collection']);
    expect(lists.kind).to.equal('trakt');
  });

  describe('ratings', () => {
    it('posts the documented body: rating and rated_at per movie, show and episode', async () => {
      const seen = capture('/sync/ratings', 201, fixture('sync_ratings_add.response_201.json'));
      const items: MediaItem[] = [
        { type: 'movie', ids: { imdb: 'tt0372784', plex: 'x' }, rating: 9, ratedAt: '2014-09-01T09:10:11.000Z' },
        { type: 'show', ids: { tvdb: 81189 }, rating: 10 },
        { type: 'episode', season: 1, episode: 1, ids: { tvdb: 349232 }, show: breakingBad, rating: 8 },
      ];
      const result = await makeLists().addToList('ratings', items);
      expect(seen.scope?.isDone()).to.equal(true);
      expect(seen.body).to.deep.equal(fixture('sync_ratings_add.request.json'));
      expect(result).to.deep.equal({ notFound: [], added: 3 });
    });

    it('nests episodes without ids under their show, each with its own rating, apart from a rated show', async () => {
      const seen = capture('/sync/ratings', 201, { added: { movies: 0, shows: 1, seasons: 0, episodes: 2 }, not_found: {} });
      await makeLists().addToList('ratings', [
        { type: 'episode', season: 2, episode: 3, show: breakingBad, rating: 7, ratedAt: '2024-01-01T00:00:00.000Z' },
        { type: 'show', ...breakingBad, rating: 10 },
        { type: 'episode', season: 2, episode: 4, show: breakingBad, rating: 6 },
      ]);
      expect(seen.body).to.deep.equal({
        shows: [
          { ...breakingBad, seasons: [{ number: 2, episodes: [{ number: 3, rating: 7, rated_at: '2024-01-01T00:00:00.000Z' }, { number: 4, rating: 6 }] }] },
          { ...breakingBad, rating: 10 },
        ],
      });
    });

    it('maps not_found echoes (movies echo their rating) back to positions', async () => {
      capture('/sync/ratings', 201, {
        added: { movies: 1, shows: 0, seasons: 0, episodes: 0 },
        not_found: { movies: [{ ids: { imdb: 'tt0000111' }, rating: 5 }], shows: [{ title: 'Nope', year: 1999, seasons: [{ number: 1, episodes: [{ number: 1, rating: 4 }] }] }], seasons: [], episodes: [] },
      });
      const result = await makeLists().addToList('ratings', [
        { type: 'movie', ids: { imdb: 'tt1375666' }, rating: 9 },
        { type: 'episode', season: 1, episode: 1, show: { title: 'Nope', year: 1999 }, rating: 4 },
        { type: 'movie', ids: { imdb: 'tt0000111' }, rating: 5 },
      ]);
      expect(result).to.deep.equal({ notFound: [1, 2], added: 1 });
    });

    it('refuses a missing or half-star rating before sending anything', async () => {
      const error = await rejectionOf(makeLists().addToList('ratings', [{ type: 'movie', ids: { tmdb: 1 }, rating: 8 }, { type: 'movie', ids: { tmdb: 2 } }, { type: 'movie', ids: { tmdb: 3 }, rating: 7.5 }]));
      expect(error).to.be.instanceOf(ClawarrError);
      expect((error as ClawarrError).code).to.equal('bad_request');
      expect(error.message).to.contain('items at 1, 2');
    });
  });

  describe('watchlist', () => {
    it('posts ids (title and year as fallback) only, and counts added, existing and not found', async () => {
      const seen = capture('/sync/watchlist', 201, fixture('sync_watchlist_add.response_201.json'));
      const result = await makeLists().addToList('watchlist', [
        { type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, listedAt: '2024-01-01T00:00:00.000Z', rating: 9 },
        { type: 'movie', ids: { imdb: 'tt0000111' } },
        { type: 'show', title: 'Breaking Bad', year: 2008, ids: { tvdb: 81189 } },
      ]);
      expect(seen.body).to.deep.equal({
        movies: [{ title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' } }, { ids: { imdb: 'tt0000111' } }],
        shows: [{ title: 'Breaking Bad', year: 2008, ids: { tvdb: 81189 } }],
      });
      expect(result).to.deep.equal({ notFound: [1], added: 2, existing: 0 });
    });

    it('names the account limit when Trakt answers 420', async () => {
      nock(API).post('/sync/watchlist').reply(420, '', httpHeaders('account_limit_420.http'));
      const error = await rejectionOf(makeLists().addToList('watchlist', [{ type: 'movie', ids: { tmdb: 27205 } }]));
      expect(error).to.be.instanceOf(ClawarrError);
      expect((error as ClawarrError).code).to.equal('account_limit');
      expect(error.message).to.contain('account limit reached (420, limit 250)');
    });
  });

  describe('collection', () => {
    it('sends collected_at per item, and counts updated as added and existing apart', async () => {
      const seen = capture('/sync/collection', 201, {
        added: { movies: 1, episodes: 1 },
        updated: { movies: 0, episodes: 1 },
        existing: { movies: 1, episodes: 0 },
        not_found: { movies: [], shows: [], seasons: [], episodes: [{ ids: { tvdb: 1 } }] },
      });
      const result = await makeLists().addToList('collection', [
        { type: 'movie', ids: { tmdb: 27205 }, collectedAt: '2023-05-01T10:00:00.000Z' },
        { type: 'episode', season: 1, episode: 2, show: breakingBad, collectedAt: '2023-05-02T10:00:00.000Z' },
        { type: 'episode', season: 1, episode: 1, ids: { tvdb: 1 }, show: breakingBad },
        { type: 'movie', ids: { imdb: 'tt0133093' } },
      ]);
      expect(seen.body).to.deep.equal({
        movies: [{ ids: { tmdb: 27205 }, collected_at: '2023-05-01T10:00:00.000Z' }, { ids: { imdb: 'tt0133093' } }],
        shows: [{ ...breakingBad, seasons: [{ number: 1, episodes: [{ number: 2, collected_at: '2023-05-02T10:00:00.000Z' }] }] }],
        episodes: [{ ids: { tvdb: 1 } }],
      });
      expect(result).to.deep.equal({ notFound: [2], added: 3, existing: 1 });
    });
  });

  it('sends nothing for no items', async () => {
    expect(await makeLists().addToList('collection', [])).to.deep.equal({ notFound: [], added: 0, existing: 0 });
    expect(await makeLists().addToList('ratings', [])).to.deep.equal({ notFound: [], added: 0 });
  });
});
