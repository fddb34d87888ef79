import { expect } from 'chai';
import nock from 'nock';
import { ClawarrError } from '../../lib/core/errors';
import type { MediaItem } from '../../lib/schema/types';
import { SimklLists } from '../../lib/simkl/lists';
import { rejectionOf } from './helpers';
import { SIMKL_API as API, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0005';
const TOKEN = 'simkl-lists-token-5';
const REQUIRED = simklRequired(CLIENT_ID);

describe('lib/simkl/lists (ratings, watchlist)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  const lists = (): SimklLists => new SimklLists(simkl.client({ token: TOKEN }));

  /** Nocks one POST, capturing its body. */
  function post(path: string, reply: nock.Body): { body?: Record<string, unknown> } {
    const seen: { body?: Record<string, unknown> } = {};
    nock(API)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .post(path, (body: Record<string, unknown>) => {
        seen.body = body;
        return true;
      })
      .query(REQUIRED)
      .reply(201, reply);
    return seen;
  }

  const heat: MediaItem = { type: 'movie', title: 'Heat', year: 1995, ids: { imdb: 'tt0113277', tmdb: 949, trakt: 1, slug: 'heat-1995' }, rating: 9, ratedAt: '2024-01-02T03:04:05.000Z' };
  const got: MediaItem = { type: 'show', title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, simkl: 17465 }, rating: 8 };
  const frieren: MediaItem = { type: 'show', title: 'Frieren', year: 2023, ids: { mal: 52991 }, rating: 10 };
  const episode: MediaItem = { type: 'episode', season: 1, episode: 1, show: { title: 'Severance', ids: { tvdb: 371980 } }, rating: 7 };

  it('has ratings and a watchlist, no collection', async () => {
    expect(lists().lists()).to.deep.equal(['ratings', 'watchlist']);
    const error = await rejectionOf(lists().addToList('collection', [heat]));
    expect(error).to.be.instanceOf(ClawarrError);
    expect(error.message).to.equal('Simkl has no collection: choose ratings or watchlist');
    expect((error as ClawarrError).code).to.equal('bad_request');
  });

  it('rates movies, shows and anime apart in one POST /sync/ratings, with rated_at when known', async () => {
    const seen = post('/sync/ratings', { added: { movies: 1, shows: 2, statuses: [] }, not_found: { movies: [], shows: [] } });
    const result = await lists().addToList('ratings', [heat, got, frieren]);
    expect(seen.body).to.deep.equal({
      // Trakt's ids (trakt, slug) are not Simkl's: left out.
      movies: [{ title: 'Heat', year: 1995, ids: { imdb: 'tt0113277', tmdb: 949 }, rating: 9, rated_at: '2024-01-02T03:04:05.000Z' }],
      shows: [{ title: 'Game of Thrones', year: 2011, ids: { simkl: 17465, tvdb: 121361 }, rating: 8 }],
      anime: [{ title: 'Frieren', year: 2023, ids: { mal: 52991 }, rating: 10 }],
    });
    expect(result).to.deep.equal({ notFound: [], added: 3 });
  });

  it('maps not_found echoes back to positions: ids as strings, anime under shows, a title without ids by title and year', async () => {
    const noIds: MediaItem = { type: 'movie', title: 'Obscure Film', year: 1971, rating: 5 };
    post('/sync/ratings', {
      added: { movies: 1, shows: 1 },
      not_found: { movies: [{ title: 'Obscure Film', year: 1971, rating: 5 }], shows: [{ ids: { mal: '52991' }, rating: 10 }] },
    });
    const result = await lists().addToList('ratings', [heat, noIds, got, frieren]);
    expect(result).to.deep.equal({ notFound: [1, 3], added: 2 });
  });

  it('refuses a rating outside whole 1–10 before sending anything (Simkl would ignore it silently)', async () => {
    const scope = nock(API).post('/sync/ratings').query(true).reply(201, {});
    const error = await rejectionOf(lists().addToList('ratings', [heat, { ...got, rating: 11 }, { ...frieren, rating: undefined }, { ...heat, rating: 7.5 }]));
    expect(error.message).to.equal('Simkl ratings need a whole "rating" from 1 to 10 (items at 1, 2, 3)');
    expect(scope.isDone()).to.equal(false);
  });

  it('returns episodes as not found, unsent: Simkl rates and files whole titles only', async () => {
    const scope = nock(API).post(/.*/).query(true).reply(201, {});
    expect(await lists().addToList('ratings', [episode])).to.deep.equal({ notFound: [0], added: 0 });
    expect(scope.isDone(), 'nothing to send').to.equal(false);
    nock.cleanAll();
    const seen = post('/sync/ratings', { added: { movies: 1 } });
    expect(await lists().addToList('ratings', [episode, heat])).to.deep.equal({ notFound: [0], added: 1 });
    expect(seen.body).to.have.keys('movies');
  });

  it('adds to the watchlist with POST /sync/add-to-list, `to: plantowatch` on every item, counting the echoed items', async () => {
    const seen = post('/sync/add-to-list', {
      added: { movies: [{ to: 'plantowatch', ids: { imdb: 'tt0113277' }, type: 'movie' }], shows: [{ to: 'plantowatch', ids: { mal: 52991 }, type: 'show' }] },
      not_found: { movies: [], shows: [{ to: 'plantowatch', title: 'Game of Thrones', ids: { simkl: '17465' } }] },
    });
    const result = await lists().addToList('watchlist', [heat, got, frieren, episode]);
    expect(seen.body).to.deep.equal({
      // A rating on a watchlist item is not the watchlist's: it is not sent.
      movies: [{ title: 'Heat', year: 1995, ids: { imdb: 'tt0113277', tmdb: 949 }, to: 'plantowatch' }],
      shows: [{ title: 'Game of Thrones', year: 2011, ids: { simkl: 17465, tvdb: 121361 }, to: 'plantowatch' }],
      anime: [{ title: 'Frieren', year: 2023, ids: { mal: 52991 }, to: 'plantowatch' }],
    });
    expect(result).to.deep.equal({ notFound: [1, 3], added: 2 });
  });

  it('counts what was not reported missing when the answer has no `added`, and takes a `null` body', async () => {
    nock(API).post('/sync/add-to-list').query(true).reply(201, { not_found: { movies: [{ ids: { imdb: 'tt0113277' } }] } });
    expect(await lists().addToList('watchlist', [heat, got])).to.deep.equal({ notFound: [0], added: 1 });
    nock(API).post('/sync/add-to-list').query(true).reply(201, 'null', { 'content-type': 'application/json' });
    expect(await lists().addToList('watchlist', [heat, got])).to.deep.equal({ notFound: [], added: 2 });
  });

  it('sends nothing for an empty batch', async () => {
    expect(await lists().addToList('watchlist', [])).to.deep.equal({ notFound: [], added: 0 });
  });
});
