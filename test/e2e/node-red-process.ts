// A real Node-RED process with the built package linked into a temp user dir, as a user runs it:
// shared by the end-to-end specs that restart or kill the runtime.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TokenResponse } from '../sandbox';

export const ROOT = resolve(__dirname, '..', '..');

/** A real Node-RED process with the built package linked into its user dir, as a user would run it. */
export class NodeRed {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  /** Output of the current run (since the last start). */
  output = '';
  /** Output of every run of this user dir, in order. */
  allOutput = '';
  starts = 0;
  kills = 0;

  constructor(
    readonly userDir: string,
    readonly port: number,
  ) {}

  get running(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  async start(): Promise<void> {
    this.output = '';
    this.starts += 1;
    this.allOutput += `\n----- start ${this.starts} -----\n`;
    const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', this.userDir, '--settings', join(this.userDir, 'settings.js')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: withoutStateDir(),
    });
    this.process = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output += text;
      this.allOutput += text;
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const deadline = Date.now() + 30_000;
    while (!this.output.includes('Started flows')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Node-RED did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A graceful stop (SIGINT: Node-RED closes its nodes). */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    child.kill('SIGINT');
    await this.exited;
  }

  /** A hard kill (SIGKILL): no close handler runs, whatever is in flight is cut. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    this.kills += 1;
    child.kill('SIGKILL');
    await this.exited;
    this.allOutput += `\n----- killed (SIGKILL) -----\n`;
  }

  /** POSTs plays to the flow's `http in` node at /sync; resolves with the sync summary. */
  async post(plays: unknown[], path = '/sync'): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plays) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  }

  /** POSTs plays to /sync and expects the summary (200). */
  async sync(plays: unknown[]): Promise<Record<string, number>> {
    const { status, body } = await this.post(plays);
    if (status !== 200) throw new Error(`POST /sync answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
    return body as Record<string, number>;
  }
}

/** Other tests point CLAWARR_STATE_DIR elsewhere; this Node-RED must use its own user dir. */
function withoutStateDir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CLAWARR_STATE_DIR;
  return env;
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

export interface UserDirOptions {
  /** The `clawarr` section of settings.js. */
  clawarr: Record<string, unknown>;
  /** The flow (flows.json) without the tab: nodes get `z: 'tab'` and a position unless they are config nodes (`*-config`). */
  flow: Array<Record<string, unknown>>;
  /** flows_cred.json, by node id. */
  credentials: Record<string, Record<string, string>>;
  logLevel?: 'info' | 'debug' | 'trace';
}

/** A temp Node-RED user dir with this package linked in, a settings.js, a flow and its credentials. */
export async function makeUserDir(options: UserDirOptions): Promise<{ userDir: string; port: number }> {
  const userDir = mkdtempSync(join(tmpdir(), 'clawarr-red-'));
  mkdirSync(join(userDir, 'node_modules', '@clawarr'), { recursive: true });
  symlinkSync(ROOT, join(userDir, 'node_modules', '@clawarr', 'node-red-media-trackers'), 'dir');
  const port = await freePort();
  writeFileSync(
    join(userDir, 'settings.js'),
    `module.exports = { uiPort: ${port}, uiHost: '127.0.0.1', flowFile: 'flows.json', credentialSecret: false,
      logging: { console: { level: ${JSON.stringify(options.logLevel ?? 'info')} } }, clawarr: ${JSON.stringify(options.clawarr)} };`,
  );
  // Flow nodes need a tab and a position (Node-RED takes a node without x/y for a config node).
  const placed = options.flow.map((n, i) => (String(n.type).endsWith('-config') ? n : { z: 'tab', x: 200, y: 40 + 60 * i, ...n }));
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify([{ id: 'tab', type: 'tab', label: 'sync' }, ...placed]));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
  return { userDir, port };
}

/** The trakt-config credentials of a fresh sandbox token pair, as the editor stores them. */
export function traktCredentials(tokens: TokenResponse): Record<string, string> {
  return {
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date((tokens.created_at + tokens.expires_in) * 1000).toISOString(),
  };
}
