import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import { ClawarrError } from '../../lib/core/errors';
import { TautulliClient } from '../../lib/tautulli/client';
import { freePort } from '../support/node-red-process';
import { netError, rejectionOf, useOfflineNock } from './helpers';

const HOST = 'http://tautulli.test:8181';
const ROOT = '/tautulli';
const BASE = `${HOST}${ROOT}`;
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tautulli', name), 'utf8')) as Record<string, unknown>;
const client = (extra: Partial<ConstructorParameters<typeof TautulliClient>[0]> = {}): TautulliClient =>
  new TautulliClient({ url: BASE, apiKey: KEY, timeoutMs: 2000, backoffBaseMs: 5, ...extra });
const api = (): nock.Interceptor => nock(HOST).get(`${ROOT}/api/v2`).query(true);
const envelope = (data: unknown): Record<string, unknown> => ({ response: { result: 'success', message: null, data } });

/** The API key must not show anywhere a user or a log could see the error. */
function expectNoKey(error: Error): void {
  for (const text of [error.message, String(error), inspect(error), JSON.stringify(error), error.stack ?? '']) expect(text).to.not.include(KEY);
}

describe('lib/tautulli/client', () => {
  useOfflineNock();

  describe('requests', () => {
    it('reads history with GET <url>/api/v2, the key and every query parameter, and returns the rows', async () => {
      let query: Record<string, string> = {};
      const scope = api().reply(function () {
        query = Object.fromEntries(new URL(this.req.path, HOST).searchParams);
        return [200, fixture('get_history.json')];
      });
      const page = await client().getHistory({ start: 0, length: 50, order_column: 'stopped', order_dir: 'asc', grouping: 1, include_activity: 0, after: '2024-06-01', media_type: 'movie,episode' });
      expect(scope.isDone()).to.equal(true);
      expect(query).to.deep.equal({
        apikey: KEY,
        cmd: 'get_history',
        start: '0',
        length: '50',
        order_column: 'stopped',
        order_dir: 'asc',
        grouping: '1',
        include_activity: '0',
        after: '2024-06-01',
        media_type: 'movie,episode',
      });
      expect(page.total).to.equal(5321);
      expect(page.filtered).to.equal(4);
      expect(page.rows.map((r) => r.row_id)).to.deep.equal([5312, 5200, 1124, 900]);
    });

    it('keeps the HTTP root and drops whatever was pasted after it (/api/v2, the key in a query)', async () => {
      const pasted = client({ url: ` ${BASE}/api/v2?apikey=${KEY}&cmd=arnold ` });
      expect(pasted.url).to.equal(BASE);
      expect(pasted.displayUrl).to.not.include(KEY);
      expect(client({ url: 'tautulli.test:8181/' }).url).to.equal('http://tautulli.test:8181');
      const scope = api().reply(200, { response: { result: 'success', message: null, data: { tautulli_version: 'v2.17.2' } } });
      expect(await pasted.info()).to.deep.equal({ version: 'v2.17.2' });
      expect(scope.isDone()).to.equal(true);
    });

    it('getMetadata gives the metadata, and undefined when Tautulli answers {} (item gone from Plex)', async () => {
      api().reply(200, fixture('get_metadata_episode.json'));
      const found = await client().getMetadata(153037);
      expect(found?.grandparent_guids).to.deep.equal(['imdb://tt0944947', 'tmdb://1399', 'tvdb://121361']);
      api().reply(200, fixture('get_metadata_not_found.json'));
      expect(await client().getMetadata('999999')).to.equal(undefined);
    });

    it('testConnection says "Tautulli v2.17.2, 5321 plays" (recordsTotal of a one-row history read)', async () => {
      const cmds: string[] = [];
      api()
        .times(2)
        .reply(function () {
          const params = new URL(this.req.path, HOST).searchParams;
          cmds.push(`${params.get('cmd')}:${params.get('length') ?? ''}`);
          return [200, params.get('cmd') === 'get_tautulli_info' ? envelope({ tautulli_version: 'v2.17.2' }) : fixture('get_history.json')];
        });
      const result = await client().testConnection();
      expect(result).to.deep.equal({ version: 'v2.17.2', plays: 5321, message: 'Tautulli v2.17.2, 5321 plays' });
      expect(cmds).to.deep.equal(['get_tautulli_info:', 'get_history:1']);
    });

    it('testConnection adds the "v" when the version comes without one', async () => {
      api().reply(200, envelope({ tautulli_version: '2.16.0' }));
      api().reply(200, fixture('get_history_empty.json'));
      expect((await client().testConnection()).message).to.equal('Tautulli v2.16.0, 5321 plays');
    });

    it('refuses to start without a URL or an API key, saying what to fill in', () => {
      expect(() => new TautulliClient({ url: '', apiKey: KEY })).to.throw(ClawarrError, /URL is missing/);
      expect(() => new TautulliClient({ url: BASE, apiKey: ' ' })).to.throw(ClawarrError, /API key is missing: copy it from Tautulli → Settings → Web Interface → API key/);
    });
  });

  describe('errors a user can act on', () => {
    it('wrong key (400 "Invalid apikey")', async () => {
      api().reply(400, fixture('error_invalid_apikey.json'));
      const error = (await rejectionOf(client().info())) as ClawarrError;
      expect(error.message).to.equal('Tautulli refused the API key: copy it from Tautulli → Settings → Web Interface → API key');
      expect(error.code).to.equal('config');
      expectNoKey(error);
    });

    it('API turned off (400 "API not enabled")', async () => {
      api().reply(400, { response: { result: 'error', message: 'API not enabled', data: {} } });
      const error = (await rejectionOf(client().info())) as ClawarrError;
      expect(error.message).to.equal("Tautulli's API is turned off: enable it in Settings → Web Interface");
      expect(error.code).to.equal('config');
    });

    it('any other error envelope: "Tautulli: <message>", without the list of every command', async () => {
      api().reply(400, fixture('error_unknown_cmd.json'));
      const error = (await rejectionOf(client().call('get_histroy'))) as ClawarrError;
      expect(error.message).to.equal('Tautulli: Unknown command: get_histroy');
      expect(error.code).to.equal('bad_request');
    });

    it('an envelope with result "error" on HTTP 200 is an error too', async () => {
      api().reply(200, { response: { result: 'error', message: 'Missing parameter: rating_key', data: {} } });
      expect((await rejectionOf(client().call('get_metadata'))).message).to.equal('Tautulli: Missing parameter: rating_key');
    });

    it('500 → "internal error (check its logs)" after the read was retried', async () => {
      let hits = 0;
      api()
        .times(5)
        .reply(() => {
          hits += 1;
          return [500, { response: { result: 'error', message: 'Check the logs for errors', data: {} } }];
        });
      const error = (await rejectionOf(client().getMetadata(1))) as ClawarrError;
      expect(error.message).to.equal('Tautulli had an internal error (check its logs)');
      expect(error.code).to.equal('server_error');
      expect(hits).to.equal(3);
      expectNoKey(error);
    });

    it('a web page instead of the API (HTML 200, HTML 404, other JSON) → check the URL and HTTP root', async () => {
      const expected = `${BASE} answered with a web page, not Tautulli's API: check the URL (and the HTTP root if Tautulli has one)`;
      api().reply(200, '<!doctype html><html><body>Tautulli login</body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
      api().reply(404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
      api().reply(200, { status: 'ok' });
      for (let i = 0; i < 3; i += 1) {
        const error = (await rejectionOf(client().info())) as ClawarrError;
        expect(error.message).to.equal(expected);
        expect(error.code).to.equal('config');
        expectNoKey(error);
      }
    });

    it('connection refused → "not reachable at <url>", no key even though the request URL had it', async () => {
      const scope = api().times(3).replyWithError(netError('ECONNREFUSED', `connect ECONNREFUSED for ${BASE}/api/v2?apikey=${KEY}`));
      const error = (await rejectionOf(client().info())) as ClawarrError;
      expect(error.message).to.match(new RegExp(`^Tautulli is not reachable at ${BASE} \\(connection refused`));
      expect(error.code).to.equal('network');
      expect(scope.isDone()).to.equal(true);
      expectNoKey(error);
    });

    it('a real closed port on this machine gives the same sentence', async () => {
      const port = await freePort();
      const local = new TautulliClient({ url: `http://127.0.0.1:${port}`, apiKey: KEY, backoffBaseMs: 5 });
      const error = await rejectionOf(local.info());
      expect(error.message).to.match(new RegExp(`^Tautulli is not reachable at http://127\\.0\\.0\\.1:${port} \\(connection refused`));
      expectNoKey(error);
    });

    it('a timeout → "not reachable at <url> (timed out)"', async () => {
      api().times(3).delay(300).reply(200, envelope({ tautulli_version: 'v2.17.2' }));
      const error = await rejectionOf(client({ timeoutMs: 50 }).info());
      expect(error.message).to.equal(`Tautulli is not reachable at ${BASE} (timed out)`);
      expectNoKey(error);
    });

    it('user:password in the URL never shows in a message', async () => {
      api().reply(200, '<html></html>', { 'Content-Type': 'text/html' });
      const withUser = new TautulliClient({ url: 'http://admin:hunter2secret@tautulli.test:8181/tautulli', apiKey: KEY, backoffBaseMs: 5 });
      const error = await rejectionOf(withUser.info());
      expect(error.message).to.match(/^http:\/\/tautulli\.test:8181\/tautulli answered with a web page/);
      expect(error.message).to.not.include('hunter2');
    });
  });
});
