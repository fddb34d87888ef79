import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { AuthRequiredError, ClawarrError, UncertainWriteError } from '../../lib/core/errors';
import { HttpClient, retryAfterMs } from '../../lib/core/http';
import { AccountLimiter } from '../../lib/core/limiter';
import { registerSecret } from '../../lib/core/redact';
import { API, CLIENT_ID, FAST_LIMITS, fastTraktHttp, netError, rejectionOf, useOfflineNock } from './helpers';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

/** Counts the requests a scope received (including those answered with replyWithError). */
function countRequests(scope: nock.Scope): { count: number } {
  const counter = { count: 0 };
  scope.on('request', () => {
    counter.count += 1;
  });
  return counter;
}

/** Answers up to `times` requests to METHOD path with `answer(hit)` (hit counts from 1), counting them. */
function scripted(method: 'get' | 'post', path: string, times: number, answer: (hit: number) => nock.ReplyFnResult): { hits: number } {
  const served = { hits: 0 };
  nock(API)[method](path)
    .times(times)
    .reply(() => {
      served.hits += 1;
      return answer(served.hits);
    });
  return served;
}

describe('lib/core/http (HttpClient through traktHttp)', () => {
  useOfflineNock();

  describe('request headers', () => {
    it('sends User-Agent clawarr/<package version>, trakt-api-key, trakt-api-version 2 and JSON content type', async () => {
      const { http } = fastTraktHttp();
      const scope = nock(API)
        .matchHeader('user-agent', `clawarr/${pkg.version}`)
        .matchHeader('trakt-api-key', CLIENT_ID)
        .matchHeader('trakt-api-version', '2')
        .matchHeader('content-type', /application\/json/)
        .post('/sync/history', { movies: [] })
        .reply(201, { added: { movies: 0, episodes: 0 } });
      const response = await http.post('/sync/history', { movies: [] });
      expect(response.status).to.equal(201);
      expect(scope.isDone()).to.equal(true);
    });

    it('the User-Agent carries a real version, not the 0.0.0 fallback', async () => {
      expect(pkg.version).to.not.equal('0.0.0');
      const { http } = fastTraktHttp();
      const scope = nock(API).matchHeader('user-agent', `clawarr/${pkg.version}`).get('/users/settings').reply(200, { user: { username: 'alice' } });
      await http.get('/users/settings');
      expect(scope.isDone()).to.equal(true);
    });
  });

  describe('5xx on reads', () => {
    it('GET answered 503 twice then 200 succeeds after 3 requests', async () => {
      const { http } = fastTraktHttp();
      const served = scripted('get', '/sync/history/movies', 3, (hit) => (hit < 3 ? [503, 'overloaded'] : [200, [{ id: 1 }]]));
      const response = await http.get<unknown[]>('/sync/history/movies');
      expect(response.status).to.equal(200);
      expect(response.data).to.deep.equal([{ id: 1 }]);
      expect(served.hits).to.equal(3);
    });

    it('GET answered 503 three times fails with server_error after exactly 3 tries', async () => {
      const { http } = fastTraktHttp();
      const served = scripted('get', '/sync/history/movies', 10, () => [503, 'overloaded']);
      const error = await rejectionOf(http.get('/sync/history/movies'));
      expect(error).to.be.instanceOf(ClawarrError);
      expect((error as ClawarrError).code).to.equal('server_error');
      expect((error as ClawarrError).status).to.equal(503);
      expect(error.message).to.contain('tried 3 times');
      expect(served.hits).to.equal(3);
    });
  });

  describe('writes are never re-sent blindly', () => {
    it('POST answered 503 is an UncertainWriteError after exactly 1 request', async () => {
      const { http } = fastTraktHttp();
      const served = scripted('post', '/sync/history', 5, () => [503, 'overloaded']);
      const error = await rejectionOf(http.post('/sync/history', { movies: [] }));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect((error as ClawarrError).code).to.equal('uncertain_write');
      expect((error as ClawarrError).status).to.equal(503);
      expect(error.message).to.contain('may have been applied');
      expect(served.hits).to.equal(1);
    });

    it('POST whose connection is reset is an UncertainWriteError after 1 request', async () => {
      const { http } = fastTraktHttp();
      const scope = nock(API).post('/sync/history').times(5).replyWithError(netError('ECONNRESET', 'socket hang up'));
      const counter = countRequests(scope);
      const error = await rejectionOf(http.post('/sync/history', { movies: [] }));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect(error.message).to.contain('ECONNRESET');
      expect(error.message).to.contain('may have reached Trakt');
      expect(counter.count).to.equal(1);
    });

    it('POST that times out is an UncertainWriteError and is not re-sent', async () => {
      const { http } = fastTraktHttp({ timeoutMs: 80 });
      const scope = nock(API).post('/sync/history').times(3).delay(400).reply(201, {});
      const counter = countRequests(scope);
      const error = await rejectionOf(http.post('/sync/history', { movies: [] }));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect(error.message).to.contain('timed out');
      expect(counter.count).to.equal(1);
    });

    it('POST whose connection is refused (never sent) is retried', async () => {
      const { http } = fastTraktHttp();
      const scope = nock(API)
        .post('/sync/history')
        .replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED'))
        .post('/sync/history')
        .reply(201, { added: { movies: 1, episodes: 0 } });
      const response = await http.post('/sync/history', { movies: [] });
      expect(response.status).to.equal(201);
      expect(scope.isDone()).to.equal(true);
    });
  });

  describe('network errors on reads', () => {
    it('GET with ECONNRESET then 200 is retried and succeeds', async () => {
      const { http } = fastTraktHttp();
      const scope = nock(API)
        .get('/users/settings')
        .replyWithError(netError('ECONNRESET', 'socket hang up'))
        .get('/users/settings')
        .reply(200, { user: { username: 'alice' } });
      const counter = countRequests(scope);
      const response = await http.get<{ user: { username: string } }>('/users/settings');
      expect(response.data.user.username).to.equal('alice');
      expect(counter.count).to.equal(2);
    });

    it('GET that keeps resetting fails with code network after 3 tries', async () => {
      const { http } = fastTraktHttp();
      const scope = nock(API).get('/users/settings').times(10).replyWithError(netError('ECONNRESET', 'socket hang up'));
      const counter = countRequests(scope);
      const error = await rejectionOf(http.get('/users/settings'));
      expect(error).to.be.instanceOf(ClawarrError);
      expect(error).not.to.be.instanceOf(UncertainWriteError);
      expect((error as ClawarrError).code).to.equal('network');
      expect(counter.count).to.equal(3);
    });
  });

  describe('429 rate limiting', () => {
    it('POST answered 429 waits as told, pauses the gate, then succeeds on the second request', async () => {
      const { http, limiter } = fastTraktHttp();
      const served = scripted('post', '/sync/history', 2, (hit) => {
        if (hit === 1) return [429, '', { 'Retry-After': '1', 'X-Sandbox-Retry-After-Ms': '20' }];
        return [201, { added: { movies: 1, episodes: 0 } }];
      });
      const pauses: number[] = [];
      limiter.gate.on('paused', () => pauses.push(limiter.gate.remainingMs()));
      const started = Date.now();
      const response = await http.post('/sync/history', { movies: [] });
      expect(response.status).to.equal(201);
      expect(served.hits).to.equal(2);
      expect(pauses).to.have.length(1);
      expect(pauses[0]).to.be.greaterThan(0);
      expect(Date.now() - started).to.be.at.least(20);
    });

    it('a 429 pauses the other requests of the same account until the wait is over', async () => {
      const { http, limiter } = fastTraktHttp();
      let firstHits = 0;
      let secondArrivedAt = 0;
      nock(API)
        .get('/a')
        .times(2)
        .reply(() => {
          firstHits += 1;
          return firstHits === 1 ? [429, '', { 'X-Sandbox-Retry-After-Ms': '150' }] : [200, { a: true }];
        })
        .get('/b')
        .reply(() => {
          secondArrivedAt = Date.now();
          return [200, { b: true }];
        });
      let second: Promise<unknown> | undefined;
      let pausedUntil = 0;
      limiter.gate.once('paused', (until: number) => {
        pausedUntil = until;
        second = http.get('/b');
      });
      await http.get('/a');
      await second;
      expect(pausedUntil).to.be.greaterThan(0);
      // /b was issued during the pause and must not have reached the server before it ended.
      expect(secondArrivedAt).to.be.at.least(pausedUntil - 5);
    });

    it('gives up with rate_limited when 429 keeps coming after the allowed retries', async () => {
      const limiter = new AccountLimiter(FAST_LIMITS);
      const http = new HttpClient({ baseURL: API, serviceName: 'Trakt', limiter, max429Retries: 1, backoffBaseMs: 5 });
      const served = scripted('get', '/users/settings', 5, () => [429, '', { 'X-Sandbox-Retry-After-Ms': '10' }]);
      const error = await rejectionOf(http.get('/users/settings'));
      expect((error as ClawarrError).code).to.equal('rate_limited');
      expect(error.message).to.contain('rate limit');
      expect(served.hits).to.equal(2);
    });

    it('retryAfterMs reads Retry-After as seconds, then X-Ratelimit.until, else a minute', () => {
      const res = (headers: Record<string, string>) => ({ headers }) as never;
      expect(retryAfterMs(res({ 'retry-after': '2' }))).to.equal(2250);
      expect(retryAfterMs(res({ 'x-sandbox-retry-after-ms': '20', 'retry-after': '5' }))).to.equal(40);
      const until = new Date(Date.now() + 10_000).toISOString();
      const fromUntil = retryAfterMs(res({ 'x-ratelimit': JSON.stringify({ remaining: 0, until }) }));
      expect(fromUntil).to.be.within(9000, 10_300);
      expect(retryAfterMs(res({}))).to.equal(60_000);
    });
  });

  describe('error codes a user can act on', () => {
    it('420 with X-Account-Limit is account_limit and names the limit', async () => {
      const { http } = fastTraktHttp();
      nock(API).post('/sync/watchlist').reply(420, '', { 'X-Account-Limit': '250', 'X-Upgrade-URL': 'https://trakt.tv/vip', 'X-VIP-User': 'false' });
      const error = await rejectionOf(http.post('/sync/watchlist', { movies: [] }));
      expect((error as ClawarrError).code).to.equal('account_limit');
      expect((error as ClawarrError).status).to.equal(420);
      expect(error.message).to.contain('250');
    });

    it('423 is account_locked', async () => {
      const { http } = fastTraktHttp();
      nock(API).post('/sync/history').reply(423, { error: 'locked' });
      const error = await rejectionOf(http.post('/sync/history', { movies: [] }));
      expect((error as ClawarrError).code).to.equal('account_locked');
      expect(error.message).to.contain('locked');
    });

    it('403 with an HTML body (Cloudflare) is blocked and not retried', async () => {
      const { http } = fastTraktHttp();
      const served = scripted('get', '/users/settings', 3, () => [403, '<html><body>Sorry, you have been blocked</body></html>', { 'Content-Type': 'text/html; charset=UTF-8' }]);
      const error = await rejectionOf(http.get('/users/settings'));
      expect((error as ClawarrError).code).to.equal('blocked');
      expect(error.message).to.contain('User-Agent');
      expect(error.message).not.to.contain('<html>');
      expect(served.hits).to.equal(1);
    });

    it('403 with JSON is a config problem (the API key)', async () => {
      const { http } = fastTraktHttp();
      nock(API).get('/users/settings').reply(403, { error: 'invalid api key' });
      const error = await rejectionOf(http.get('/users/settings'));
      expect((error as ClawarrError).code).to.equal('config');
    });

    it('401 keeps status 401 (so the session can refresh) and is not retried', async () => {
      const { http } = fastTraktHttp();
      const served = scripted('get', '/users/settings', 3, () => [401, { error: 'invalid_token' }]);
      const error = await rejectionOf(http.get('/users/settings'));
      expect(error).to.be.instanceOf(ClawarrError);
      expect(error).not.to.be.instanceOf(AuthRequiredError);
      expect((error as ClawarrError).status).to.equal(401);
      expect(served.hits).to.equal(1);
    });

    it('404 is not_found and includes the server message', async () => {
      const { http } = fastTraktHttp();
      nock(API).get('/movies/nope').reply(404, { error: 'movie not found' });
      const error = await rejectionOf(http.get('/movies/nope'));
      expect((error as ClawarrError).code).to.equal('not_found');
      expect(error.message).to.contain('GET /movies/nope');
      expect(error.message).to.contain('movie not found');
    });
  });

  describe('secrets never appear in errors', () => {
    const KEY = 'SECRET123456';
    const TOKEN = 'TOKEN123456';
    const url = `/search/movie?apikey=${KEY}`;
    const headers = { Authorization: `Bearer ${TOKEN}` };

    function expectClean(error: Error): void {
      for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error)]) {
        expect(text).not.to.contain(KEY);
        expect(text).not.to.contain(TOKEN);
      }
    }

    it('on a 404', async () => {
      const { http } = fastTraktHttp();
      nock(API).get('/search/movie').query(true).reply(404, { error: 'nothing' });
      const error = await rejectionOf(http.get(url, { headers }));
      expect((error as ClawarrError).code).to.equal('not_found');
      expect(error.message).to.contain('/search/movie');
      expectClean(error);
    });

    it('on a 400 whose body echoes the request', async () => {
      const { http } = fastTraktHttp();
      nock(API)
        .get('/search/movie')
        .query(true)
        .reply(400, { error: 'bad request', error_description: `got Authorization: Bearer ${TOKEN} for ${url}` });
      const error = await rejectionOf(http.get(url, { headers }));
      expect((error as ClawarrError).code).to.equal('bad_request');
      expectClean(error);
    });

    it('on 5xx after the retries', async () => {
      const { http } = fastTraktHttp();
      nock(API).get('/search/movie').query(true).times(3).reply(502, 'bad gateway');
      const error = await rejectionOf(http.get(url, { headers }));
      expect((error as ClawarrError).code).to.equal('server_error');
      expectClean(error);
    });

    it('on a network error whose message carries the URL', async () => {
      const { http } = fastTraktHttp();
      nock(API)
        .post('/sync/history')
        .query(true)
        .replyWithError(new Error(`request to ${API}${url} failed, Authorization: Bearer ${TOKEN}`));
      const error = await rejectionOf(http.post(url.replace('/search/movie', '/sync/history'), {}, { headers }));
      expect(error).to.be.instanceOf(UncertainWriteError);
      expect(error.message).to.contain('failed (request to');
      expect(error.message).to.contain('apikey=***');
      expectClean(error);
    });

    it('a registered secret is masked even in a plain error body', async () => {
      registerSecret('registered-secret-value-42');
      const { http } = fastTraktHttp();
      nock(API).get('/users/settings').reply(400, 'client registered-secret-value-42 is not allowed');
      const error = await rejectionOf(http.get('/users/settings'));
      expect(error.message).not.to.contain('registered-secret-value-42');
      expect(error.message).to.contain('***');
    });
  });

  describe('X-Ratelimit from successful reads', () => {
    it('remaining 0 with until in the future pauses the gate', async () => {
      const { http, limiter } = fastTraktHttp();
      const until = new Date(Date.now() + 5000).toISOString();
      nock(API)
        .get('/users/settings')
        .reply(200, { user: { username: 'alice' } }, { 'X-Ratelimit': JSON.stringify({ name: 'AUTHED_API_GET_LIMIT', period: 300, limit: 1000, remaining: 0, until }) });
      await http.get('/users/settings');
      // observe() runs asynchronously after the response.
      await new Promise((r) => setTimeout(r, 20));
      expect(limiter.gate.remainingMs()).to.be.greaterThan(3000);
      await limiter.stop();
    });
  });
});
