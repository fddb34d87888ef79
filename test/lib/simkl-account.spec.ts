import { expect } from 'chai';
import nock from 'nock';
import { AuthRequiredError, ClawarrError, UncertainWriteError } from '../../lib/core/errors';
import type { LimiterOptions } from '../../lib/core/limiter';
import { USER_AGENT } from '../../lib/core/version';
import { createSimklAccount, SIMKL_LIMITS } from '../../lib/simkl/account';
import { SimklClient } from '../../lib/simkl/client';
import { rejectionOf } from './helpers';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0001';
const SECRET = 'simkl-client-secret-0001';
const TOKEN = 'simkl-access-token-0001';
const REQUIRED = simklRequired(CLIENT_ID);

describe('lib/simkl/account (HTTP core for Simkl)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  const client = (limits?: LimiterOptions): SimklClient => simkl.client({ app: { clientId: CLIENT_ID, clientSecret: SECRET }, token: TOKEN, limits });

  describe('required parameters', () => {
    it('puts client_id, app-name and app-version in the query of a GET, with the User-Agent and the token', async () => {
      const scope = nock(API)
        .matchHeader('user-agent', USER_AGENT)
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .get('/users/settings')
        .query(REQUIRED)
        .reply(200, { user: { name: 'Alice' }, account: { id: 51 } });
      const settings = await client().settings();
      expect(scope.isDone()).to.equal(true);
      expect(settings.account?.id).to.equal(51);
    });

    it('keeps the request own parameters next to the required ones', async () => {
      const scope = nock(API).get('/search/movie').query({ ...REQUIRED, q: 'John Wick' }).reply(200, []);
      await client().search('movie', 'John Wick');
      expect(scope.isDone()).to.equal(true);
    });

    it('puts them in the query of a POST too, with a JSON body', async () => {
      let contentType: string | undefined;
      const scope = nock(API)
        .matchHeader('user-agent', USER_AGENT)
        .post('/sync/history', (body: Record<string, unknown>) => Array.isArray(body.movies))
        .query(REQUIRED)
        .reply(function () {
          contentType = String(this.req.headers['content-type']);
          return [201, { added: { movies: 1, episodes: 0 }, not_found: { movies: [], shows: [], episodes: [] } }];
        });
      const result = await client().addHistory([{ type: 'movie', title: 'Heat', year: 1995, ids: { imdb: 'tt0113277' }, watchedAt: '2024-01-01T20:00:00Z' }]);
      expect(scope.isDone()).to.equal(true);
      expect(contentType).to.contain('application/json');
      expect(result.added.movies).to.equal(1);
    });
  });

  describe('errors', () => {
    it('412 client_id_failed becomes a sentence about the client id, code config, without secrets', async () => {
      nock(API).get('/users/settings').query(true).reply(412, fixture('error_412.json') as nock.Body);
      const error = await rejectionOf(client().settings());
      expect(error).to.be.instanceOf(ClawarrError);
      expect(error.message).to.equal('Simkl refused the client id (or its request limit is used up): check the client id of the simkl-config node');
      expect((error as ClawarrError).code).to.equal('config');
      expect(error.message).not.to.contain(TOKEN).and.not.to.contain(SECRET);
    });

    it('is read from the envelope id, not the status or message: client_id_failed on another status still names the client id', async () => {
      nock(API).get('/users/settings').query(true).reply(403, { error: 'client_id_failed', code: 403, message: 'reworded at any time' });
      const error = await rejectionOf(client().settings());
      expect(error.message).to.contain('refused the client id');
      expect(error.message).not.to.contain('reworded');
    });

    it('401 says the app was revoked and that authorizing again is needed', async () => {
      nock(API).get('/users/settings').query(true).reply(401, { error: 'user_token_failed', code: 401, message: `token ${TOKEN} unknown` });
      const error = await rejectionOf(client().settings());
      expect(error).to.be.instanceOf(AuthRequiredError);
      expect(error.message).to.contain('revoked').and.contain('authorize again');
      expect(error.message).not.to.contain(TOKEN);
    });

    it('other refusals keep the envelope text, with registered secrets masked', async () => {
      nock(API).get('/sync/activities').query(true).reply(400, { error: 'wrong_parameter', code: 400, message: `bad ${TOKEN} / ${SECRET}` });
      const error = await rejectionOf(client().activities());
      expect(error.message).to.contain('wrong_parameter');
      expect(error.message).not.to.contain(TOKEN).and.not.to.contain(SECRET);
    });

    it('a 5xx on a history write is an uncertain write (it may have been applied), sent once', async () => {
      let posts = 0;
      nock(API)
        .post('/sync/history')
        .query(true)
        .times(3)
        .reply(() => {
          posts += 1;
          return [502, 'bad gateway'];
        });
      const error = await rejectionOf(client().addHistory([{ type: 'movie', title: 'Heat', year: 1995, watchedAt: '2024-01-01T20:00:00Z' }]));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect(posts).to.equal(1);
    });
  });

  describe('rate limits', () => {
    it('SIMKL_LIMITS: 10 reads a second (with 50 ms of slack for arrival jitter), writes one at a time a second apart', () => {
      expect(SIMKL_LIMITS).to.include({ readsPerWindow: 10, readWindowMs: 1050, writeSpacingMs: 1000 });
    });

    it('a burst of 25 GETs never puts more than 10 in any 1-second window at the server', async () => {
      const arrivals: number[] = [];
      nock(API)
        .get('/search/id')
        .query(true)
        .times(25)
        .reply(() => {
          arrivals.push(Date.now());
          return [200, []];
        });
      const provider = client(SIMKL_LIMITS);
      const started = Date.now();
      await Promise.all(Array.from({ length: 25 }, (_, i) => provider.lookupId('imdb', `tt${1000 + i}`, 'movie')));
      expect(arrivals).to.have.length(25);
      arrivals.sort((a, b) => a - b);
      const busiest = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).to.be.at.most(10);
      // Not needlessly slow either: three windows' worth.
      expect(Date.now() - started).to.be.below(3500);
    });

    it('createSimklAccount wires one limiter, session and client with those limits', async () => {
      const account = createSimklAccount({ apiUrl: API, app: { clientId: CLIENT_ID }, tokens: { accessToken: TOKEN, username: 'alice', accountId: 51 }, persist: () => undefined });
      simkl.limiters.push(account.limiter);
      expect(account.client.kind).to.equal('simkl');
      expect(account.session.state).to.equal('authorized');
      expect(await account.client.accountKey()).to.equal('simkl:51');
    });
  });
});
