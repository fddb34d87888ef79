import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTraktSandbox, type TraktSandbox } from '../sandbox';
import { generatePlays } from '../sandbox/plays';
import { countRequests, historyDiff } from './support';

const ROOT = resolve(__dirname, '..', '..');

/** A real Node-RED process with the built package linked into its user dir, as a user would run it. */
class NodeRed {
  private process?: ChildProcess;
  output = '';
  constructor(
    readonly userDir: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.output = '';
    this.process = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', this.userDir, '--settings', join(this.userDir, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: withoutStateDir() });
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    this.process.stdout!.on('data', collect);
    this.process.stderr!.on('data', collect);
    const deadline = Date.now() + 30_000;
    while (!this.output.includes('Started flows')) {
      if (Date.now() > deadline || this.process.exitCode !== null) throw new Error(`Node-RED did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGINT');
    });
  }

  async sync(plays: unknown[]): Promise<Record<string, number>> {
    const response = await fetch(`http://127.0.0.1:${this.port}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plays) });
    expect(response.status).to.equal(200);
    return (await response.json()) as Record<string, number>;
  }
}

/** Other tests point CLAWARR_STATE_DIR elsewhere; this Node-RED must use its own user dir. */
function withoutStateDir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CLAWARR_STATE_DIR;
  return env;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

describe('end to end: a real Node-RED restarted between syncs', function () {
  this.timeout(120_000);
  let sandbox: TraktSandbox;
  let red: NodeRed;

  before(async () => {
    sandbox = await startTraktSandbox({ timeScale: 0.1 });
    const userDir = mkdtempSync(join(tmpdir(), 'clawarr-red-'));
    mkdirSync(join(userDir, 'node_modules', '@clawarr'), { recursive: true });
    symlinkSync(ROOT, join(userDir, 'node_modules', '@clawarr', 'node-red-media-trackers'), 'dir');
    const port = await freePort();
    writeFileSync(
      join(userDir, 'settings.js'),
      `module.exports = { uiPort: ${port}, uiHost: '127.0.0.1', flowFile: 'flows.json', credentialSecret: false,
        logging: { console: { level: 'info' } }, clawarr: { limits: { writeSpacingMs: 100, readWindowMs: 30000 } } };`,
    );
    const tokens = sandbox.state.issueTokens();
    writeFileSync(
      join(userDir, 'flows.json'),
      JSON.stringify([
        { id: 'tab', type: 'tab', label: 'sync' },
        { id: 'cfg', type: 'clawarr-trakt-config', apiUrl: sandbox.url },
        { id: 'in', type: 'http in', z: 'tab', url: '/sync', method: 'post', wires: [['sync']] },
        { id: 'sync', type: 'clawarr-sync-history', z: 'tab', tracker: 'cfg', batchSize: 100, idleSeconds: 0.2, wires: [['out'], []] },
        { id: 'out', type: 'http response', z: 'tab', wires: [] },
      ]),
    );
    writeFileSync(
      join(userDir, 'flows_cred.json'),
      JSON.stringify({
        cfg: {
          clientId: 'sandbox-client-id',
          clientSecret: 'sandbox-client-secret',
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          expiresAt: new Date((tokens.created_at + tokens.expires_in) * 1000).toISOString(),
        },
      }),
    );
    red = new NodeRed(userDir, port);
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
