// Shared test harness for the node tests (not a spec file: mocha only loads *.spec.ts).
// Runs the BUILT nodes (dist/) in node-red-node-test-helper against the loopback fake Trakt.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { inspect } from 'node:util';
import helper from 'node-red-node-test-helper';
import type { Node, NodeMessage } from 'node-red';
import type { SinonSpy } from 'sinon';
import { catalogFor, startTraktSandbox, type TraktSandbox, type TraktSandboxOptions } from '../sandbox';

const DIST = resolve(__dirname, '..', '..', 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SyncLedger } = require('../../dist/lib/sync/ledger') as { SyncLedger: { closeAll(): void } };

export { helper, SyncLedger };

export const CLIENT_ID = 'sandbox-client-id';
export const CLIENT_SECRET = 'sandbox-client-secret';
/** Small catalog: fast to build, still enough for 250 distinct plays. */
export const CATALOG = { movies: 300, shows: 4, seasonsPerShow: 3, episodesPerSeason: 10 };
export const catalog = catalogFor({ catalog: CATALOG });

export const BASE_SETTINGS = {
  clawarr: { devicePollMs: 20, limits: { writeSpacingMs: 20, readsPerWindow: 1000 }, backoffBaseMs: 5, timeoutMs: 2000 },
};

helper.init(require.resolve('node-red'));

/**
 * The helper sets RED._ to the identity, so a substitution (the reason of an invalid item, the
 * counts of a status) would vanish. This keeps the i18n key first and appends the substitutions,
 * which is what a locale string that uses them would show.
 */
export function i18n(key: string, subs?: Record<string, unknown>): string {
  return subs && Object.keys(subs).length ? `${key} ${JSON.stringify(subs)}` : key;
}

/** The i18n key of a status text or message rendered by `i18n`. */
export const keyOf = (text: unknown): string => String(text ?? '').split(' ')[0];

// ---------------------------------------------------------------- loading the built nodes

type NodeModule = (RED: unknown) => void;
/** What RED._ renders a catalog key with. */
export type Translate = (key: string, subs?: Record<string, unknown>) => string;

export interface BuiltNodesOptions {
  /** Drop every dist module from require's cache first: no in-memory state survives (a Node-RED restart). */
  fresh?: boolean;
  /** RED._ for the nodes; the `i18n` stand-in unless told. */
  translate?: Translate;
}

/** The built modules dist/nodes/<name>/<name>.js, each given RED._ before it registers its node. */
export function builtNodes(names: readonly string[], options: BuiltNodesOptions = {}): NodeModule[] {
  if (options.fresh) for (const id of Object.keys(require.cache)) if (id.startsWith(DIST + sep)) delete require.cache[id];
  const translate = options.translate ?? i18n;
  return names.map((name) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(join(DIST, 'nodes', name, `${name}.js`)) as NodeModule;
    return (RED: unknown) => {
      (RED as { _: Translate })._ = translate;
      return module(RED);
    };
  });
}

/** Puts `settings` under RED.settings.clawarr and loads `flow` on the built nodes named (see builtNodes). */
export async function loadBuilt(names: readonly string[], flow: unknown[], credentials: Record<string, unknown>, options: BuiltNodesOptions & { settings: object }): Promise<void> {
  helper.settings({ clawarr: options.settings } as never);
  await helper.load(builtNodes(names, options) as never, flow as never, credentials as never);
}

/** Loaded once with this file: what `load` runs (never re-read by a fresh load elsewhere). */
export const [traktConfig, syncHistory] = builtNodes(['trakt-config', 'sync-history']);

// ---------------------------------------------------------------- sandboxes and secrets

const sandboxes: TraktSandbox[] = [];
const extraSecrets = new Set<string>([CLIENT_SECRET]);

/** Starts a fake Trakt (small catalog, 100x faster clock); its tokens and device codes count as secrets. */
export async function startSandbox(options: TraktSandboxOptions = {}): Promise<TraktSandbox> {
  const sandbox = await startTraktSandbox({ timeScale: 0.01, catalog: CATALOG, ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

export function addSecret(value: string): void {
  extraSecrets.add(value);
}

/** Every secret any sandbox of this process ever handed out, plus the client secret. */
export function allSecrets(): string[] {
  const out = new Set(extraSecrets);
  for (const sandbox of sandboxes) {
    for (const token of sandbox.state.tokens.access.keys()) out.add(token);
    for (const token of sandbox.state.tokens.refresh.keys()) out.add(token);
    const byDevice = (sandbox.state.deviceCodes as unknown as { byDevice: Map<string, unknown> }).byDevice;
    for (const code of byDevice.keys()) out.add(code);
  }
  return [...out];
}

// ---------------------------------------------------------------- state dir, flows, credentials

let stateDir = '';

/** A fresh CLAWARR_STATE_DIR; must be set before helper.load (the nodes read it at registration). */
export function freshStateDir(): string {
  stateDir = mkdtempSync(join(tmpdir(), 'clawarr-nodes-'));
  process.env.CLAWARR_STATE_DIR = stateDir;
  return stateDir;
}

export function tokensFile(): { mode: number; content: Record<string, { accessToken?: string; refreshToken?: string; username?: string; expiresAt?: number }> } {
  const file = join(stateDir, 'tokens.json');
  return { mode: statSync(file).mode & 0o777, content: JSON.parse(readFileSync(file, 'utf8')) };
}

export function storedTokens(id = 'cfg'): { accessToken?: string; refreshToken?: string; username?: string } | undefined {
  try {
    return tokensFile().content[id];
  } catch {
    return undefined;
  }
}

export interface Creds {
  clientId: string;
  clientSecret: string;
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: string;
}

/** Config node credentials holding a fresh, valid token pair issued by the sandbox. */
export function authorizedCreds(sandbox: TraktSandbox): Creds {
  const t = sandbox.state.issueTokens();
  return {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date((t.created_at + t.expires_in) * 1000).toISOString(),
  };
}

export interface SyncOptions {
  batchSize?: number;
  idleSeconds?: number;
  dryRun?: boolean;
  undated?: 'reject' | 'unknown';
  rewatches?: 'all' | 'first';
}

type FlowNode = Record<string, unknown>;

/** tab + config + sync-history (s1) wired to out1/out2, and a Catch node (c1) wired to err. */
export function syncFlow(apiUrl: string, options: SyncOptions = {}): FlowNode[] {
  return [
    { id: 'f1', type: 'tab' },
    { id: 'cfg', type: 'clawarr-trakt-config', apiUrl },
    { id: 's1', type: 'clawarr-sync-history', z: 'f1', tracker: 'cfg', batchSize: 100, idleSeconds: 0.05, ...options, wires: [['out1'], ['out2']] },
    { id: 'out1', type: 'helper', z: 'f1' },
    { id: 'out2', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'f1' },
  ];
}

export function configFlow(apiUrl: string): FlowNode[] {
  return [{ id: 'cfg', type: 'clawarr-trakt-config', apiUrl }];
}

export async function load(flow: FlowNode[], credentials: Record<string, Creds> = {}, settings: Partial<typeof BASE_SETTINGS.clawarr> = {}): Promise<void> {
  helper.settings({ clawarr: { ...BASE_SETTINGS.clawarr, ...settings } });
  await helper.load([traktConfig, syncHistory], flow as never, credentials as never);
}

// ---------------------------------------------------------------- outputs, statuses, waiting

export interface Outputs {
  out1: NodeMessage[];
  out2: NodeMessage[];
  err: NodeMessage[];
}

/** Collects what reaches the helper nodes out1 (summaries), out2 (not synced) and err (Catch). */
export function collectOutputs(): Outputs {
  const outputs: Outputs = { out1: [], out2: [], err: [] };
  for (const id of ['out1', 'out2', 'err'] as const) {
    const node = helper.getNode(id);
    if (node) node.on('input', (msg: NodeMessage) => outputs[id].push(msg));
  }
  return outputs;
}

type ProtoMethod = 'status' | 'error' | 'warn' | 'log' | 'debug' | 'trace' | 'send';

function protoSpy(method: ProtoMethod): SinonSpy | undefined {
  const proto = (helper as unknown as { _NodePrototype: Record<string, SinonSpy> })._NodePrototype;
  const spy = proto?.[method];
  return spy && typeof spy.getCalls === 'function' ? spy : undefined;
}

export interface StatusCall {
  fill?: string;
  shape?: string;
  text?: string;
}

/** Every status the node showed, oldest first. */
export function statusesOf(node: Node): StatusCall[] {
  return (protoSpy('status')?.getCalls() ?? []).filter((call) => call.thisValue === node).map((call) => call.args[0] as StatusCall);
}

export function errorsOf(node: Node): unknown[][] {
  return (protoSpy('error')?.getCalls() ?? []).filter((call) => call.thisValue === node).map((call) => call.args);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(condition: () => boolean, label: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(5);
  }
}

export function requestsTo(sandbox: TraktSandbox, method: string, path: string): number {
  return sandbox.state.requestLog.filter((entry) => entry.method === method && entry.path === path).length;
}

// ---------------------------------------------------------------- what a user can see

const surface: string[] = [];

const show = (value: unknown): string =>
  typeof value === 'string' ? value : inspect(value, { depth: 30, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity });

/** Records something the user sees (an admin endpoint's answer, a message) for the secrets check. */
export function recordSurface(value: unknown): void {
  surface.push(show(value));
}

/**
 * Everything the nodes showed during the test: statuses, sends, node.error/warn/log arguments and
 * the runtime log. Must run before helper.unload(), which restores the spies.
 */
export function captureSurface(): void {
  for (const method of ['status', 'error', 'warn', 'log', 'debug', 'trace', 'send'] as const) {
    for (const call of protoSpy(method)?.getCalls() ?? []) surface.push(show(call.args));
  }
  const logSpy = (helper as unknown as { _logSpy?: SinonSpy })._logSpy;
  for (const call of logSpy?.getCalls() ?? []) surface.push(show(call.args));
}

export function surfaceSize(): number {
  return surface.length;
}

/** Secrets found in the recorded surface, with a bit of context each. */
export function leakedSecrets(): string[] {
  const leaks: string[] = [];
  const secrets = allSecrets();
  for (const text of surface) {
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      if (at >= 0) leaks.push(`${secret.slice(0, 8)}… in: ${text.slice(Math.max(0, at - 120), at + secret.length + 40)}`);
    }
  }
  return leaks;
}

// ---------------------------------------------------------------- the editor's "Authorize" endpoints

/** What the auth endpoints of a config node answer. */
export interface AuthStatus {
  state: string;
  userCode?: string;
  verificationUrl?: string;
  expiresIn?: number;
  username?: string;
  message?: string;
}

export interface AuthEndpoints {
  /** `/<type>/cfg/auth`. */
  admin: string;
  /** POST start; the answer must have `expectStatus`. */
  start(body: Record<string, unknown>, expectStatus?: number): Promise<AuthStatus>;
  /** GET status; the answer must be a 200. */
  status(): Promise<AuthStatus>;
  /** Polls the status like the editor does until it leaves `pending`. */
  settled(timeoutMs?: number): Promise<AuthStatus>;
  /** POST cancel; the answer must be a 200. */
  cancel(): Promise<AuthStatus>;
}

/**
 * The editor's auth endpoints of the config node `cfg` of `type`, as the editor calls them. Every
 * answer goes on the surface of the secrets check; `checkText` runs on the text of every start and
 * status answer too.
 */
export function authEndpoints(type: string, checkText: (text: string) => void = () => undefined): AuthEndpoints {
  const admin = `/${type}/cfg/auth`;
  async function start(body: Record<string, unknown>, expectStatus = 200): Promise<AuthStatus> {
    const res = await helper.request().post(`${admin}/start`).send(body);
    recordSurface(res.text);
    expect(res.status, `start answered ${res.status}: ${res.text}`).to.equal(expectStatus);
    checkText(res.text);
    return res.body as AuthStatus;
  }
  async function status(): Promise<AuthStatus> {
    const res = await helper.request().get(`${admin}/status`);
    recordSurface(res.text);
    expect(res.status).to.equal(200);
    checkText(res.text);
    return res.body as AuthStatus;
  }
  async function settled(timeoutMs = 4000): Promise<AuthStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await status();
      if (current.state !== 'pending') return current;
      if (Date.now() > deadline) throw new Error(`authorization still pending after ${timeoutMs} ms`);
      await sleep(10);
    }
  }
  async function cancel(): Promise<AuthStatus> {
    const res = await helper.request().post(`${admin}/cancel`).send({});
    recordSurface(res.text);
    expect(res.status).to.equal(200);
    return res.body as AuthStatus;
  }
  return { admin, start, status, settled, cancel };
}

// ---------------------------------------------------------------- mocha wiring

/** Starts the helper's server for the file, and gives each test a fresh state dir and ledger cache. */
export function useNodeRed(): void {
  before((done) => {
    helper.settings(BASE_SETTINGS);
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  beforeEach(() => {
    freshStateDir();
  });
  afterEach(async () => {
    captureSurface();
    await helper.unload();
    SyncLedger.closeAll();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
}

/**
 * One fake tracker for the enclosing describe: started before its tests (and handed to `use`),
 * closed after them, its state reset before each test. Call it after useNodeRed().
 */
export function useSandbox<S extends { close(): Promise<unknown>; state: { reset(): void } }>(start: () => Promise<S>, use: (sandbox: S) => void): void {
  let sandbox: S | undefined;
  before(async () => {
    sandbox = await start();
    use(sandbox);
  });
  after(async () => sandbox?.close());
  beforeEach(() => sandbox!.state.reset());
}

// ---------------------------------------------------------------- plays from the catalog

const BASE_TIME = Date.UTC(2024, 0, 1, 12, 0);
export const minute = (n: number): string => new Date(BASE_TIME + n * 60_000).toISOString();

export interface PlayItem {
  type: 'movie' | 'episode';
  title?: string;
  year?: number;
  season?: number;
  episode?: number;
  show?: { title: string; year: number; ids: { tvdb: number; imdb: string; tmdb: number } };
  ids?: Record<string, string | number>;
  watchedAt?: string;
  rating?: number;
}

export function moviePlay(index: number, at: number): PlayItem {
  const m = catalog.movies[index];
  return { type: 'movie', title: m.title, year: m.year, ids: { imdb: m.imdb, tmdb: m.tmdb }, watchedAt: minute(at) };
}

/** Episode n (0-based, across the catalog's shows/seasons); withIds=false: only show ids + numbers. */
export function episodePlay(n: number, at: number, withIds = true): PlayItem {
  const perShow = CATALOG.seasonsPerShow * CATALOG.episodesPerSeason;
  const show = catalog.shows[Math.floor(n / perShow)];
  const season = show.seasons[Math.floor((n % perShow) / CATALOG.episodesPerSeason)];
  const episode = season.episodes[n % CATALOG.episodesPerSeason];
  return {
    type: 'episode',
    title: episode.title,
    season: season.number,
    episode: episode.number,
    show: { title: show.title, year: show.year, ids: { tvdb: show.tvdb, imdb: show.imdb, tmdb: show.tmdb } },
    ...(withIds ? { ids: { tvdb: episode.ids.tvdb, imdb: episode.ids.imdb, tmdb: episode.ids.tmdb } } : {}),
    watchedAt: minute(at),
  };
}

/** The sandbox's trakt id of a play built above. */
export function traktIdOf(play: PlayItem): number {
  if (play.type === 'movie') return catalog.movies.find((m) => m.imdb === play.ids?.imdb)!.trakt;
  const show = catalog.shows.find((s) => s.tvdb === play.show?.ids.tvdb)!;
  return show.seasons.find((s) => s.number === play.season)!.episodes.find((e) => e.number === play.episode)!.ids.trakt;
}

/** "movie:12@2024-01-01T12:05:00.000Z": what the user would see in their Trakt history. */
export function playKey(play: PlayItem): string {
  return `${play.type}:${traktIdOf(play)}@${play.watchedAt}`;
}

export function sandboxPlayKeys(sandbox: TraktSandbox): string[] {
  return sandbox.state.plays.map((p) => `${p.type}:${p.movieId ?? p.episodeId}@${p.watchedAt}`);
}
