import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTraktSandbox, type TraktSandbox } from '../sandbox';
import { generatePlays } from '../sandbox/plays';
import { makeUserDir, NodeRedProcess, traktCredentials } from '../support/node-red-process';
import { countRequests, historyDiff } from './support';

describe('end to end: a real Node-RED restarted between syncs', function () {
  this.timeout(120_000);
  let sandbox: TraktSandbox;
  let red: NodeRedProcess;

  before(async () => {
    sandbox = await startTraktSandbox({ timeScale: 0.1 });
    const options = await makeUserDir({
      clawarr: { limits: { writeSpacingMs: 100, readWindowMs: 30000 } },
      flow: [
        { id: 'cfg', type: 'clawarr-trakt-config', apiUrl: sandbox.url },
        { id: 'in', type: 'http in', url: '/sync', method: 'post', wires: [['sync']] },
        { id: 'sync', type: 'clawarr-sync-history', tracker: 'cfg', batchSize: 100, idleSeconds: 0.2, wires: [['out'], []] },
        { id: 'out', type: 'http response', wires: [] },
      ],
      credentials: { cfg: traktCredentials(sandbox.state.issueTokens()) },
    });
    red = new NodeRedProcess(options);
  });

  after(async () => {
    await red?.stop();
    await sandbox?.close();
  });

  it('syncs, writes nothing for the same plays after a restart, and survives token rotation across two restarts', async () => {
    const plays = generatePlays(sandbox.state.catalog, 400, '2019-01-01T00:00:00.000Z');
    await red.start();
    expect(await red.sync(plays.slice(0, 300))).to.include({ added: 300, failed: 0 });
    await red.stop();

    // Restart with an access token that Trakt now rejects: one refresh, persisted, then the write.
    sandbox.state.expireAccessTokens();
    await red.start();
    const before = sandbox.state.requestLog.length;
    expect(await red.sync(plays.slice(0, 300))).to.include({ added: 0, skipped: 300 });
    expect(sandbox.state.requestLog.length - before).to.equal(0);
    expect(await red.sync(plays.slice(300, 350))).to.include({ added: 50, failed: 0 });
    expect(countRequests(sandbox, 'POST', '/oauth/token')).to.equal(1);
    const stored = JSON.parse(readFileSync(join(red.userDir, 'clawarr', 'tokens.json'), 'utf8')) as Record<string, { refreshToken: string }>;
    expect(stored.cfg.refreshToken).to.not.equal(JSON.parse(readFileSync(join(red.userDir, 'flows_cred.json'), 'utf8')).cfg.refreshToken);
    await red.stop();

    // Second restart: flows_cred.json still holds the first (revoked) pair; the rotated one must be used.
    await red.start();
    expect(await red.sync(plays.slice(350))).to.include({ added: 50, failed: 0 });
    expect(countRequests(sandbox, 'POST', '/oauth/token')).to.equal(1);
    expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
    expect(red.output).to.not.include(stored.cfg.refreshToken);
    expect(red.output).to.not.include('sandbox-client-secret');
  });
});
