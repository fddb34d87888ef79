import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { UncertainWriteError } from '../../lib/core/errors';
import type { MediaItem } from '../../lib/schema/types';
import type { StoredTokens } from '../../lib/store/token-store';
import { TraktClient } from '../../lib/trakt/client';
import { TraktSession } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, rejectionOf, useOfflineNock } from './helpers';

const nowSec = () => Math.floor(Date.now() / 1000);

function makeClient(tokens: StoredTokens = { accessToken: 'client-access-1', refreshToken: 'client-refresh-1', expiresAt: nowSec() + 86_400, username: 'alice' }) {
  const { http } = fastTraktHttp();
  const persisted: StoredTokens[] = [];
  const session = new TraktSession(http, { app: APP, tokens, persist: (t) => void persisted.push(t) });
  return { client: new TraktClient(http, session), persisted };
}

const sampleRows = (() => {
  const raw = readFileSync(join(__dirname, '..', 'fixtures', 'trakt', 'users_me_history.page1.http'), 'utf8');
  return JSON.parse(raw.slice(raw.search(/\r?\n\r?\n/)).trim()) as unknown[];
})();

describe('lib/trakt/client (TraktClient)', () => {
  useOfflineNock();

  describe('addHistory', () => {
    it('posts one /sync/history body without empty arrays, with the bearer token', async () => {
      const { client } = makeClient();
      let body: Record<string, unknown> | undefined;
      nock(API)
        .matchHeader('authorization', 'Bearer client-access-1')
        .post('/sync/history', (b: Record<string, unknown>) => {
          body = b;
          return true;
        })
        .reply(201, { added: { movies: 1, episodes: 0 }, not_found: { movies: [], shows: [], seasons: [], episodes: [] } });
      const result = await client.addHistory([{ type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666', plex: 'p' }, watchedAt: '2024-01-15T20:41:00.000Z' }]);
      expect(body).to.deep.equal({ movies: [{ title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, watched_at: '2024-01-15T20:41:00.000Z' }] });
      expect(result).to.deep.equal({ notFound: [], added: { movies: 1, episodes: 0 } });
    });

    it('sends undated plays as watched_at "unknown"', async () => {
      const { client } = makeClient();
      let body: { movies?: Array<{ watched_at?: string }> } | undefined;
      nock(API)
        .post('/sync/history', (b: typeof body) => {
          body = b;
          return true;
        })
        .reply(201, { added: { movies: 1, episodes: 0 } });
      await client.addHistory([{ type: 'movie', ids: { tmdb: 949 } }]);
      expect(body?.movies?.[0].watched_at).to.equal('unknown');
    });

    it('maps not_found echoes back to the positions of the plays', async () => {
      const { client } = makeClient();
      const plays: MediaItem[] = [
        { type: 'movie', ids: { imdb: 'tt1375666' }, watchedAt: '2024-01-15T20:41:00.000Z' },
        { type: 'movie', ids: { imdb: 'tt0000111' }, watchedAt: '2024-01-15T22:41:00.000Z' },
        { type: 'episode', season: 1, episode: 1, show: { title: 'Nope Show', year: 1999 }, watchedAt: '2024-01-16T20:41:00.000Z' },
      ];
      nock(API)
        .post('/sync/history')
        .reply(201, (_uri, requestBody) => {
          const b = requestBody as { shows: unknown[] };
          return { added: { movies: 1, episodes: 0 }, not_found: { movies: [{ ids: { imdb: 'tt0000111' } }], shows: b.shows, seasons: [], episodes: [] } };
        });
      const result = await client.addHistory(plays);
      expect(result.notFound).to.deep.equal([1, 2]);
      expect(result.added).to.deep.equal({ movies: 1, episodes: 0 });
    });

    it('a 502 on the write surfaces as UncertainWriteError (never re-sent)', async () => {
      const { client } = makeClient();
      let hits = 0;
      nock(API)
        .post('/sync/history')
        .times(3)
        .reply(() => {
          hits += 1;
          return [502, 'bad gateway'];
        });
      const error = await rejectionOf(client.addHistory([{ type: 'movie', ids: { tmdb: 1 }, watchedAt: '2024-01-01T00:00:00Z' }]));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect(hits).to.equal(1);
    });
  });

  describe('readHistory', () => {
    it('follows every page with the page size the server answered, for each type', async () => {
      const { client } = makeClient();
      const seen: Array<Record<string, string>> = [];
      const range = { from: '2014-03-01T00:00:00.000Z', to: '2014-04-01T00:00:00.000Z' };
      nock(API)
        .get('/sync/history/movies')
        .query(true)
        .times(3)
        .reply(function (uri) {
          const q = Object.fromEntries(new URL(uri, API).searchParams);
          seen.push({ path: 'movies', ...q });
          const page = Number(q.page);
          return [200, page === 1 ? [sampleRows[0]] : [], { 'X-Pagination-Page': String(page), 'X-Pagination-Limit': '2', 'X-Pagination-Page-Count': '3' }];
        });
      nock(API)
        .get('/sync/history/episodes')
        .query(true)
        .reply(function (uri) {
          seen.push({ path: 'episodes', ...Object.fromEntries(new URL(uri, API).searchParams) });
          return [200, [sampleRows[1]], { 'X-Pagination-Page': '1', 'X-Pagination-Limit': '250', 'X-Pagination-Page-Count': '1' }];
        });
      const items = await client.readHistory({ ...range, types: ['movie', 'episode'] });
      expect(seen).to.deep.equal([
        { path: 'movies', start_at: range.from, end_at: range.to, page: '1', limit: '250' },
        { path: 'movies', start_at: range.from, end_at: range.to, page: '2', limit: '2' },
        { path: 'movies', start_at: range.from, end_at: range.to, page: '3', limit: '2' },
        { path: 'episodes', start_at: range.from, end_at: range.to, page: '1', limit: '250' },
      ]);
      expect(items.map((i) => i.type)).to.deep.equal(['movie', 'episode']);
      expect(items[0].title).to.equal('TRON: Legacy');
      expect(items[1].show?.title).to.equal('Parks and Recreation');
    });
  });

  describe('accountKey', () => {
    it('uses the known username without a request', async () => {
      const { client } = makeClient();
      expect(await client.accountKey()).to.equal('trakt:alice');
    });

    it('asks /users/settings once when the username is unknown and remembers it', async () => {
      const { client, persisted } = makeClient({ accessToken: 'client-access-2', expiresAt: nowSec() + 86_400 });
      const scope = nock(API).get('/users/settings').reply(200, { user: { username: 'bob', ids: { slug: 'bob' } } });
      expect(await client.accountKey()).to.equal('trakt:bob');
      expect(await client.accountKey()).to.equal('trakt:bob');
      expect(scope.isDone()).to.equal(true);
      expect(persisted.map((t) => t.username)).to.deep.equal(['bob']);
    });
  });
});
