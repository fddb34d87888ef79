// clawarr-trakt-config in a Node-RED runtime against the fake Trakt: the editor's "Authorize with
// Trakt" endpoints (device flow), token persistence, refresh and re-authorization as a user sees them.
import { expect } from 'chai';
import type { TraktSandbox } from '../sandbox';
import {
  addSecret,
  authEndpoints,
  authorizedCreds,
  CLIENT_ID,
  CLIENT_SECRET,
  collectOutputs,
  configFlow,
  errorsOf,
  helper,
  keyOf,
  leakedSecrets,
  load,
  moviePlay,
  requestsTo,
  sandboxPlayKeys,
  playKey,
  sleep,
  startSandbox,
  statusesOf,
  storedTokens,
  surfaceSize,
  syncFlow,
  tokensFile,
  useNodeRed,
  useSandbox,
  waitFor,
} from './harness';

const { start, status, settled, cancel } = authEndpoints('clawarr-trakt-config');

const deviceTokenPolls = (sb: TraktSandbox): number => requestsTo(sb, 'POST', '/oauth/device/token');

describe('nodes: clawarr-trakt-config', function () {
  this.timeout(10_000);
  let sb: TraktSandbox;

  useNodeRed();
  useSandbox(startSandbox, (started) => (sb = started));

  describe('1. authorize with Trakt (device flow)', () => {
    it('shows a user code and link, never the device code or secret, and stores the tokens once approved', async () => {
      await load(configFlow(sb.url));
      const started = await start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: sb.url });

      expect(started.state).to.equal('pending');
      expect(started.userCode).to.be.a('string').with.lengthOf(8);
      expect(started.verificationUrl).to.be.a('string');
      expect(started.verificationUrl!.endsWith(`/activate/${started.userCode}`), started.verificationUrl).to.equal(true);
      expect(started.expiresIn).to.be.a('number').above(0);
      const deviceCode = sb.state.deviceCodes.byUserCode(started.userCode!)!.deviceCode;
      const raw = JSON.stringify(started);
      expect(raw).not.to.include(deviceCode);
      expect(raw).not.to.include(CLIENT_SECRET);

      const pending = await status();
      expect(pending.state).to.equal('pending');
      expect(pending.userCode).to.equal(started.userCode);
      expect(JSON.stringify(pending)).not.to.include(deviceCode);

      expect(sb.state.approve(started.userCode!)).to.equal(true);
      const done = await settled();
      expect(done).to.include({ state: 'authorized', username: 'sandbox-user' });
      expect(JSON.stringify(done)).not.to.include(deviceCode);

      const file = tokensFile();
      expect(file.mode, 'tokens.json mode').to.equal(0o600);
      const saved = file.content.cfg;
      expect(saved, 'tokens.json has the cfg entry').to.be.an('object');
      expect(saved.accessToken).to.be.a('string');
      expect(saved.refreshToken).to.be.a('string');
      expect(saved.username).to.equal('sandbox-user');
      expect(sb.state.tokens.check(saved.accessToken!).ok, 'the stored access token works on Trakt').to.equal(true);

      const creds = helper.credentials.get('cfg') as { accessToken?: string; refreshToken?: string; expiresAt?: string };
      expect(creds.accessToken).to.equal(saved.accessToken);
      expect(creds.refreshToken).to.equal(saved.refreshToken);
      expect(Date.parse(creds.expiresAt!)).to.be.above(Date.now());
    });

    it('a deployed flow that was not authorized yet syncs right after approval, without a redeploy', async () => {
      await load(syncFlow(sb.url), { cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
      const out = collectOutputs();
      const s1 = helper.getNode('s1');
      const early = moviePlay(7, 7);
      s1.receive({ payload: early } as never);
      await waitFor(() => out.out2.length === 1, 'the play on output 2 before authorization');
      expect(out.out2[0].payload).to.deep.equal(early);
      expect((out.out2[0] as { reason?: string }).reason).to.match(/authori[sz]/i);
      expect(sb.state.plays).to.have.lengthOf(0);

      const started = await start({ clientId: CLIENT_ID, clientSecret: '__PWRD__', apiUrl: sb.url });
      sb.state.approve(started.userCode!);
      expect(await settled()).to.include({ state: 'authorized', username: 'sandbox-user' });
      await sleep(20);
      expect(keyOf(statusesOf(s1).at(-1)?.text), 'the sync node shows the account').to.equal('trakt-config.status.authorized');
      expect(statusesOf(s1).at(-1)?.text).to.include('sandbox-user');

      const play = moviePlay(8, 8);
      s1.receive({ payload: play } as never);
      await waitFor(() => out.out1.length === 2, 'the second summary');
      expect(out.out1[1].payload).to.include({ added: 1, failed: 0 });
      expect(sandboxPlayKeys(sb)).to.deep.equal([playKey(play)]);
    });
  });

  describe('2. every outcome of the device poll', () => {
    it('denied on Trakt → "denied" with a message', async () => {
      await load(configFlow(sb.url));
      const started = await start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: sb.url });
      expect(sb.state.deny(started.userCode!)).to.equal(true);
      const done = await settled();
      expect(done.state).to.equal('denied');
      expect(done.message).to.be.a('string').and.match(/denied/i);
      expect(storedTokens('cfg'), 'no tokens stored').to.equal(undefined);
    });

    it('code expired before approval → "expired"', async () => {
      const short = await startSandbox({ deviceCodeTtlSeconds: 1 });
      try {
        await load(configFlow(short.url));
        const started = await start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: short.url });
        expect(started.expiresIn).to.be.at.most(1);
        const done = await settled(4000);
        expect(done.state).to.equal('expired');
        expect(done.message).to.be.a('string').and.not.equal('');
        expect(short.state.approve(started.userCode!), 'the code can no longer be approved').to.equal(false);
      } finally {
        await short.close();
      }
    });

    it('polling too fast (429 slow down) is absorbed and still ends authorized', async () => {
      await load(configFlow(sb.url), {}, { devicePollMs: 5 });
      const started = await start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: sb.url });
      const slowDowns = () => sb.state.requestLog.filter((e) => e.path === '/oauth/device/token' && e.status === 429).length;
      await waitFor(() => slowDowns() > 0, 'a 429 slow-down answer to the device poll', 3000);
      expect((await status()).state, 'a slow-down does not end the authorization').to.equal('pending');
      sb.state.approve(started.userCode!);
      const done = await settled();
      expect(done).to.include({ state: 'authorized', username: 'sandbox-user' });
      expect(storedTokens('cfg')?.accessToken).to.be.a('string');
    });

    it('cancel → "cancelled", and no further polls reach Trakt', async () => {
      await load(configFlow(sb.url));
      const started = await start({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: sb.url });
      await waitFor(() => deviceTokenPolls(sb) >= 2, 'two device polls');
      expect((await cancel()).state).to.equal('cancelled');
      expect((await status()).state, 'the status no longer says pending').not.to.equal('pending');

      await sleep(50); // a poll already on the wire may still land
      const polls = deviceTokenPolls(sb);
      sb.state.approve(started.userCode!); // approving afterwards must not authorize anything
      await sleep(300);
      expect(deviceTokenPolls(sb), 'device polls after cancel').to.equal(polls);
      expect(storedTokens('cfg'), 'no tokens stored after cancel').to.equal(undefined);
    });

    it('missing client id or secret → 400 with a message', async () => {
      await load(configFlow(sb.url));
      for (const body of [{}, { clientId: CLIENT_ID, apiUrl: sb.url }, { clientSecret: CLIENT_SECRET, apiUrl: sb.url }, { clientId: CLIENT_ID, clientSecret: '__PWRD__', apiUrl: sb.url }]) {
        const answer = (await start(body, 400)) as unknown as { message?: string };
        expect(answer.message, JSON.stringify(body)).to.be.a('string').and.not.equal('');
      }
      expect(deviceTokenPolls(sb) + requestsTo(sb, 'POST', '/oauth/device/code'), 'nothing sent to Trakt').to.equal(0);
    });

    it('the "__PWRD__" placeholder falls back to the saved client secret', async () => {
      await load(configFlow(sb.url), { cfg: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
      const started = await start({ clientId: CLIENT_ID, clientSecret: '__PWRD__', apiUrl: sb.url });
      expect(started.state).to.equal('pending');
      sb.state.approve(started.userCode!);
      // The sandbox checks the secret on every device poll: only the saved one gets tokens.
      const done = await settled();
      expect(done).to.include({ state: 'authorized', username: 'sandbox-user' });
    });
  });

  describe('3. already authorized', () => {
    it('the status endpoint of a deployed node with tokens answers "authorized"', async () => {
      const creds = authorizedCreds(sb);
      await load(configFlow(sb.url), { cfg: creds });
      const answer = await status();
      expect(answer.state).to.equal('authorized');
      expect(JSON.stringify(answer)).not.to.include(creds.accessToken!);
      expect(JSON.stringify(answer)).not.to.include(creds.refreshToken!);
    });
  });

  describe('4. re-authorization required', () => {
    it('a rejected refresh token turns the node red, routes the play to output 2, and stops calling Trakt', async () => {
      const creds = authorizedCreds(sb);
      creds.refreshToken = 'never-issued-refresh-token-0123456789abcdef';
      addSecret(creds.refreshToken);
      sb.state.expireAccessTokens();
      await load(syncFlow(sb.url), { cfg: creds });
      const out = collectOutputs();
      const s1 = helper.getNode('s1');
      const play = moviePlay(0, 0);

      s1.receive({ payload: play } as never);
      await waitFor(() => out.out2.length === 1, 'the play on output 2');
      const notSynced = out.out2[0] as { payload: unknown; reason?: string };
      expect(notSynced.payload).to.deep.equal(play);
      expect(notSynced.reason).to.match(/re-?authori[sz]/i);
      expect(out.out1.map((m) => (m.payload as { added: number }).added), 'nothing added').to.deep.equal([0]);
      await waitFor(() => statusesOf(s1).length > 0 && /reauth/.test(keyOf(statusesOf(s1).at(-1)?.text)), 'a re-authorization status');
      const last = statusesOf(s1).at(-1)!;
      expect(['sync-history.status.reauth', 'trakt-config.status.reauth']).to.include(keyOf(last.text));
      expect(last).to.include({ fill: 'red', shape: 'dot' });
      expect(sb.state.plays).to.have.lengthOf(0);
      expect((await status()).state, 'the editor is told too').to.equal('reauth_required');

      const before = sb.state.requestLog.length;
      s1.receive({ payload: moviePlay(1, 1) } as never);
      await waitFor(() => out.out2.length === 2, 'the second play on output 2');
      await sleep(200);
      expect(sb.state.requestLog.length, 'requests after re-authorization became required').to.equal(before);
      expect((out.out2[1] as { reason?: string }).reason).to.match(/re-?authori[sz]/i);
      expect(statusesOf(s1).at(-1)).to.include({ fill: 'red', shape: 'dot' });
      expect(errorsOf(s1).length, 'a Catch node hears about each failed flush').to.equal(2);
    });
    it('also when the account was already in use (username known): red status, output 2, no more requests', async () => {
      await load(syncFlow(sb.url), { cfg: authorizedCreds(sb) });
      const out = collectOutputs();
      const s1 = helper.getNode('s1');
      s1.receive({ payload: moviePlay(3, 3) } as never);
      await waitFor(() => out.out1.length === 1, 'the first summary');
      expect(out.out1[0].payload).to.include({ added: 1 });

      // Trakt revokes the grant (user revoked the app, or the refresh token was used elsewhere).
      for (const token of sb.state.tokens.refresh.keys()) sb.state.tokens.revoke(token);
      sb.state.expireAccessTokens();
      const play = moviePlay(4, 4);
      s1.receive({ payload: play } as never);
      await waitFor(() => out.out2.length === 1, 'the play on output 2');
      expect(out.out2[0].payload).to.deep.equal(play);
      expect((out.out2[0] as { reason?: string }).reason).to.match(/re-?authori[sz]/i);
      await sleep(50);
      const last = statusesOf(s1).at(-1)!;
      const texts = statusesOf(s1).map((s) => keyOf(s.text)).join(', ');
      expect(['sync-history.status.reauth', 'trakt-config.status.reauth'], `last status (all: ${texts})`).to.include(keyOf(last.text));
      expect(last).to.include({ fill: 'red', shape: 'dot' });

      const before = sb.state.requestLog.length;
      s1.receive({ payload: moviePlay(5, 5) } as never);
      await waitFor(() => out.out2.length === 2, 'the third play on output 2');
      await sleep(200);
      expect(sb.state.requestLog.length, 'requests after re-authorization became required').to.equal(before);
      expect(sb.state.plays).to.have.lengthOf(1);
    });
  });

  describe('5. token refresh', () => {
    it('an expired access token is refreshed once, the play lands, and the new pair is persisted', async () => {
      const creds = authorizedCreds(sb);
      sb.state.expireAccessTokens();
      await load(syncFlow(sb.url), { cfg: creds });
      const out = collectOutputs();
      const play = moviePlay(2, 2);
      helper.getNode('s1').receive({ payload: play } as never);
      await waitFor(() => out.out1.length === 1, 'the summary');
      expect(out.out1[0].payload).to.include({ added: 1, failed: 0 });
      expect(out.out2).to.have.lengthOf(0);
      expect(sandboxPlayKeys(sb)).to.deep.equal([playKey(play)]);
      expect(requestsTo(sb, 'POST', '/oauth/token'), 'refreshes').to.equal(1);

      const saved = storedTokens('cfg')!;
      expect(saved.accessToken).to.be.a('string').and.not.equal(creds.accessToken);
      expect(saved.refreshToken).to.be.a('string').and.not.equal(creds.refreshToken);
      expect(sb.state.tokens.check(saved.accessToken!).ok, 'the stored access token is the live one').to.equal(true);
      const live = helper.credentials.get('cfg') as { accessToken?: string; refreshToken?: string };
      expect(live.accessToken).to.equal(saved.accessToken);
      expect(live.refreshToken).to.equal(saved.refreshToken);
    });
  });

  describe('12. secrets', () => {
    it('no status, message, admin answer, error or log line of the tests above holds a token, device code or the client secret', () => {
      expect(surfaceSize(), 'something was recorded').to.be.above(10);
      expect(leakedSecrets()).to.deep.equal([]);
    });
  });
});
