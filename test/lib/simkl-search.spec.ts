import { expect } from 'chai';
import { join } from 'node:path';
import nock from 'nock';
import { Matcher } from '../../lib/match/matcher';
import { IdCache } from '../../lib/store/id-cache';
import { StateStore } from '../../lib/store/state-store';
import { SimklClient } from '../../lib/simkl/client';
import { rejectionOf, removeDir, tempDir } from './helpers';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0004';
const REQUIRED = simklRequired(CLIENT_ID);

describe('lib/simkl/client matching (MatchProvider)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  // Not authorized: search and id look-ups need no token.
  const client = (): SimklClient => simkl.client();

  it('accepts the ids Simkl syncs on, per type, and looks up the ones items carry', () => {
    const provider = client();
    expect(provider.acceptedIds('movie')).to.deep.equal(['simkl', 'imdb', 'tmdb']);
    expect(provider.acceptedIds('show')).to.deep.equal(['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb']);
    expect(provider.acceptedIds('episode')).to.deep.equal(['simkl', 'tvdb', 'imdb', 'tmdb']);
    expect(provider.lookupIds('show')).to.deep.equal(['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb']);
  });

  describe('lookupId', () => {
    it('looks an imdb id up without a token and maps the movie', async () => {
      let authorization: unknown = 'unset';
      const scope = nock(API)
        .get('/search/id')
        .query({ ...REQUIRED, imdb: 'tt1972591' })
        .reply(function () {
          authorization = this.req.headers.authorization;
          return [200, fixture('search_id_imdb.response.json')];
        });
      const found = await client().lookupId('imdb', 'tt1972591', 'movie');
      expect(scope.isDone()).to.equal(true);
      expect(authorization).to.equal(undefined);
      expect(found).to.deep.equal([{ type: 'movie', title: 'King Arthur: Legend of the Sword', year: 2017, ids: { simkl: 388306 } }]);
    });

    it('sends the type with a tmdb id (numbers are reused across movies and shows), and reads tv and anime as shows', async () => {
      nock(API)
        .get('/search/id')
        .query({ ...REQUIRED, tmdb: '1399', type: 'show' })
        .reply(200, [{ type: 'tv', title: 'Game of Thrones', year: 2011, ids: { simkl: 17465, tmdb: '1399', tvdb: '121361' } }]);
      nock(API)
        .get('/search/id')
        .query({ ...REQUIRED, anidb: '17617' })
        .reply(200, [{ type: 'anime', title: 'Frieren', year: '2023', ids: { simkl: 2035458, mal: '52991', anidb: '17617' } }]);
      const provider = client();
      expect(await provider.lookupId('tmdb', 1399, 'show')).to.deep.equal([{ type: 'show', title: 'Game of Thrones', year: 2011, ids: { simkl: 17465, tmdb: 1399, tvdb: 121361 } }]);
      expect(await provider.lookupId('anidb', 17617, 'show')).to.deep.equal([{ type: 'show', title: 'Frieren', year: 2023, ids: { simkl: 2035458, mal: 52991, anidb: 17617 } }]);
    });

    it('refuses id kinds Simkl cannot look up, without a request', async () => {
      const error = await rejectionOf(client().lookupId('trakt', 1, 'movie'));
      expect(error.message).to.contain('cannot look up trakt');
    });
  });

  describe('search', () => {
    it('reads simkl_id as the Simkl id and string tmdb ids as numbers, best first as Simkl ranks', async () => {
      nock(API).get('/search/movie').query({ ...REQUIRED, q: 'John Wick' }).reply(200, fixture('search_movie_text.response.json'));
      const found = await client().search('movie', 'John Wick', 2014);
      expect(found).to.deep.equal([
        { type: 'movie', title: 'John Wick: Chapter 2', year: 2017, ids: { simkl: 471618, tmdb: 324552 } },
        { type: 'movie', title: 'John Wick', year: 2014, ids: { simkl: 342994, tmdb: 245891 } },
      ]);
    });

    it('searches shows under tv, and under anime only when tv knows nothing', async () => {
      const tv = nock(API).get('/search/tv').query({ ...REQUIRED, q: 'Frieren' }).reply(200, []);
      const animeList = nock(API)
        .get('/search/anime')
        .query({ ...REQUIRED, q: 'Frieren' })
        .reply(200, [{ title: 'Frieren', year: 2023, endpoint_type: 'anime', ids: { simkl_id: 2035458, slug: 'frieren' } }]);
      expect(await client().search('show', 'Frieren')).to.deep.equal([{ type: 'show', title: 'Frieren', year: 2023, ids: { simkl: 2035458 } }]);
      expect(tv.isDone() && animeList.isDone()).to.equal(true);

      nock(API).get('/search/tv').query(true).reply(200, [{ title: 'Severance', year: 2022, endpoint_type: 'tv', ids: { simkl_id: 1026371 } }]);
      const notAsked = nock(API).get('/search/anime').query(true).reply(200, []);
      expect(await client().search('show', 'Severance')).to.have.length(1);
      expect(notAsked.isDone()).to.equal(false);
    });

    it('works with the matcher: a title search gives the movie its Simkl id', async () => {
      nock(API).get('/search/movie').query(true).reply(200, fixture('search_movie_text.response.json'));
      const dir = tempDir();
      try {
        const store = new StateStore(join(dir, 'clawarr'));
        const matcher = new Matcher(client(), { movie: new IdCache(store, 60_000, 'm.json'), show: new IdCache(store, 60_000, 's.json') });
        const result = await matcher.match({ type: 'movie', title: 'John Wick', year: 2014 });
        expect(result.matched).to.equal(true);
        expect(result.item.ids).to.deep.equal({ simkl: 342994, tmdb: 245891 });
      } finally {
        removeDir(dir);
      }
    });
  });
});
