/**
 * A real Node-RED 4.1 process (node_modules/node-red/red.js) on a user dir of the test's making, for
 * the package tests: the examples deployed as a user deploys them, the package installed from its
 * tarball as the palette manager installs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

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

export interface NodeRedOptions {
  userDir: string;
  port: number;
  /** More settings.js keys (JSON values). */
  settings?: Record<string, unknown>;
  /** Extra node directories (settings.nodesDir), e.g. the probe. */
  nodesDir?: string[];
  /** More environment variables for the process. */
  env?: Record<string, string>;
}

/**
 * The environment of a Node-RED (or npm) started by a user: without the npm_* variables `npm test`
 * sets for its scripts (they would configure an npm the runtime starts, e.g. the palette manager's),
 * and without CLAWARR_STATE_DIR, which other tests point elsewhere.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'CLAWARR_STATE_DIR') env[key] = value;
  return { ...env, ...extra };
}

export class NodeRedProcess {
  private child?: ChildProcess;
  output = '';

  constructor(readonly options: NodeRedOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Writes settings.js; flows.json and flows_cred.json are the caller's. */
  writeSettings(): string {
    const { userDir, port, settings = {}, nodesDir } = this.options;
    mkdirSync(userDir, { recursive: true });
    const all = {
      uiPort: port,
      uiHost: '127.0.0.1',
      userDir,
      flowFile: 'flows.json',
      credentialSecret: false,
      editorTheme: { projects: { enabled: false }, tours: false },
      telemetry: { enabled: false, updateNotification: false },
      logging: { console: { level: 'info', metrics: false, audit: false } },
      ...(nodesDir ? { nodesDir } : {}),
      ...settings,
    };
    const file = join(userDir, 'settings.js');
    writeFileSync(file, `module.exports = ${JSON.stringify(all, null, 2)};\n`);
    return file;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const settings = this.writeSettings();
    this.output = '';
    const env = userEnv(this.options.env);
    this.child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', this.options.userDir, '--settings', settings], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    const deadline = Date.now() + timeoutMs;
    while (!/\[info\] Started flows/.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`Node-RED exited (${this.child.exitCode}):\n${this.output}`);
      if (/Waiting for missing types/.test(this.output)) throw new Error(`Node-RED is missing node types:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`Node-RED did not start flows in ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      child.kill('SIGINT');
    });
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

  async post(path: string, body?: unknown): Promise<number> {
    const response = await fetch(this.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  }
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
