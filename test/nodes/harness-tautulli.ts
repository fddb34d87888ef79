// Test harness for tautulli-config, tautulli-in and match (not a spec file: mocha only loads *.spec.ts).
// Builds on harness.ts (helper, i18n identity, secrets surface, state dir per test) and loads the
// BUILT nodes from dist/, optionally as fresh modules (a Node-RED restart: no in-memory state survives).
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Node, NodeMessage } from 'node-red';
import {
  generateTautulliLibrary,
  startTautulliSandbox,
  TAUTULLI_SANDBOX_API_KEY,
  type TautulliItem,
  type TautulliLibrary,
  type TautulliSandbox,
} from '../sandbox';
import { freePort, ROOT } from '../support/node-red-process';
import { BASE_SETTINGS, catalog, helper, keyOf, loadBuilt, sleep, statusesOf, waitFor, type Creds } from './harness';

const NODE_NAMES = ['trakt-config', 'tautulli-config', 'tautulli-in', 'match'];

export const TAUTULLI_KEY = TAUTULLI_SANDBOX_API_KEY;
export const WRONG_KEY = 'wrong-tautulli-key-9876543210zyxw';

type FlowNode = Record<string, unknown>;

export interface LoadOptions {
  fresh?: boolean;
  settings?: Partial<typeof BASE_SETTINGS.clawarr>;
}

export async function loadFlow(flow: FlowNode[], credentials: Record<string, Creds | { apiKey?: string }> = {}, options: LoadOptions = {}): Promise<void> {
  await loadBuilt(NODE_NAMES, flow, credentials, { settings: { ...BASE_SETTINGS.clawarr, ...options.settings }, fresh: options.fresh });
}

// ---------------------------------------------------------------- the Tautulli side

/** ~300 watched plays by two users, ids agreeing with the small Trakt catalog of harness.ts. */
export const library: TautulliLibrary = generateTautulliLibrary(catalog, { plays: 300, users: ['alice', 'bob'], seed: 11 });
export const itemsByKey = new Map<number, TautulliItem>(library.items.map((i) => [i.ratingKey, i]));
const sessionById = new Map(library.sessions.map((s) => [s.id, s]));

export interface Group {
  ref: string;
  user: string;
  watched: boolean;
  stopped: number;
  item: TautulliItem;
}

/** One entry per grouped history row, with the group's exact stop time and its item. */
export const groups: Group[] = library.expected.map((e) => {
  const first = sessionById.get(Number(e.ref))!;
  const stopped = Math.max(...library.sessions.filter((s) => s.referenceId === first.referenceId).map((s) => s.stopped));
  return { ref: e.ref, user: e.user, watched: e.watched, stopped, item: itemsByKey.get(first.ratingKey)! };
});
export const watchedGroups = groups.filter((g) => g.watched);
/** Largest `stopped` of the history: the high-water mark after a full read. */
export const lastStop = Math.max(...library.sessions.map((s) => s.stopped));

const tautulliSandboxes: TautulliSandbox[] = [];

/** A fake Tautulli holding a fresh copy of the library (addPlays on one does not touch another). */
export async function startTautulli(options: { apiEnabled?: boolean; timezoneOffsetMinutes?: number } = {}): Promise<TautulliSandbox> {
  const sandbox = await startTautulliSandbox({ library, ...options });
  tautulliSandboxes.push(sandbox);
  return sandbox;
}

export async function closeTautullis(): Promise<void> {
  await Promise.all(tautulliSandboxes.splice(0).map((s) => s.close()));
}

/** A loopback port nothing listens on. */
export const closedPort = freePort;

export function cmdCalls(sandbox: TautulliSandbox, cmd: string): number {
  return sandbox.state.requestLog.filter((r) => r.cmd === cmd).length;
}

export interface TautulliInOptions {
  mode?: 'history' | 'webhook';
  users?: string;
  mediaTypes?: string;
  minWatched?: string;
  grouping?: boolean;
  output?: 'page' | 'item';
}

/** tab + tautulli-config (tz) + tautulli-in (in) → helper out, and a Catch node → helper err. */
export function tautulliFlow(url: string, options: TautulliInOptions = {}): FlowNode[] {
  return [
    { id: 'f1', type: 'tab' },
    { id: 'tz', type: 'clawarr-tautulli-config', url },
    { id: 'in', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', mediaTypes: 'movie,episode', minWatched: 'watched', grouping: true, output: 'page', ...options, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'f1' },
  ];
}

export const tautulliCreds = (apiKey = TAUTULLI_KEY): Record<string, { apiKey: string }> => ({ tz: { apiKey } });

/** How many end-of-read markers (an empty payload with msg.complete) reached each helper node. */
export const endMarkers: Record<string, number> = {};

/** Collects what reaches the given helper nodes; end-of-read markers are counted apart, in endMarkers. */
export function collect<K extends string>(...ids: K[]): Record<K, NodeMessage[]> {
  const out = {} as Record<K, NodeMessage[]>;
  for (const id of ids) {
    out[id] = [];
    endMarkers[id] = 0;
    helper.getNode(id).on('input', (msg: NodeMessage) => {
      const marker = Array.isArray(msg.payload) && msg.payload.length === 0 && 'complete' in msg;
      if (marker) endMarkers[id] += 1;
      else out[id].push(msg);
    });
  }
  return out;
}

const TERMINAL = ['tautulli-in.status.done', 'tautulli-in.status.none', 'tautulli-in.status.error'];

/** Triggers a history read and waits for its final status (done, none or error); returns that status key. */
export async function read(nodeId: string, msg: Record<string, unknown> = { payload: 'go' }, timeoutMs = 10_000): Promise<string> {
  const node = helper.getNode(nodeId) as Node;
  const before = statusesOf(node).length;
  node.receive(msg as NodeMessage);
  let last = '';
  await waitFor(
    () => {
      const fresh = statusesOf(node).slice(before).map((s) => keyOf(s.text));
      last = fresh.find((k) => TERMINAL.includes(k)) ?? '';
      return last !== '';
    },
    `${nodeId} to finish its read`,
    timeoutMs,
  );
  // Messages and Catch deliveries are asynchronous: let them land.
  await sleep(40);
  return last;
}

export interface MediaItemOut {
  type: string;
  title?: string;
  year?: number;
  season?: number;
  episode?: number;
  show?: { title?: string; year?: number; ids?: Record<string, string | number> };
  ids?: Record<string, string | number>;
  watchedAt?: string;
  action?: string;
  progress?: number;
  source?: { kind?: string; ref?: string; user?: string };
}

/** Every media item of page messages (arrays) and item messages, in order. */
export function itemsOf(messages: NodeMessage[]): MediaItemOut[] {
  return messages.flatMap((m) => (Array.isArray(m.payload) ? (m.payload as MediaItemOut[]) : [m.payload as MediaItemOut]));
}

/** The error a Catch node got; done(err) shows it as "Error: …", which is dropped here. */
export const errorText = (msg: NodeMessage): string => String((msg as { error?: { message?: string } }).error?.message ?? '').replace(/^Error: /, '');

/** The high-water-mark files of tautulli-in in the state dir, as text. */
export function readerState(): string {
  const dir = process.env.CLAWARR_STATE_DIR as string;
  return readdirSync(dir)
    .filter((f) => f.startsWith('tautulli-in-') && f.endsWith('.json'))
    .sort()
    .map((f) => `${f}=${readFileSync(join(dir, f), 'utf8')}`)
    .join('\n');
}

const OUR_CODE = [join(ROOT, 'dist'), join(ROOT, 'lib'), join(ROOT, 'nodes')].map((dir) => dir + sep);

/** Where a timer was created: the first clawarr frames (lib/, nodes/, dist/) of the stack. */
function createdBy(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = String(new Error().stack).split('\n').slice(2);
  Error.stackTraceLimit = limit;
  const ours = stack.filter((line) => OUR_CODE.some((dir) => line.includes(dir)));
  return (ours.length ? ours : stack).slice(0, 3).map((line) => line.trim()).join(' <- ');
}

/**
 * Records every setInterval from now until restore(); stillRunning() names those never cleared
 * (a node that leaves one behind keeps it firing after every redeploy, for the life of Node-RED).
 */
export function watchIntervals(): { stillRunning(): string[]; restore(): void } {
  const created: Array<{ timer: unknown; where: string }> = [];
  const original = globalThis.setInterval;
  const call = original as unknown as (...args: unknown[]) => unknown;
  globalThis.setInterval = ((...args: unknown[]) => {
    const timer = call(...args);
    created.push({ timer, where: createdBy() });
    return timer;
  }) as unknown as typeof setInterval;
  return {
    stillRunning: () => created.filter((c) => !(c.timer as { _destroyed?: boolean })._destroyed).map((c) => c.where),
    restore: () => {
      globalThis.setInterval = original;
    },
  };
}

/** ISO minute, as the answer key gives watchedAt. */
export const minuteOf = (iso: string | undefined): string => new Date(Math.floor(Date.parse(String(iso)) / 60_000) * 60_000).toISOString();

// ---------------------------------------------------------------- the Trakt side

export interface MatchOptions {
  threshold?: number;
  overrides?: Array<Record<string, unknown>>;
}

/** tab + trakt-config (tc) + match (m) → out1 / out2, and a Catch node → err. */
export function matchFlow(apiUrl: string, options: MatchOptions = {}): FlowNode[] {
  return [
    { id: 'f1', type: 'tab' },
    { id: 'tc', type: 'clawarr-trakt-config', apiUrl },
    { id: 'm', type: 'clawarr-match', z: 'f1', tracker: 'tc', threshold: 0.8, overrides: [], ...options, wires: [['out1'], ['out2']] },
    { id: 'out1', type: 'helper', z: 'f1' },
    { id: 'out2', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'f1' },
  ];
}
