import { expect } from 'chai';
import nock from 'nock';
import type { StoredTokens } from '../../lib/store/token-store';
import { DeviceAuthorization, type DeviceState, type DeviceStatus } from '../../lib/trakt/device-authorization';
import { API, APP, fastTraktHttp, sleep, useOfflineNock } from './helpers';

const DEVICE_CODE = 'd9c126a7706328d808914cfd1e40274b6e009f684b1aca271b9b3f90b3630d64';
const USER_CODE = '5055CC52';

function deviceCodeReply(expiresIn = 600) {
  return { device_code: DEVICE_CODE, user_code: USER_CODE, verification_url: 'https://trakt.tv/activate', expires_in: expiresIn, interval: 5 };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

interface Poll {
  at: number;
  body: Record<string, unknown>;
}

/** Nock the device token endpoint with a scripted list of statuses (the last one repeats). */
function scriptPolls(statuses: Array<number | [number, unknown]>): Poll[] {
  const polls: Poll[] = [];
  nock(API)
    .post('/oauth/device/token')
    .times(1000)
    .reply((_uri, body) => {
      polls.push({ at: Date.now(), body: body as Record<string, unknown> });
      const step = statuses[Math.min(polls.length - 1, statuses.length - 1)];
      return Array.isArray(step) ? [step[0], step[1] as nock.Body] : [step, ''];
    });
  return polls;
}

function expectNoDeviceCode(status: DeviceStatus): void {
  expect(JSON.stringify(status)).not.to.contain(DEVICE_CODE);
}

describe('lib/trakt/device-authorization (DeviceAuthorization)', () => {
  const running: DeviceAuthorization[] = [];
  afterEach(() => running.splice(0).forEach((d) => d.cancel()));
  useOfflineNock();

  function create(onAuthorized: (tokens: StoredTokens) => Promise<string | undefined> = async () => 'alice'): DeviceAuthorization {
    const { http } = fastTraktHttp();
    const device = new DeviceAuthorization({ http, app: APP, onAuthorized, pollIntervalMs: 10 });
    running.push(device);
    return device;
  }

  it('pending → slow down → approved: hands the tokens over and shows the username', async () => {
    let codeRequest: Record<string, unknown> | undefined;
    nock(API)
      .post('/oauth/device/code', (body: Record<string, unknown>) => {
        codeRequest = body;
        return true;
      })
      .reply(200, deviceCodeReply());
    const created = Math.floor(Date.now() / 1000);
    const polls = scriptPolls([
      400,
      429,
      [200, { access_token: 'device-access-1', token_type: 'bearer', expires_in: 86_400, refresh_token: 'device-refresh-1', scope: 'public', created_at: created }],
    ]);
    const received: StoredTokens[] = [];
    const device = create(async (tokens) => {
      received.push(tokens);
      return 'alice';
    });

    const first = await device.start();
    expect(codeRequest).to.deep.equal({ client_id: APP.clientId });
    expect(first.state).to.equal('pending');
    expect(first.userCode).to.equal(USER_CODE);
    expect(first.verificationUrl).to.equal(`https://trakt.tv/activate/${USER_CODE}`);
    expect(first.expiresIn).to.be.within(598, 600);
    expectNoDeviceCode(first);

    await until(() => device.current().state !== 'pending');
    const done = device.current();
    expect(done).to.include({ state: 'authorized', username: 'alice', message: 'authorized as alice' });
    expectNoDeviceCode(done);
    expect(received).to.have.length(1);
    expect(received[0]).to.include({ accessToken: 'device-access-1', refreshToken: 'device-refresh-1', createdAt: created, expiresAt: created + 86_400 });
    expect(polls).to.have.length(3);
    expect(polls[0].body).to.deep.equal({ code: DEVICE_CODE, client_id: APP.clientId, client_secret: APP.clientSecret });
    // After "slow down" the interval grows (10 ms → 20 ms).
    expect(polls[2].at - polls[1].at).to.be.at.least(18);

    await sleep(50);
    expect(polls, 'no poll after approval').to.have.length(3);
  });

  const failures: Array<[number, DeviceState, string]> = [
    [404, 'invalid', '404'],
    [409, 'used', 'already used'],
    [410, 'expired', 'expired'],
    [418, 'denied', 'denied'],
  ];
  for (const [status, state, words] of failures) {
    it(`${status} ends in state "${state}" with a message and no further polls`, async () => {
      nock(API).post('/oauth/device/code').reply(200, deviceCodeReply());
      const polls = scriptPolls([400, status]);
      let authorized = 0;
      const device = create(async () => {
        authorized += 1;
        return 'x';
      });
      await device.start();
      await until(() => device.current().state !== 'pending');
      const final = device.current();
      expect(final.state).to.equal(state);
      expect(final.message).to.be.a('string').and.contain(words);
      expect(final.userCode).to.equal(USER_CODE);
      expectNoDeviceCode(final);
      const count = polls.length;
      expect(count).to.equal(2);
      await sleep(60);
      expect(polls.length).to.equal(count);
      expect(authorized).to.equal(0);
    });
  }

  it('401 on the poll ends in "error" naming the client id or secret', async () => {
    nock(API).post('/oauth/device/code').reply(200, deviceCodeReply());
    const polls = scriptPolls([401]);
    const device = create();
    await device.start();
    await until(() => device.current().state !== 'pending');
    expect(device.current().state).to.equal('error');
    expect(device.current().message).to.contain('client id or secret');
    await sleep(40);
    expect(polls).to.have.length(1);
  });

  it('cancel() stops polling', async () => {
    nock(API).post('/oauth/device/code').reply(200, deviceCodeReply());
    const polls = scriptPolls([400]);
    const device = create();
    await device.start();
    await until(() => polls.length >= 2);
    device.cancel();
    const count = polls.length;
    await sleep(60);
    expect(polls.length).to.equal(count);
    expect(device.current().state).to.equal('cancelled');
    expectNoDeviceCode(device.current());
  });

  it('stops with "expired" once expires_in has passed, without polling', async () => {
    nock(API).post('/oauth/device/code').reply(200, deviceCodeReply(0));
    const polls = scriptPolls([400]);
    const device = create();
    await device.start();
    await until(() => device.current().state !== 'pending');
    expect(device.current().state).to.equal('expired');
    expect(polls).to.have.length(0);
  });

  it('reports an error when the approved tokens cannot be saved', async () => {
    nock(API).post('/oauth/device/code').reply(200, deviceCodeReply());
    scriptPolls([[200, { access_token: 'device-access-2', token_type: 'bearer', expires_in: 60, refresh_token: 'device-refresh-2', scope: 'public', created_at: 1 }]]);
    const device = create(async () => {
      throw new Error('disk full');
    });
    await device.start();
    await until(() => device.current().state !== 'pending');
    expect(device.current().state).to.equal('error');
    expect(device.current().message).to.contain('disk full');
  });
});

describe('lib/core/device-poll: cancel while the code is being asked for', () => {
  it('does not start polling after start() returns', async () => {
    let polls = 0;
    const auth = new DeviceAuthorization({
      http: {
        post: async () => {
          await new Promise((r) => setTimeout(r, 20));
          return { data: { device_code: 'dev', user_code: 'USER1234', verification_url: 'https://trakt.tv/activate', expires_in: 600, interval: 5 } };
        },
        axios: { post: async () => ((polls += 1), { status: 400, data: {} }) },
      } as never,
      app: { clientId: 'id', clientSecret: 'secret' },
      pollIntervalMs: 5,
      onAuthorized: async () => 'user',
    });
    const started = auth.start();
    auth.cancel();
    const status = await started;
    await new Promise((r) => setTimeout(r, 50));
    expect(status.state).to.equal('cancelled');
    expect(polls).to.equal(0);
  });
});
