// clawarr-simkl-config in a Node-RED runtime against the fake Simkl: the editor's "Authorize with Simkl"
// endpoints (PIN flow and the code flow with its redirect), token persistence, a pasted token, and
// a revoked token as the user nodes show it.
import { expect } from 'chai';
import type { NodeMessage } from 'node-red';
import { startSimklSandbox, type SimklSandbox } from '../sandbox';
import { authEndpoints, helper, keyOf, leakedSecrets, recordSurface, sleep, statusesOf, storedTokens, surfaceSize, tokensFile, useNodeRed, useSandbox } from './harness';
import {
  collect,
  loadFlow,
  movie,
  playback,
  reasonOf,
  registerSecrets,
  scrobbleFlow,
  SIMKL_CLIENT_ID,
  SIMKL_CLIENT_SECRET,
  SIMKL_USER,
  type TrackerUnderTest,
  until,
} from './harness-scrobble';

const TYPE = 'clawarr-simkl-config';
describe('nodes: clawarr-simkl-config', function () {
  this.timeout(10_000);
  let sb: SimklSandbox;

  useNodeRed();
  useSandbox(
    () => startSimklSandbox({ timeScale: 0.01, catalog: { movies: 300, shows: 4, seasonsPerShow: 3, episodesPerSeason: 10 } }),
    (started) => (sb = started),
  );

  const configOnly = () => [{ id: 'cfg', type: TYPE, apiUrl: sb.url }];
  const pinPolls = (): number => sb.state.requestLog.filter((e) => e.method === 'GET' && e.path.startsWith('/oauth/pin/')).length;
  const requestCount = (): number => sb.state.requestLog.length;

  // Every start and status answer: the device code stays in the runtime.
  const { admin: ADMIN, start, status, settled, cancel } = authEndpoints(TYPE, (text) => expect(text, 'the device code stays in the runtime').not.to.match(/device_?code/i));

  describe('11. PIN flow', () => {
    it('shows a 6-character code and its link; once approved on Simkl: authorized as the user, token saved 0600 under the node id', async () => {
      await loadFlow(configOnly());
      const started = await start({ clientId: SIMKL_CLIENT_ID, apiUrl: sb.url });
      expect(started.state).to.equal('pending');
      expect(started.userCode).to.be.a('string').with.lengthOf(6);
      expect(started.verificationUrl).to.equal(`${sb.url}/pin/${started.userCode}`);
      expect(started.expiresIn).to.be.a('number').above(0);
      expect((await status()).userCode, 'the status shows the same code').to.equal(started.userCode);

      expect(sb.state.approvePin(started.userCode!)).to.equal(true);
      const done = await settled();
      expect(done).to.include({ state: 'authorized', username: SIMKL_USER });

      const file = tokensFile();
      expect(file.mode, 'tokens.json mode').to.equal(0o600);
      const saved = file.content.cfg;
      expect(saved, 'tokens.json holds the entry of this node').to.be.an('object');
      expect(saved.username).to.equal(SIMKL_USER);
      expect(sb.state.tokens.check(saved.accessToken!), 'the saved token works on Simkl').to.not.equal(undefined);
      expect((helper.credentials.get('cfg') as { accessToken?: string }).accessToken, 'also in the credentials').to.equal(saved.accessToken);
      expect(JSON.stringify(done)).not.to.include(saved.accessToken!);
    });

    it('a deployed flow that was not authorized yet syncs right after approval, without a redeploy', async () => {
      const flow = scrobbleFlow({ configType: TYPE, url: sb.url } as TrackerUnderTest, { sync: true });
      await loadFlow(flow, { cfg: { clientId: SIMKL_CLIENT_ID } });
      const out = collect();
      const started = await start({ clientId: SIMKL_CLIENT_ID, apiUrl: sb.url });
      sb.state.approvePin(started.userCode!);
      expect(await settled()).to.include({ state: 'authorized' });
      await sleep(20);
      expect(keyOf(statusesOf(helper.getNode('s1')).at(-1)?.text), 'the user node shows the account').to.equal('simkl-config.status.authorized');

      helper.getNode('s1').receive({ payload: { ...movie(30), watchedAt: '2024-03-01T20:00:00.000Z' } } as NodeMessage);
      await until(() => out.sum.length === 1, 'the summary');
      expect(out.sum[0].payload).to.include({ added: 1, failed: 0 });
      expect(sb.state.plays).to.have.lengthOf(1);
    });

    it('denied on Simkl → a final state with a message, no token', async () => {
      await loadFlow(configOnly());
      const started = await start({ clientId: SIMKL_CLIENT_ID, apiUrl: sb.url });
      expect(sb.state.denyPin(started.userCode!)).to.equal(true);
      const done = await settled();
      expect(done.state).to.be.oneOf(['denied', 'expired', 'error']);
      expect(done.message).to.be.a('string').and.not.equal('');
      expect(storedTokens('cfg'), 'no token stored').to.equal(undefined);
      const polls = pinPolls();
      await sleep(150);
      expect(pinPolls(), 'polling ended').to.equal(polls);
    });

    it('cancel → "cancelled", no further polls, and approving afterwards authorizes nothing', async () => {
      await loadFlow(configOnly());
      const started = await start({ clientId: SIMKL_CLIENT_ID, apiUrl: sb.url });
      await until(() => pinPolls() >= 2, 'two PIN polls');
      expect((await cancel()).state).to.equal('cancelled');
      expect((await status()).state).not.to.equal('pending');
      await sleep(50); // a poll already on the wire may still land
      const polls = pinPolls();
      sb.state.approvePin(started.userCode!);
      await sleep(250);
      expect(pinPolls(), 'PIN polls after cancel').to.equal(polls);
      expect(storedTokens('cfg'), 'no token after cancel').to.equal(undefined);
    });

    it('missing client id → 400 with a message, nothing sent to Simkl', async () => {
      await loadFlow(configOnly());
      const answer = (await start({ apiUrl: sb.url }, 400)) as unknown as { message?: string };
      expect(answer.message).to.be.a('string').and.not.equal('');
      expect(requestCount(), 'requests to Simkl').to.equal(0);
    });
  });

  describe('12. code flow (redirect)', () => {
    const CALLBACK = `/${TYPE}/auth/callback`;

    /**
     * Starts the code flow as the editor does and answers where the browser is sent. The endpoint
     * is `POST .../auth/redirect` {clientId, clientSecret, apiUrl, redirectUri} → {url}; the earlier
     * form `GET .../auth/redirect?clientId=&clientSecret=&apiUrl=` → 302 is accepted too.
     */
    async function redirect(params: Record<string, string>): Promise<{ status: number; url?: string; text: string }> {
      const posted = await helper.request().post(`${ADMIN}/redirect`).send({ ...params, redirectUri: `${helper.url()}${CALLBACK}` });
      recordSurface(posted.text);
      if (posted.status !== 404) return { status: posted.status, url: (posted.body as { url?: string })?.url, text: posted.text };
      const got = await helper.request().get(`${ADMIN}/redirect`).query(params);
      recordSurface(got.text);
      recordSurface(String(got.headers.location ?? ''));
      return { status: got.status === 302 ? 200 : got.status, url: got.headers.location as string | undefined, text: got.text };
    }

    /** The user's browser after the start: Simkl's consent page, Approve or Deny, then back to our callback. */
    async function browse(url: string, decision: 'approve' | 'deny') {
      const location = new URL(url);
      const consent = await fetch(location);
      expect(consent.status).to.equal(200);
      const answer = await fetch(`${sb.url}/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...Object.fromEntries(location.searchParams), decision }).toString(),
        redirect: 'manual',
      });
      expect(answer.status).to.equal(302);
      const back = new URL(answer.headers.get('location')!);
      const callback = await helper.request().get(`${back.pathname}${back.search}`);
      recordSurface(callback.text);
      return { back, callback };
    }

    it('sends the browser to Simkl and, once approved, the callback stores the token: "authorized"', async () => {
      await loadFlow(configOnly());
      const res = await redirect({ clientId: SIMKL_CLIENT_ID, clientSecret: SIMKL_CLIENT_SECRET, apiUrl: sb.url });
      expect(res.status, res.text).to.equal(200);
      recordSurface(String(res.url));
      const location = new URL(String(res.url));
      expect(`${location.origin}${location.pathname}`).to.equal(`${sb.url}/oauth/authorize`);
      expect(location.searchParams.get('response_type')).to.equal('code');
      expect(location.searchParams.get('client_id')).to.equal(SIMKL_CLIENT_ID);
      const state = location.searchParams.get('state')!;
      expect(state).to.match(/^[0-9a-f]{16,}$/);
      const redirectUri = location.searchParams.get('redirect_uri')!;
      expect(new URL(redirectUri).pathname).to.equal(CALLBACK);
      expect(String(res.url), 'the secret stays in the runtime').not.to.include(SIMKL_CLIENT_SECRET);

      // The user's browser: Simkl's consent page, then Approve, which redirects back with a code.
      const { back, callback } = await browse(String(res.url), 'approve');
      expect(back.searchParams.get('state')).to.equal(state);
      expect(back.searchParams.get('code')).to.be.a('string');
      expect(callback.status, callback.text).to.equal(200);
      expect(callback.text).to.include('simkl-config.auth.callbackOk');
      expect(callback.text).to.include(SIMKL_USER);

      const saved = storedTokens('cfg');
      expect(saved?.username).to.equal(SIMKL_USER);
      expect(sb.state.tokens.check(saved!.accessToken!), 'the stored token works on Simkl').to.not.equal(undefined);
      expect(callback.text).not.to.include(saved!.accessToken!);
      expect(await status()).to.include({ state: 'authorized', username: SIMKL_USER });

      // The state is one-time: the same callback again is refused.
      const replay = await helper.request().get(`${back.pathname}${back.search}`);
      expect(replay.status).to.equal(400);
    });

    it('a callback with an unknown state → 400; declined on Simkl → 400 with the reason; nothing stored', async () => {
      await loadFlow(configOnly());
      const unknown = await helper.request().get(`${CALLBACK}?code=abc&state=0123456789abcdef0123456789abcdef`);
      recordSurface(unknown.text);
      expect(unknown.status).to.equal(400);
      expect(unknown.text).to.include('simkl-config.auth.callbackFailed');

      const res = await redirect({ clientId: SIMKL_CLIENT_ID, clientSecret: SIMKL_CLIENT_SECRET, apiUrl: sb.url });
      const { callback: declined } = await browse(String(res.url), 'deny');
      expect(declined.status).to.equal(400);
      expect(declined.text).to.include('access_denied');
      expect(storedTokens('cfg')).to.equal(undefined);
    });

    it('after a code-flow authorization, a later revocation is what the editor is told (not "authorized")', async () => {
      const flow = scrobbleFlow({ configType: TYPE, url: sb.url } as TrackerUnderTest, { sync: true });
      await loadFlow(flow, { cfg: { clientId: SIMKL_CLIENT_ID, clientSecret: SIMKL_CLIENT_SECRET } });
      const out = collect();
      const res = await redirect({ clientId: SIMKL_CLIENT_ID, clientSecret: '__PWRD__', apiUrl: sb.url });
      expect(res.status, res.text).to.equal(200);
      const { callback } = await browse(String(res.url), 'approve');
      expect(callback.status, callback.text).to.equal(200);
      expect(await status()).to.include({ state: 'authorized', username: SIMKL_USER });

      const s1 = helper.getNode('s1');
      s1.receive({ payload: { ...movie(40), watchedAt: '2024-03-03T20:00:00.000Z' } } as NodeMessage);
      await until(() => out.sum.length === 1, 'the first summary');
      expect(out.sum[0].payload).to.include({ added: 1 });

      for (const record of sb.state.tokens.snapshot()) sb.state.revokeToken(record.token);
      s1.receive({ payload: { ...movie(41), watchedAt: '2024-03-03T22:00:00.000Z' } } as NodeMessage);
      await until(() => out.sum.length === 2, 'the second summary');
      expect(out.sum[1].payload).to.include({ failed: 1 });
      expect(keyOf(statusesOf(s1).at(-1)?.text), 'the sync node').to.match(/reauth/);
      expect((await status()).state, 'the editor').to.equal('reauth_required');
    });

    it('missing client secret (or client id) → 400, no redirect', async () => {
      await loadFlow(configOnly());
      const noSecret = await redirect({ clientId: SIMKL_CLIENT_ID, apiUrl: sb.url });
      expect(noSecret.status).to.equal(400);
      expect(noSecret.text).to.include('simkl-config.errors.missingSecret');
      expect(noSecret.url).to.equal(undefined);
      const noId = await redirect({ clientSecret: SIMKL_CLIENT_SECRET, apiUrl: sb.url });
      expect(noId.status).to.equal(400);
      expect(requestCount()).to.equal(0);
    });
  });

  describe('13. pasted token and revocation', () => {
    it('a pasted token syncs; once revoked, the user nodes show "re-authorization required" and nothing retries', async () => {
      const token = sb.state.issueToken();
      const flow = scrobbleFlow({ configType: TYPE, url: sb.url } as TrackerUnderTest, { sync: true });
      await loadFlow(flow, { cfg: { clientId: SIMKL_CLIENT_ID, accessToken: token } });
      const out = collect();
      const s1 = helper.getNode('s1');
      const sc = helper.getNode('sc');

      s1.receive({ payload: { ...movie(20), watchedAt: '2024-03-01T20:00:00.000Z' } } as NodeMessage);
      await until(() => out.sum.length === 1, 'the first summary');
      expect(out.sum[0].payload).to.include({ added: 1, failed: 0 });
      expect(sb.state.plays.map((p) => p.simklId)).to.deep.equal([600021]);

      sb.state.revokeToken(token);
      s1.receive({ payload: { ...movie(21), watchedAt: '2024-03-01T22:00:00.000Z' } } as NodeMessage);
      await until(() => out.sum.length === 2, 'the second summary');
      expect(out.sum[1].payload).to.include({ added: 0, failed: 1 });
      await until(() => out.ns.length === 1, 'the play on output 2');
      expect(reasonOf(out.ns[0])).to.match(/authori[sz]e/i);
      expect(sb.state.requestLog.filter((e) => e.status === 401), 'one refused request').to.have.lengthOf(1);

      await sleep(20);
      for (const node of [s1, sc]) {
        const last = statusesOf(node).at(-1);
        expect(keyOf(last?.text), `status of ${node.type}`).to.match(/reauth/);
        expect(last).to.include({ fill: 'red' });
      }
      expect((await status()).state, 'the editor is told too').to.equal('reauth_required');

      // No retry loop: neither a sync nor a playback event reaches Simkl any more.
      const before = requestCount();
      s1.receive({ payload: { ...movie(22), watchedAt: '2024-03-02T20:00:00.000Z' } } as NodeMessage);
      sc.receive({ payload: playback(movie(23), 'start', 10) } as NodeMessage);
      await until(() => out.ns.length === 2 && out.out2.length === 1, 'both on output 2');
      await sleep(200);
      expect(requestCount(), 'requests after the revocation').to.equal(before);
      expect(reasonOf(out.out2[0])).to.match(/authori[sz]/i);
      expect(sb.state.plays).to.have.lengthOf(1);
      // The scrobble node that refused the event still says what to do, not "idle".
      const last = statusesOf(sc).at(-1);
      expect(keyOf(last?.text), 'status of the scrobble node after a refused event').to.match(/reauth/);
      expect(last).to.include({ fill: 'red' });
    });
  });

  describe('secrets', () => {
    it('no status, admin answer, page, message or log line of the tests above holds a token or the client secret', () => {
      registerSecrets([SIMKL_CLIENT_SECRET, ...sb.state.tokens.snapshot().map((r) => r.token)]);
      expect(surfaceSize()).to.be.above(10);
      const leaks = leakedSecrets();
      expect(leaks, leaks.join('\n')).to.deep.equal([]);
    });
  });
});
