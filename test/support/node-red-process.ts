/**
 * A real Node-RED 4.1 process (node_modules/node-red/red.js) on a user dir of the test's making, as a user runs it:
 * for the end-to-end specs that restart or kill the runtime, the package specs (the examples deployed as a user
 * deploys them, the package installed from its tarball as the palette manager installs it), and the small helpers
 * they share (ROOT, freePort, sleep, waitFor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TokenResponse } from '../sandbox';

/** The package's root (where package.json is). */
export const ROOT = resolve(__dirname, '..', '..');

/** A loopback port free right now (nothing listens on it until someone takes it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        server.close(() => done(port));
      });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls until check() returns a value (not undefined), or throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * The environment of a Node-RED (or npm) started by a user: without the npm_* variables `npm test`
 * sets for its scripts (they would configure an npm the runtime starts, e.g. the palette manager's),
 * and without CLAWARR_STATE_DIR, which other tests point elsewhere (this Node-RED uses its own user dir).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'CLAWARR_STATE_DIR') env[key] = value;
  return { ...env, ...extra };
}

export interface NodeRedOptions {
  userDir: string;
  port: number;
  /** Node-RED's console log level (settings.logging.console.level). */
  logLevel?: 'info' | 'debug' | 'trace';
  /** More settings.js keys (JSON values), e.g. the `clawarr` section. */
  settings?: Record<string, unknown>;
  /** Extra node directories (settings.nodesDir), e.g. the probe. */
  nodesDir?: string[];
  /** More environment variables for the process. */
  env?: Record<string, string>;
}

/** A real Node-RED process: start() writes settings.js (flows.json and flows_cred.json are the caller's). */
export class NodeRedProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  /** Output of the current run (since the last start). */
  output = '';
  /** Output of every run of this user dir, in order. */
  allOutput = '';
  starts = 0;
  kills = 0;

  constructor(readonly options: NodeRedOptions) {}

  get userDir(): string {
    return this.options.userDir;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Writes settings.js; returns its path. */
  writeSettings(): string {
    const { userDir, port, logLevel = 'info', settings = {}, nodesDir } = this.options;
    mkdirSync(userDir, { recursive: true });
    const all = {
      uiPort: port,
      uiHost: '127.0.0.1',
      userDir,
      flowFile: 'flows.json',
      credentialSecret: false,
      editorTheme: { projects: { enabled: false }, tours: false },
      telemetry: { enabled: false, updateNotification: false },
      logging: { console: { level: logLevel, metrics: false, audit: false } },
      ...(nodesDir ? { nodesDir } : {}),
      ...settings,
    };
    const file = join(userDir, 'settings.js');
    writeFileSync(file, `module.exports = ${JSON.stringify(all, null, 2)};\n`);
    return file;
  }

  /** Starts Node-RED; resolves once it has started the flows. */
  async start(timeoutMs = 60_000): Promise<void> {
    const settings = this.writeSettings();
    this.output = '';
    this.starts += 1;
    this.allOutput += `\n----- start ${this.starts} -----\n`;
    const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', this.options.userDir, '--settings', settings], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: userEnv(this.options.env),
    });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output += text;
      this.allOutput += text;
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const deadline = Date.now() + timeoutMs;
    while (!/\[info\] Started flows/.test(this.output)) {
      if (child.exitCode !== null) throw new Error(`Node-RED exited (${child.exitCode}):\n${this.output}`);
      if (/Waiting for missing types/.test(this.output)) throw new Error(`Node-RED is missing node types:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`Node-RED did not start flows in ${timeoutMs} ms:\n${this.output}`);
      await sleep(50);
    }
  }

  /** A graceful stop (SIGINT: Node-RED closes its nodes); SIGKILL if it is still running after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGINT');
    await this.exited;
    clearTimeout(force);
  }

  /** A hard kill (SIGKILL): no close handler runs, whatever is in flight is cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.kills += 1;
    child.kill('SIGKILL');
    await this.exited;
    this.allOutput += `\n----- killed (SIGKILL) -----\n`;
  }

  /** The log lines at [error] level (node errors during start land here, "[type:id] Error: ..."). */
  errors(): string[] {
    return this.output.split('\n').filter((line) => /\[error\]/.test(line));
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(this.url + path, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** POSTs a JSON body (or none); resolves with the status. */
  async post(path: string, body?: unknown): Promise<number> {
    const response = await fetch(this.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  }

  /** POSTs plays to the flow's `http in` node at /sync and expects the sync summary (200). */
  async sync(plays: unknown[]): Promise<Record<string, number>> {
    const response = await fetch(`${this.url}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plays) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    if (response.status !== 200) throw new Error(`POST /sync answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
    return body as Record<string, number>;
  }
}

/** Creates userDir (if missing) with this package linked into its node_modules, as an install of it would put it. */
export function linkPackage(userDir: string): void {
  mkdirSync(join(userDir, 'node_modules', '@clawarr'), { recursive: true });
  symlinkSync(ROOT, join(userDir, 'node_modules', '@clawarr', 'node-red-media-trackers'), 'dir');
}

export interface UserDirOptions {
  /** The `clawarr` section of settings.js. */
  clawarr: Record<string, unknown>;
  /** The flow (flows.json) without the tab: nodes get `z: 'tab'` and a position unless they are config nodes (`*-config`). */
  flow: Array<Record<string, unknown>>;
  /** flows_cred.json, by node id. */
  credentials: Record<string, Record<string, string>>;
  logLevel?: NodeRedOptions['logLevel'];
}

/** A temp Node-RED user dir with this package linked in, a flow and its credentials; the options of its Node-RED. */
export async function makeUserDir(options: UserDirOptions): Promise<NodeRedOptions> {
  const userDir = mkdtempSync(join(tmpdir(), 'clawarr-red-'));
  linkPackage(userDir);
  // Flow nodes need a tab and a position (Node-RED takes a node without x/y for a config node).
  const placed = options.flow.map((n, i) => (String(n.type).endsWith('-config') ? n : { z: 'tab', x: 200, y: 40 + 60 * i, ...n }));
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify([{ id: 'tab', type: 'tab', label: 'sync' }, ...placed]));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
  return { userDir, port: await freePort(), logLevel: options.logLevel, settings: { clawarr: options.clawarr } };
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

/** One message the probe saw delivered to a watched node. */
export interface Delivery {
  to: string;
  type: string;
  msg: Record<string, unknown>;
}

/**
 * A test-only node set (loaded through settings.nodesDir) that lets a test see inside the runtime:
 * GET /clawarr-probe/created?ids=a,b says which flow nodes exist as runtime nodes
 * (RED.nodes.getNode), GET /clawarr-probe/delivered lists the messages delivered to debug, Home
 * Assistant sensor and action nodes (Node-RED's postDeliver hook), without req/res.
 */
export function writeProbe(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'clawarr-probe.js'),
    `'use strict';
module.exports = function (RED) {
  const watched = new Set(['debug', 'ha-sensor', 'api-call-service']);
  const delivered = [];
  RED.hooks.add('postDeliver.clawarrProbe', (event) => {
    const node = event.destination && event.destination.node;
    if (!node || !watched.has(node.type)) return;
    const { req: _req, res: _res, ...rest } = event.msg;
    let msg;
    try { msg = JSON.parse(JSON.stringify(rest)); } catch (err) { msg = { unserialisable: String(err) }; }
    delivered.push({ to: node.id, type: node.type, msg });
  });
  RED.httpAdmin.get('/clawarr-probe/created', (req, res) => {
    const ids = String(req.query.ids || '').split(',').filter(Boolean);
    res.json(Object.fromEntries(ids.map((id) => [id, Boolean(RED.nodes.getNode(id))])));
  });
  RED.httpAdmin.get('/clawarr-probe/delivered', (req, res) => res.json(delivered));
  function ClawarrProbe(config) { RED.nodes.createNode(this, config); }
  RED.nodes.registerType('clawarr-test-probe', ClawarrProbe);
};
`,
  );
  writeFileSync(
    join(dir, 'clawarr-probe.html'),
    `<script type="text/javascript">RED.nodes.registerType('clawarr-test-probe', { category: 'config', defaults: {} });</script>\n`,
  );
}
