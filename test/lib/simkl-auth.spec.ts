import { expect } from 'chai';
import nock from 'nock';
import { AuthRequiredError, ClawarrError } from '../../lib/core/errors';
import { SimklClient } from '../../lib/simkl/client';
import { authorizeUrl, exchangeCode } from '../../lib/simkl/oauth';
import { PinAuthorization, type DeviceStatus } from '../../lib/simkl/pin-authorization';
import { SimklSession, type SimklAuthState, type SimklTokens } from '../../lib/simkl/session';
import { rejectionOf, sleep } from './helpers';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0002';
const SECRET = 'simkl-client-secret-0002';
const APP = { clientId: CLIENT_ID, clientSecret: SECRET };
const REQUIRED = simklRequired(CLIENT_ID);
const PIN = fixture('oauth_pin.response.json');
const USER_CODE = String(PIN.user_code);
const DEVICE_CODE = String(PIN.device_code);

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('lib/simkl session, PIN and code flow', () => {
  const running: PinAuthorization[] = [];
  afterEach(() => running.splice(0).forEach((p) => p.cancel()));
  const { http } = simklTestbed(CLIENT_ID);

  describe('SimklSession', () => {
    function setup(tokens?: SimklTokens) {
      const persisted: SimklTokens[] = [];
      const states: SimklAuthState[] = [];
      const session = new SimklSession({ app: APP, tokens, persist: (t) => void persisted.push({ ...t }) });
      session.on('state', (s: SimklAuthState) => states.push(s));
      return { session, client: new SimklClient(http(), session), persisted, states };
    }

    it('a 401 ends in reauth_required at once: one request, no refresh, later calls refused without a request', async () => {
      const h = setup({ accessToken: 'revoked-token-1', username: 'alice' });
      let calls = 0;
      nock(API)
        .get('/users/settings')
        .query(true)
        .times(5)
        .reply(() => {
          calls += 1;
          return [401, { error: 'user_token_failed', code: 401 }];
        });
      const refresh = nock(API).post('/oauth/token').query(true).reply(200, {});
      const first = await rejectionOf(h.client.settings());
      expect(first).to.be.instanceOf(AuthRequiredError);
      expect(h.session.state).to.equal('reauth_required');
      expect(h.states).to.deep.equal(['reauth_required']);
      const second = await rejectionOf(h.client.settings());
      expect(second).to.be.instanceOf(AuthRequiredError);
      expect(calls).to.equal(1);
      expect(refresh.isDone()).to.equal(false);
    });

    it('without a token it is unauthorized and says how to authorize, sending nothing', async () => {
      const h = setup();
      expect(h.session.state).to.equal('unauthorized');
      const error = await rejectionOf(h.client.settings());
      expect(error).to.be.instanceOf(AuthRequiredError);
      expect(error.message).to.contain('simkl-config');
    });

    it('setTokens persists and authorizes again after a revocation', async () => {
      const h = setup({ accessToken: 'revoked-token-2' });
      nock(API).get('/users/settings').query(true).reply(401, { error: 'user_token_failed', code: 401 });
      await rejectionOf(h.client.settings());
      await h.session.setTokens({ accessToken: 'fresh-token-2', createdAt: 1 });
      expect(h.session.state).to.equal('authorized');
      expect(h.states).to.deep.equal(['reauth_required', 'authorized']);
      expect(h.persisted.at(-1)).to.include({ accessToken: 'fresh-token-2' });
      nock(API).get('/users/settings').matchHeader('authorization', 'Bearer fresh-token-2').query(true).reply(200, { user: { name: 'Alice' }, account: { id: 7 } });
      expect((await h.client.settings()).account?.id).to.equal(7);
    });

    it('accountKey asks Simkl once, keys by account id and keeps name and id with the token', async () => {
      const h = setup({ accessToken: 'key-token-3' });
      const scope = nock(API).get('/users/settings').query(REQUIRED).reply(200, { user: { name: 'Alice' }, account: { id: 51 } });
      expect(await h.client.accountKey()).to.equal('simkl:51');
      expect(await h.client.accountKey()).to.equal('simkl:51');
      expect(scope.isDone()).to.equal(true);
      expect(h.persisted).to.have.length(1);
      expect(h.persisted[0]).to.include({ accessToken: 'key-token-3', username: 'Alice', accountId: 51 });
      expect(h.session.username).to.equal('Alice');
      // A new authorization (another account, perhaps) is asked again.
      await h.session.setTokens({ accessToken: 'key-token-4' });
      nock(API).get('/users/settings').query(true).reply(200, { user: { name: 'Bob' }, account: { id: 52 } });
      expect(await h.client.accountKey()).to.equal('simkl:52');
    });
  });

  describe('PinAuthorization', () => {
    function create(onAuthorized: (tokens: SimklTokens) => Promise<string | undefined> = async () => 'alice'): PinAuthorization {
      const pin = new PinAuthorization({ http: http(), app: { clientId: CLIENT_ID }, onAuthorized, pollIntervalMs: 10 });
      running.push(pin);
      return pin;
    }

    /** Nock the poll endpoint with scripted bodies (the last one repeats). */
    function scriptPolls(bodies: Array<Record<string, unknown>>): number[] {
      const at: number[] = [];
      nock(API)
        .get(`/oauth/pin/${USER_CODE}`)
        .query(REQUIRED)
        .times(1000)
        .reply(() => {
          at.push(Date.now());
          return [200, bodies[Math.min(at.length - 1, bodies.length - 1)]];
        });
      return at;
    }

    function expectNoDeviceCode(status: DeviceStatus): void {
      expect(JSON.stringify(status)).not.to.contain(DEVICE_CODE);
    }

    it('pending → slow down → OK: hands the token over, polls slower after "Slow down", never shows the device code', async () => {
      const init = nock(API).get('/oauth/pin').query(REQUIRED).reply(200, PIN);
      const polls = scriptPolls([fixture('oauth_pin_poll.pending.json'), fixture('oauth_pin_poll.slow_down.json'), fixture('oauth_pin_poll.ok.json')]);
      const received: SimklTokens[] = [];
      const pin = create(async (tokens) => {
        received.push(tokens);
        return 'alice';
      });
      const first = await pin.start();
      expect(init.isDone()).to.equal(true);
      expect(first).to.include({ state: 'pending', userCode: USER_CODE, verificationUrl: `https://simkl.com/pin/${USER_CODE}` });
      expect(first.expiresIn).to.be.within(898, 900);
      expectNoDeviceCode(first);

      await until(() => pin.current().state !== 'pending');
      expect(pin.current()).to.include({ state: 'authorized', username: 'alice', message: 'authorized as alice' });
      expectNoDeviceCode(pin.current());
      expect(received).to.have.length(1);
      expect(received[0].accessToken).to.equal(fixture('oauth_pin_poll.ok.json').access_token);
      expect(received[0].refreshToken).to.equal(undefined);
      expect(polls).to.have.length(3);
      // After "Slow down" the interval grows (10 ms → 20 ms).
      expect(polls[2] - polls[1]).to.be.at.least(18);
      await sleep(50);
      expect(polls, 'no poll after approval').to.have.length(3);
    });

    it('a fresh init answer (the code is gone) ends in "expired" without showing the new device code', async () => {
      nock(API).get('/oauth/pin').query(true).reply(200, PIN);
      const fresh = { ...PIN, device_code: 'NEW-DEVICE-CODE-9', user_code: 'ZZZ999' };
      const polls = scriptPolls([fixture('oauth_pin_poll.pending.json'), fresh]);
      let authorized = 0;
      const pin = create(async () => {
        authorized += 1;
        return 'x';
      });
      await pin.start();
      await until(() => pin.current().state !== 'pending');
      const final = pin.current();
      expect(final).to.include({ state: 'expired', message: 'the code expired or was refused; start again', userCode: USER_CODE });
      expect(JSON.stringify(final)).not.to.contain('NEW-DEVICE-CODE-9').and.not.to.contain('ZZZ999');
      await sleep(50);
      expect(polls).to.have.length(2);
      expect(authorized).to.equal(0);
    });

    it('cancel() stops polling', async () => {
      nock(API).get('/oauth/pin').query(true).reply(200, PIN);
      const polls = scriptPolls([fixture('oauth_pin_poll.pending.json')]);
      const pin = create();
      await pin.start();
      await until(() => polls.length >= 2);
      pin.cancel();
      const count = polls.length;
      await sleep(60);
      expect(polls.length).to.equal(count);
      expect(pin.current().state).to.equal('cancelled');
    });

    it('stops with "expired" once expires_in has passed, without polling', async () => {
      nock(API).get('/oauth/pin').query(true).reply(200, { ...PIN, expires_in: 0.001 });
      const polls = scriptPolls([fixture('oauth_pin_poll.pending.json')]);
      const pin = create();
      await pin.start();
      await until(() => pin.current().state !== 'pending');
      expect(pin.current().state).to.equal('expired');
      expect(polls).to.have.length(0);
    });

    it('a 412 on the poll ends in "error" naming the client id', async () => {
      nock(API).get('/oauth/pin').query(true).reply(200, PIN);
      nock(API).get(`/oauth/pin/${USER_CODE}`).query(true).reply(412, fixture('error_412.json'));
      const pin = create();
      await pin.start();
      await until(() => pin.current().state !== 'pending');
      expect(pin.current().state).to.equal('error');
      expect(pin.current().message).to.contain('client id');
    });

    it('reports an error when the approved token cannot be saved', async () => {
      nock(API).get('/oauth/pin').query(true).reply(200, PIN);
      scriptPolls([fixture('oauth_pin_poll.ok.json')]);
      const pin = create(async () => {
        throw new Error('disk full');
      });
      await pin.start();
      await until(() => pin.current().state !== 'pending');
      expect(pin.current().state).to.equal('error');
      expect(pin.current().message).to.contain('disk full');
    });
  });

  describe('code flow', () => {
    it('authorizeUrl points at simkl.com (not the API host) with every parameter encoded', () => {
      const url = new URL(authorizeUrl({ clientId: CLIENT_ID, redirectUri: 'http://localhost:1880/simkl/callback?x=1', state: 'st@te 1' }));
      expect(`${url.origin}${url.pathname}`).to.equal('https://simkl.com/oauth/authorize');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: 'http://localhost:1880/simkl/callback?x=1', state: 'st@te 1' });
      expect(authorizeUrl({ clientId: 'c', redirectUri: 'r', state: 's', apiUrl: 'https://api.simkl.com/' })).to.match(/^https:\/\/simkl\.com\/oauth\/authorize\?/);
    });

    it('authorizeUrl uses the API host when it is not Simkl (the sandbox)', () => {
      const url = authorizeUrl({ clientId: 'c', redirectUri: 'r', state: 's', apiUrl: 'http://127.0.0.1:4567/' });
      expect(url).to.equal('http://127.0.0.1:4567/oauth/authorize?response_type=code&client_id=c&redirect_uri=r&state=s');
    });

    it('exchangeCode posts the code with the app credentials and returns the token', async () => {
      let body: Record<string, unknown> | undefined;
      nock(API)
        .post('/oauth/token', (b: Record<string, unknown>) => {
          body = b;
          return true;
        })
        .query(REQUIRED)
        .reply(201, fixture('oauth_token.response.json'));
      const before = Math.floor(Date.now() / 1000);
      const tokens = await exchangeCode(http(), APP, 'the-code-1', 'http://localhost/cb');
      expect(body).to.deep.equal({ code: 'the-code-1', client_id: CLIENT_ID, client_secret: SECRET, redirect_uri: 'http://localhost/cb', grant_type: 'authorization_code' });
      expect(tokens.accessToken).to.equal(fixture('oauth_token.response.json').access_token);
      expect(tokens.refreshToken).to.equal(undefined);
      expect(tokens.createdAt).to.be.at.least(before);
      expect(tokens.expiresAt).to.equal(tokens.createdAt! + 157_680_000);
    });

    it('a refused code (401 grant_error) is a clear sentence without the secret', async () => {
      nock(API).post('/oauth/token').query(true).reply(401, { error: 'grant_error' });
      const error = await rejectionOf(exchangeCode(http(), APP, 'bad-code', 'http://localhost/cb'));
      expect(error).to.be.instanceOf(ClawarrError);
      expect(error.message).to.contain('refused the authorization code');
      expect(error.message).not.to.contain(SECRET);
    });

    it('needs the client secret', async () => {
      const error = await rejectionOf(exchangeCode(http(), { clientId: CLIENT_ID }, 'code', 'http://localhost/cb'));
      expect(error.message).to.contain('client secret');
    });
  });
});
