import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { StoredTokens } from '../../lib/store/token-store';
import { TraktClient } from '../../lib/trakt/client';
import { escapeSolr, TraktMatchProvider } from '../../lib/trakt/search';
import { TraktSession } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, rejectionOf, useOfflineNock } from './helpers';

const nowSec = () => Math.floor(Date.now() / 1000);
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'trakt', name), 'utf8')) as Array<Record<string, unknown>>;

function makeProvider(tokens: StoredTokens = { accessToken: 'search-access-1', refreshToken: 'search-refresh-1', expiresAt: nowSec() + 86_400 }) {
  const { http } = fastTraktHttp();
  const persisted: StoredTokens[] = [];
  const session = new TraktSession(http, { app: APP, tokens, persist: (t) => void persisted.push(t) });
  return { provider: new TraktMatchProvider(new TraktClient(http, session)), persisted };
}

describe('lib/trakt/search (TraktMatchProvider)', () => {
  useOfflineNock();

  it('accepts the id kinds /sync/history matches on, per type', () => {
    const { provider } = makeProvider();
    expect(provider.acceptedIds('movie')).to.deep.equal(['trakt', 'slug', 'imdb', 'tmdb']);
    expect(provider.acceptedIds('show')).to.deep.equal(['trakt', 'slug', 'imdb', 'tmdb', 'tvdb']);
    expect(provider.acceptedIds('episode')).to.deep.equal(['trakt', 'imdb', 'tmdb', 'tvdb']);
    expect(provider.lookupIds('movie')).to.deep.equal(['trakt', 'imdb', 'tmdb', 'tvdb']);
  });

  describe('lookupId', () => {
    it('looks an imdb id up with type=movie and the bearer token, and maps the movie', async () => {
      const { provider } = makeProvider();
      const scope = nock(API)
        .matchHeader('authorization', 'Bearer search-access-1')
        .matchHeader('trakt-api-key', APP.clientId)
        .get('/search/imdb/tt1104001')
        .query({ type: 'movie' })
        .reply(200, fixture('search_imdb_lookup.response.json'));
      const found = await provider.lookupId('imdb', 'tt1104001', 'movie');
      expect(scope.isDone()).to.equal(true);
      expect(found).to.deep.equal([{ type: 'movie', title: 'TRON: Legacy', year: 2010, ids: { trakt: 12601, slug: 'tron-legacy-2010', imdb: 'tt1104001', tmdb: 20526 } }]);
    });

    it('always sends the type, and maps an episode with its show and numbers', async () => {
      const { provider } = makeProvider();
      nock(API).get('/search/tvdb/349232').query({ type: 'episode' }).reply(200, fixture('search_tvdb_episode_lookup.response.json'));
      const found = await provider.lookupId('tvdb', 349232, 'episode');
      expect(found).to.deep.equal([
        {
          type: 'episode',
          title: 'Pilot',
          season: 1,
          episode: 1,
          ids: { trakt: 16, tvdb: 349232, imdb: 'tt0959621', tmdb: 62085 },
          show: { title: 'Breaking Bad', year: 2008, ids: { trakt: 1, slug: 'breaking-bad', tvdb: 81189, imdb: 'tt0903747', tmdb: 1396 } },
        },
      ]);
    });

    it('drops null and empty ids, a null year, and rows that are not media', async () => {
      const { provider } = makeProvider();
      nock(API)
        .get('/search/tmdb/1396')
        .query({ type: 'show' })
        .reply(200, [
          { type: 'show', score: null, show: { title: 'Breaking Bad', year: null, ids: { trakt: 1, slug: 'breaking-bad', tvdb: null, imdb: '', tmdb: 1396 } } },
          { type: 'person', score: null, person: { name: 'Bryan Cranston', ids: { trakt: 9 } } },
        ]);
      expect(await provider.lookupId('tmdb', 1396, 'show')).to.deep.equal([{ type: 'show', title: 'Breaking Bad', ids: { trakt: 1, slug: 'breaking-bad', tmdb: 1396 } }]);
    });

    it('refuses an id kind Trakt cannot look up, without a request', async () => {
      const { provider } = makeProvider();
      expect((await rejectionOf(provider.lookupId('anidb', 17617, 'show'))).message).to.equal('Trakt cannot look up anidb ids');
    });
  });

  describe('search', () => {
    it('searches title and aliases, with the year ±1, and maps the results', async () => {
      const { provider } = makeProvider();
      const scope = nock(API)
        .matchHeader('authorization', 'Bearer search-access-1')
        .get('/search/movie')
        .query({ query: 'TRON\\: Legacy', fields: 'title,aliases', limit: '10', years: '2009-2011', extended: 'full' })
        .reply(200, fixture('search_movie.response.json'));
      const found = await provider.search('movie', 'TRON: Legacy', 2010);
      expect(scope.isDone()).to.equal(true);
      expect(found).to.deep.equal([{ type: 'movie', title: 'TRON: Legacy', year: 2010, ids: { trakt: 12601, slug: 'tron-legacy-2010', imdb: 'tt1104001', tmdb: 20526 } }]);
    });

    it('escapes Solr syntax in the query and sends no years without a year', async () => {
      const { provider } = makeProvider();
      let query: Record<string, unknown> | undefined;
      nock(API)
        .get('/search/show')
        .query((q) => {
          query = q;
          return true;
        })
        .reply(200, []);
      expect(await provider.search('show', 'Star Wars: Episode IV')).to.deep.equal([]);
      expect(query).to.deep.equal({ query: 'Star Wars\\: Episode IV', fields: 'title,aliases', limit: '10', extended: 'full' });
    });

    it('keeps aliases when Trakt sends them', async () => {
      const { provider } = makeProvider();
      nock(API)
        .get('/search/movie')
        .query(true)
        .reply(200, [{ type: 'movie', score: 10, movie: { title: 'Star Wars: Episode IV - A New Hope', year: 1977, ids: { trakt: 1 }, aliases: ['Star Wars', { title: 'La guerra de las galaxias', country: 'es' }] } }]);
      const [candidate] = await provider.search('movie', 'Star Wars', 1977);
      expect(candidate.aliases).to.deep.equal(['Star Wars', 'La guerra de las galaxias']);
    });

    it('refreshes the token once after a 401 and retries the read', async () => {
      const { provider, persisted } = makeProvider();
      nock(API).get('/search/movie').query(true).matchHeader('authorization', 'Bearer search-access-1').reply(401, { error: 'invalid_token' });
      const refresh = nock(API)
        .post('/oauth/token', (body: Record<string, unknown>) => body.refresh_token === 'search-refresh-1')
        .reply(200, { access_token: 'search-access-2', token_type: 'bearer', expires_in: 86_400, refresh_token: 'search-refresh-2', scope: 'public', created_at: nowSec() });
      nock(API).get('/search/movie').query(true).matchHeader('authorization', 'Bearer search-access-2').reply(200, fixture('search_movie.response.json'));
      const found = await provider.search('movie', 'TRON: Legacy', 2010);
      expect(found).to.have.length(1);
      expect(refresh.isDone()).to.equal(true);
      expect(persisted.map((t) => t.accessToken)).to.deep.equal(['search-access-2']);
    });
  });

  it('escapes every Solr special character with a backslash', () => {
    expect(escapeSolr('a+b-c&&d||e!f(g)h{i}j[k]l^m"n~o*p?q:r/s\\t')).to.equal('a\\+b\\-c\\&\\&d\\|\\|e\\!f\\(g\\)h\\{i\\}j\\[k\\]l\\^m\\"n\\~o\\*p\\?q\\:r\\/s\\\\t');
    expect(escapeSolr('Inception')).to.equal('Inception');
  });
});
