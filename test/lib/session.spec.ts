import { expect } from 'chai';
import nock from 'nock';
import { AuthRequiredError, ClawarrError } from '../../lib/core/errors';
import { redact } from '../../lib/core/redact';
import type { StoredTokens } from '../../lib/store/token-store';
import { TraktClient } from '../../lib/trakt/client';
import { TraktSession, type AuthState } from '../../lib/trakt/session';
import { API, APP, fastTraktHttp, rejectionOf, sleep, useOfflineNock } from './helpers';

const nowSec = () => Math.floor(Date.now() / 1000);

interface Harness {
  session: TraktSession;
  client: TraktClient;
  persisted: StoredTokens[];
  events: string[];
  states: AuthState[];
}

function setup(tokens: StoredTokens | undefined, persistDelayMs = 0): Harness {
  const { http } = fastTraktHttp();
  const persisted: StoredTokens[] = [];
  const events: string[] = [];
  const states: AuthState[] = [];
  const session = new TraktSession(http, {
    app: APP,
    tokens,
    persist: async (t) => {
      if (persistDelayMs) await sleep(persistDelayMs);
      persisted.push({ ...t });
      events.push(`persist:${t.accessToken}`);
    },
  });
  session.on('state', (s: AuthState) => states.push(s));
  return { session, client: new TraktClient(http, session), persisted, events, states };
}

function tokenReply(access: string, refresh: string, createdAt: number, expiresIn = 86_400) {
  return { access_token: access, token_type: 'bearer', expires_in: expiresIn, refresh_token: refresh, scope: 'public', created_at: createdAt };
}

describe('lib/trakt/session (TraktSession)', () => {
  useOfflineNock();

  it('uses the current token without refreshing while it is far from expiry', async () => {
    const h = setup({ accessToken: 'access-fresh-1', refreshToken: 'refresh-fresh-1', expiresAt: nowSec() + 86_400, username: 'alice' });
    const settings = nock(API).get('/users/settings').matchHeader('authorization', 'Bearer access-fresh-1').reply(200, { user: { username: 'alice' } });
    const refresh = nock(API).post('/oauth/token').reply(200, tokenReply('x', 'y', nowSec()));
    const result = await h.client.settings();
    expect(result.user.username).to.equal('alice');
    expect(settings.isDone()).to.equal(true);
    expect(refresh.isDone()).to.equal(false);
    expect(h.persisted).to.deep.equal([]);
  });

  describe('proactive refresh', () => {
    it('refreshes a token that expires within the margin, persists the new pair, then calls with it', async () => {
      const created = nowSec();
      const h = setup({ accessToken: 'access-old-1', refreshToken: 'refresh-old-1', expiresAt: nowSec() + 600, createdAt: created - 86_000, username: 'alice' }, 25);
      let refreshBody: Record<string, unknown> | undefined;
      nock(API)
        .post('/oauth/token', (body: Record<string, unknown>) => {
          refreshBody = body;
          return true;
        })
        .reply(() => {
          h.events.push('refresh');
          return [200, tokenReply('access-new-1', 'refresh-new-1', created, 86_400)];
        });
      nock(API)
        .get('/users/settings')
        .matchHeader('authorization', 'Bearer access-new-1')
        .reply(() => {
          h.events.push('api');
          return [200, { user: { username: 'alice' } }];
        });

      await h.client.settings();

      expect(refreshBody).to.deep.equal({
        refresh_token: 'refresh-old-1',
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
        grant_type: 'refresh_token',
      });
      // The old refresh token is revoked by now: the new pair must be on disk before it is used.
      expect(h.events).to.deep.equal(['refresh', 'persist:access-new-1', 'api']);
      expect(h.persisted).to.have.length(1);
      expect(h.persisted[0]).to.include({
        accessToken: 'access-new-1',
        refreshToken: 'refresh-new-1',
        createdAt: created,
        expiresAt: created + 86_400,
        username: 'alice',
      });
      expect(h.session.state).to.equal('authorized');
      expect(h.states).to.deep.equal(['refreshing', 'authorized']);
    });

    it('two calls that both find the token expiring share one refresh', async () => {
      const h = setup({ accessToken: 'access-old-2', refreshToken: 'refresh-old-2', expiresAt: nowSec() - 10 });
      let refreshes = 0;
      nock(API)
        .post('/oauth/token')
        .times(3)
        .delay(20)
        .reply(() => {
          refreshes += 1;
          return [200, tokenReply(`access-new-2-${refreshes}`, `refresh-new-2-${refreshes}`, nowSec())];
        });
      nock(API).get('/users/settings').times(2).matchHeader('authorization', 'Bearer access-new-2-1').reply(200, { user: { username: 'bob' } });
      await Promise.all([h.client.settings(), h.client.settings()]);
      expect(refreshes).to.equal(1);
      expect(h.persisted.map((t) => t.accessToken)).to.deep.equal(['access-new-2-1']);
    });
  });

  describe('401 on a call', () => {
    it('refreshes once and retries the call once with the new token', async () => {
      const h = setup({ accessToken: 'access-old-3', refreshToken: 'refresh-old-3', expiresAt: nowSec() + 86_400 });
      const calls: string[] = [];
      nock(API)
        .get('/users/settings')
        .times(3)
        .reply(function () {
          const auth = String(this.req.headers.authorization);
          calls.push(auth);
          return auth === 'Bearer access-new-3' ? [200, { user: { username: 'carol' } }] : [401, { error: 'invalid_token' }];
        });
      let refreshes = 0;
      nock(API)
        .post('/oauth/token', (body: Record<string, unknown>) => body.refresh_token === 'refresh-old-3')
        .reply(() => {
          refreshes += 1;
          return [200, tokenReply('access-new-3', 'refresh-new-3', nowSec())];
        });
      const result = await h.client.settings();
      expect(result.user.username).to.equal('carol');
      expect(calls).to.deep.equal(['Bearer access-old-3', 'Bearer access-new-3']);
      expect(refreshes).to.equal(1);
      expect(h.persisted.map((t) => t.accessToken)).to.deep.equal(['access-new-3']);
    });

    it('a second 401 after the retry is not retried again', async () => {
      const h = setup({ accessToken: 'access-old-4', refreshToken: 'refresh-old-4', expiresAt: nowSec() + 86_400 });
      let apiCalls = 0;
      nock(API)
        .get('/users/settings')
        .times(5)
        .reply(() => {
          apiCalls += 1;
          return [401, { error: 'invalid_token' }];
        });
      let refreshes = 0;
      nock(API)
        .post('/oauth/token')
        .times(5)
        .reply(() => {
          refreshes += 1;
          return [200, tokenReply(`access-new-4-${refreshes}`, `refresh-new-4-${refreshes}`, nowSec())];
        });
      const error = await rejectionOf(h.client.settings());
      expect((error as ClawarrError).status).to.equal(401);
      expect(apiCalls).to.equal(2);
      expect(refreshes).to.equal(1);
    });

    it('two concurrent calls that both get 401 cause exactly one refresh (single flight)', async () => {
      const h = setup({ accessToken: 'access-old-5', refreshToken: 'refresh-old-5', expiresAt: nowSec() + 86_400 });
      const seen: string[] = [];
      nock(API)
        .get('/users/settings')
        .times(6)
        .reply(function () {
          const auth = String(this.req.headers.authorization);
          seen.push(auth);
          return auth === 'Bearer access-new-5' ? [200, { user: { username: 'dave' } }] : [401, { error: 'invalid_token' }];
        });
      let refreshes = 0;
      nock(API)
        .post('/oauth/token')
        .times(3)
        .delay(30)
        .reply(() => {
          refreshes += 1;
          // A second refresh with the (now revoked) old refresh token would fail on real Trakt.
          return refreshes === 1 ? [200, tokenReply('access-new-5', 'refresh-new-5', nowSec())] : [401, { error: 'invalid_grant' }];
        });
      const [a, b] = await Promise.all([h.client.settings(), h.client.settings()]);
      expect(a.user.username).to.equal('dave');
      expect(b.user.username).to.equal('dave');
      expect(refreshes).to.equal(1);
      expect(seen.filter((s) => s === 'Bearer access-old-5')).to.have.length(2);
      expect(h.session.state).to.equal('authorized');
    });

    it('a 401 without a refresh token asks for re-authorization', async () => {
      const h = setup({ accessToken: 'access-only-6' });
      nock(API).get('/users/settings').reply(401, { error: 'invalid_token' });
      const error = await rejectionOf(h.client.settings());
      expect(error).to.be.instanceOf(AuthRequiredError);
      expect(h.session.state).to.equal('reauth_required');
    });
  });

  describe('rejected refresh token', () => {
    it('401 invalid_grant on refresh → AuthRequiredError, state reauth_required, later calls fail without any request', async () => {
      const h = setup({ accessToken: 'access-old-7', refreshToken: 'refresh-old-7', expiresAt: nowSec() + 86_400 });
      nock(API).get('/users/settings').reply(401, { error: 'invalid_token' });
      nock(API).post('/oauth/token').reply(401, {
        error: 'invalid_grant',
        error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
      });
      const error = await rejectionOf(h.client.settings());
      expect(error).to.be.instanceOf(AuthRequiredError);
      expect((error as ClawarrError).code).to.equal('auth_required');
      expect(error.message).to.contain('authorize again');
      expect(h.session.state).to.equal('reauth_required');
      expect(h.states).to.deep.equal(['refreshing', 'reauth_required']);
      expect(h.persisted).to.deep.equal([]);

      let later = 0;
      nock(API)
        .get('/users/settings')
        .times(2)
        .reply(() => {
          later += 1;
          return [200, { user: { username: 'x' } }];
        });
      nock(API)
        .post('/oauth/token')
        .times(2)
        .reply(() => {
          later += 1;
          return [200, tokenReply('x', 'y', nowSec())];
        });
      const again = await rejectionOf(h.client.settings());
      expect(again).to.be.instanceOf(AuthRequiredError);
      expect(later).to.equal(0);
    });

    it('proactive refresh answered 400 also ends in reauth_required', async () => {
      const h = setup({ accessToken: 'access-old-8', refreshToken: 'refresh-old-8', expiresAt: nowSec() + 60 });
      nock(API).post('/oauth/token').reply(400, { error: 'invalid_request' });
      const error = await rejectionOf(h.client.settings());
      expect(error).to.be.instanceOf(AuthRequiredError);
      expect(h.session.state).to.equal('reauth_required');
    });

    it('a refresh that fails for another reason (5xx) keeps the session authorized', async () => {
      const h = setup({ accessToken: 'access-old-9', refreshToken: 'refresh-old-9', expiresAt: nowSec() + 60 });
      nock(API).post('/oauth/token').reply(503, 'overloaded');
      const error = await rejectionOf(h.client.settings());
      expect(error).to.be.instanceOf(ClawarrError);
      expect(error).not.to.be.instanceOf(AuthRequiredError);
      expect(h.session.state).to.equal('authorized');
    });

    it('setTokens after reauth_required makes the session usable again', async () => {
      const h = setup({ accessToken: 'access-old-10' });
      nock(API).get('/users/settings').reply(401, {});
      await rejectionOf(h.client.settings());
      expect(h.session.state).to.equal('reauth_required');
      await h.session.setTokens({ accessToken: 'access-pasted-10', refreshToken: 'refresh-pasted-10', expiresAt: nowSec() + 86_400 });
      nock(API).get('/users/settings').matchHeader('authorization', 'Bearer access-pasted-10').reply(200, { user: { username: 'erin' } });
      expect((await h.client.settings()).user.username).to.equal('erin');
      expect(h.session.state).to.equal('authorized');
      expect(h.persisted.map((t) => t.accessToken)).to.deep.equal(['access-pasted-10']);
    });
  });

  it('without tokens a call fails with AuthRequiredError and sends nothing', async () => {
    const h = setup(undefined);
    expect(h.session.state).to.equal('unauthorized');
    const error = await rejectionOf(h.client.settings());
    expect(error).to.be.instanceOf(AuthRequiredError);
    expect(error.message).to.contain('not authorized yet');
  });

  it('tokens received by a refresh are masked by redact()', async () => {
    const h = setup({ accessToken: 'access-old-11', refreshToken: 'refresh-old-11', expiresAt: nowSec() - 1 });
    nock(API).post('/oauth/token').reply(200, tokenReply('brand-new-access-11', 'brand-new-refresh-11', nowSec()));
    nock(API).get('/users/settings').reply(200, { user: { username: 'f' } });
    await h.client.settings();
    const text = redact('a=brand-new-access-11 b=brand-new-refresh-11 c=access-old-11');
    expect(text).not.to.contain('brand-new-access-11');
    expect(text).not.to.contain('brand-new-refresh-11');
    expect(text).not.to.contain('access-old-11');
  });
});
