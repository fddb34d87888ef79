// Test harness for clawarr-csv-import, clawarr-csv-export, clawarr-tracker-in and the list writes of
// clawarr-sync-history (not a spec file: mocha only loads *.spec.ts). Builds on harness.ts (helper,
// state dir per test, status spies) and loads the BUILT nodes from dist/, optionally as fresh modules
// (a Node-RED restart). Unlike harness.ts, RED._ renders the real en-US catalogs, so what the tests
// read is the sentence a user reads; `t` renders a key the same way for comparisons.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeMessage } from 'node-red';
import { listKey } from '../sandbox/trakt/state';
import { recordChange } from '../sandbox/simkl/library';
import type { ActivityGroup } from '../sandbox/simkl/activities';
import type { SimklSandbox, TraktSandbox } from '../sandbox';
import { CATALOG, catalog, helper, loadBuilt, sleep } from './harness';
import { SCROBBLE_SETTINGS, SIMKL_CLIENT_ID, SIMKL_CLIENT_SECRET, simklCatalog } from './harness-scrobble';

const ROOT = resolve(__dirname, '..', '..');
const NODE_NAMES = ['trakt-config', 'simkl-config', 'sync-history', 'tracker-in', 'csv-import', 'csv-export'];

export const FIXTURES = join(ROOT, 'test', 'fixtures');

// ---------------------------------------------------------------- the real en-US catalogs

type Catalog = Record<string, unknown>;
const catalogs: Catalog = {};
for (const name of readdirSync(join(ROOT, 'nodes'))) {
  const dir = join(ROOT, 'nodes', name, 'locales', 'en-US');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    continue;
  }
  for (const file of files) Object.assign(catalogs, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Catalog);
}

/** A catalog string with its __substitutions__, as Node-RED's i18n renders it; the key itself when missing. */
export function t(key: string, subs: Record<string, unknown> = {}): string {
  let value: unknown = catalogs;
  for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Catalog)[part] : undefined;
  if (typeof value !== 'string') return key;
  return value.replace(/__([A-Za-z0-9_]+)__/g, (whole, name: string) => (name in subs ? String(subs[name]) : whole));
}

/** Whether a rendered text is the catalog string of `key` (any substitutions). */
export function isText(text: unknown, key: string): boolean {
  const template = t(key);
  if (template === key) return false;
  const pattern = template.split(/__[A-Za-z0-9_]+__/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(String(text ?? ''));
}

// ---------------------------------------------------------------- loading the nodes

export type FlowNode = Record<string, unknown>;

export async function loadFlow(flow: FlowNode[], credentials: Record<string, Record<string, string | undefined>> = {}, options: { fresh?: boolean } = {}): Promise<void> {
  // The real catalogs for RED._, the same settings as the scrobble tests.
  await loadBuilt(NODE_NAMES, flow, credentials, { settings: SCROBBLE_SETTINGS, fresh: options.fresh, translate: t });
}

/** The node under test (`n1`) on a tab, wired to out1 (and out2 when it has two outputs), plus a Catch node → err. */
export function flowWith(node: FlowNode, config?: FlowNode): FlowNode[] {
  const outputs = node.type === 'clawarr-csv-import' || node.type === 'clawarr-sync-history' ? [['out1'], ['out2']] : [['out1']];
  return [
    { id: 'f1', type: 'tab' },
    ...(config ? [config] : []),
    { id: 'n1', z: 'f1', wires: outputs, ...node },
    { id: 'out1', type: 'helper', z: 'f1' },
    { id: 'out2', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'f1' },
  ];
}

/** An item as the nodes send it (every field a test reads; all optional but the type). */
export interface ItemOut {
  type: string;
  title?: string;
  year?: number;
  season?: number;
  episode?: number;
  show?: { title?: string; ids?: Record<string, unknown> };
  ids?: Record<string, unknown>;
  watchedAt?: string;
  rating?: number;
  listedAt?: string;
  collectedAt?: string;
  action?: string;
  source?: { kind?: string; ref?: string; list?: string };
}

export type Collected = { out1: NodeMessage[]; out2: NodeMessage[]; err: NodeMessage[] };

export function collect(): Collected {
  const out: Collected = { out1: [], out2: [], err: [] };
  for (const id of ['out1', 'out2', 'err'] as const) helper.getNode(id)?.on('input', (msg: NodeMessage) => out[id].push(msg));
  return out;
}

export async function until(condition: () => boolean, label: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(5);
  }
}

export const errorText = (msg: NodeMessage | undefined): string => String((msg as { error?: { message?: string } } | undefined)?.error?.message ?? '');
export const reasonOf = (msg: NodeMessage | undefined): string => String((msg as { reason?: unknown } | undefined)?.reason ?? '');
export const isComplete = (msg: NodeMessage): boolean => Object.prototype.hasOwnProperty.call(msg, 'complete');
/** The items of the messages (pages or single items), leaving out the complete markers. */
export const itemsOf = (msgs: NodeMessage[]): ItemOut[] => msgs.filter((m) => !isComplete(m)).flatMap((m) => (Array.isArray(m.payload) ? (m.payload as ItemOut[]) : [m.payload as ItemOut]));

// ---------------------------------------------------------------- the fake Trakt's account

const movieOf = (i: number) => catalog.movies[i];

/** Episode n (0-based) of the small catalog. */
export function episodeRef(n: number) {
  const perShow = CATALOG.seasonsPerShow * CATALOG.episodesPerSeason;
  const show = catalog.shows[Math.floor(n / perShow)];
  const season = show.seasons[Math.floor((n % perShow) / CATALOG.episodesPerSeason)];
  const episode = season.episodes[n % CATALOG.episodesPerSeason];
  return { show, season, episode };
}

/** A play recorded on the fake Trakt as POST /sync/history records it (history stamp moved to now). */
export function traktPlay(sb: TraktSandbox, type: 'movie' | 'episode', index: number, watchedAt: string): number {
  const id = type === 'movie' ? movieOf(index).trakt : episodeRef(index).episode.ids.trakt;
  sb.state.addPlay(type, id, watchedAt);
  sb.state.touchHistory([type]);
  return id;
}

export function traktRating(sb: TraktSandbox, index: number, rating: number, ratedAt: string): void {
  const id = movieOf(index).trakt;
  sb.state.ratings.set(listKey('movie', id), { type: 'movie', traktId: id, rating, ratedAt });
  sb.state.touchList('rated_at', ['movies']);
}

export function traktWatchlist(sb: TraktSandbox, index: number, listedAt: string): void {
  const id = movieOf(index).trakt;
  sb.state.watchlist.set(listKey('movie', id), { id: sb.state.nextListEntryId++, type: 'movie', traktId: id, listedAt });
  sb.state.touchList('watchlisted_at', ['movies']);
}

export function traktCollect(sb: TraktSandbox, type: 'movie' | 'episode', index: number, collectedAt: string): void {
  const id = type === 'movie' ? movieOf(index).trakt : episodeRef(index).episode.ids.trakt;
  sb.state.collection.set(listKey(type, id), { type, traktId: id, collectedAt, updatedAt: collectedAt });
  sb.state.touchList('collected_at', [type === 'movie' ? 'movies' : 'episodes']);
}

/**
 * Moves every last_activities stamp `seconds` into the past. Trakt's stamps have whole seconds; a
 * change made in the same second as the stamp a reader kept would look unchanged, so tests that
 * change something right after a read put the earlier stamps safely behind.
 */
export function ageTraktActivities(sb: TraktSandbox, seconds = 120): void {
  const past = new Date(Date.now() - seconds * 1000).toISOString();
  sb.state.lastActivities = { all: past, moviesWatchedAt: past, episodesWatchedAt: past };
  for (const key of sb.state.listActivities.keys()) sb.state.listActivities.set(key, past);
}

export function traktRequests(sb: TraktSandbox): string[] {
  return sb.state.requestLog.map((e) => `${e.method} ${e.path}`);
}

// ---------------------------------------------------------------- the fake Simkl's account

export function simklCreds(sb: SimklSandbox): Record<string, string> {
  return { clientId: SIMKL_CLIENT_ID, clientSecret: SIMKL_CLIENT_SECRET, accessToken: sb.state.issueToken() };
}

/** A movie play recorded on the fake Simkl as POST /sync/history records it. */
export function simklMoviePlay(sb: SimklSandbox, index: number, watchedAt: string): number {
  const id = simklCatalog.movies[index].simkl;
  sb.state.addPlay({ type: 'movie', simklId: id, watchedAt, via: 'sync' });
  recordChange(sb.state, 'movie', id);
  return id;
}

/** Every Simkl activity stamp `seconds` into the past (Simkl prints whole seconds too). */
export function ageSimklActivities(sb: SimklSandbox, seconds = 120): void {
  const past = new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const a = sb.state.activities;
  a.all = past;
  for (const group of ['movies', 'tv_shows', 'anime'] as ActivityGroup[]) {
    const fields = a[group] as Record<string, string | null | undefined>;
    for (const field of Object.keys(fields)) if (fields[field]) fields[field] = past;
  }
  for (const key of sb.state.itemUpdatedAt.keys()) sb.state.itemUpdatedAt.set(key, Date.now() - seconds * 1000);
}

export function simklRequests(sb: SimklSandbox): string[] {
  return sb.state.requestLog.map((e) => `${e.method} ${e.path}`);
}
