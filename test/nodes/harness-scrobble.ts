// Test harness for clawarr-scrobble and clawarr-simkl-config (not a spec file: mocha only loads *.spec.ts).
// Builds on harness.ts (helper, i18n identity, secrets surface, state dir per test) and loads the BUILT
// nodes from dist/, optionally as fresh modules (a Node-RED restart: no in-memory state survives).
// One interface over the fake Trakt and the fake Simkl, so the scrobble suite runs against both.
import type { NodeMessage } from 'node-red';
import { simklCatalogFor, startSimklSandbox, type SimklSandbox, type TraktSandbox } from '../sandbox';
import { addSecret, authorizedCreds, CATALOG, catalog, CLIENT_SECRET, helper, loadBuilt, sleep, startSandbox } from './harness';

const NODE_NAMES = ['trakt-config', 'simkl-config', 'sync-history', 'match', 'scrobble'];

/** The settings the brief asks for: fast writes, many reads, quick polls and back-offs. */
export const SCROBBLE_SETTINGS = {
  limits: { writeSpacingMs: 20, readsPerWindow: 1000, readWindowMs: 1000 },
  backoffBaseMs: 5,
  devicePollMs: 20,
  timeoutMs: 2000,
};

export const SIMKL_CLIENT_ID = 'sandbox-simkl-client-id';
export const SIMKL_CLIENT_SECRET = 'sandbox-simkl-client-secret';
export const SIMKL_USER = 'sandbox-simkl-user';
export const TRAKT_USER = 'sandbox-user';

type FlowNode = Record<string, unknown>;

export async function loadFlow(flow: FlowNode[], credentials: Record<string, Record<string, string | undefined>> = {}, options: { fresh?: boolean } = {}): Promise<void> {
  await loadBuilt(NODE_NAMES, flow, credentials, { settings: SCROBBLE_SETTINGS, fresh: options.fresh });
}

export interface ScrobbleFlowOptions {
  mode?: 'scrobble' | 'checkin';
  coalesceSeconds?: number;
  /** Adds a sync-history node `s1` (→ sum / ns) on the same config. */
  sync?: boolean;
  /** Adds a match node `m1` (→ mo1 / mo2) on the same config. */
  match?: boolean;
}

/**
 * tab + config `cfg` + scrobble `sc` (→ out1 / out2) + a Catch node (→ err), optionally a
 * sync-history and a match node on the same account.
 */
export function scrobbleFlow(tracker: TrackerUnderTest, options: ScrobbleFlowOptions = {}): FlowNode[] {
  const flow: FlowNode[] = [
    { id: 'f1', type: 'tab' },
    { id: 'cfg', type: tracker.configType, apiUrl: tracker.url },
    { id: 'sc', type: 'clawarr-scrobble', z: 'f1', tracker: 'cfg', mode: options.mode ?? 'scrobble', coalesceSeconds: options.coalesceSeconds ?? 0.1, wires: [['out1'], ['out2']] },
    { id: 'out1', type: 'helper', z: 'f1' },
    { id: 'out2', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'f1' },
  ];
  if (options.sync) {
    flow.push(
      { id: 's1', type: 'clawarr-sync-history', z: 'f1', tracker: 'cfg', batchSize: 100, idleSeconds: 0.05, wires: [['sum'], ['ns']] },
      { id: 'sum', type: 'helper', z: 'f1' },
      { id: 'ns', type: 'helper', z: 'f1' },
    );
  }
  if (options.match) {
    flow.push({ id: 'm1', type: 'clawarr-match', z: 'f1', tracker: 'cfg', wires: [['mo1'], ['mo2']] }, { id: 'mo1', type: 'helper', z: 'f1' }, { id: 'mo2', type: 'helper', z: 'f1' });
  }
  return flow;
}

export type Collected = Record<string, NodeMessage[]>;

/** Collects what reaches the given helper nodes (those missing from the flow are skipped). */
export function collect(ids: string[] = ['out1', 'out2', 'err', 'sum', 'ns', 'mo1', 'mo2']): Collected {
  const out: Collected = {};
  for (const id of ids) {
    out[id] = [];
    const node = helper.getNode(id);
    if (node) node.on('input', (msg: NodeMessage) => out[id].push(msg));
  }
  return out;
}

// ---------------------------------------------------------------- items

export interface EventItem {
  type: 'movie' | 'episode';
  title?: string;
  year?: number;
  season?: number;
  episode?: number;
  show?: { title: string; year?: number; ids?: Record<string, string | number> };
  ids?: Record<string, string | number>;
  watchedAt?: string;
  action?: string;
  progress?: number;
  source?: { kind: string; ref?: string; user?: string };
}

/** Movie i of the small catalog both fakes share (imdb/tmdb ids agree on both). */
export function movie(i: number): EventItem {
  const m = catalog.movies[i];
  return { type: 'movie', title: m.title, year: m.year, ids: { imdb: m.imdb, tmdb: m.tmdb } };
}

/** Episode `number` of season `season` of show j, by its show's ids and its numbers. */
export function episode(j: number, season: number, number: number): EventItem {
  const s = catalog.shows[j];
  return { type: 'episode', title: `Episode ${number}`, season, episode: number, show: { title: s.title, year: s.year, ids: { tvdb: s.tvdb, imdb: s.imdb, tmdb: s.tmdb } } };
}

/** A playback event: the item plus action and progress, and the Plex user when given. */
export function playback(item: EventItem, action: string, progress?: number, user?: string): EventItem {
  const event: EventItem = { ...item, action };
  if (progress !== undefined) event.progress = progress;
  if (user) event.source = { kind: 'tautulli', user };
  return event;
}

/** "movie:Movie 3 (1953)" / "episode:Game of Thrones:6x1": how a user reads a play or a "watching now". */
export const movieKey = (item: EventItem): string => `movie:${item.title} (${item.year})`;
export const episodeKey = (showTitle: string, season: number, number: number): string => `episode:${showTitle}:${season}x${number}`;

// ---------------------------------------------------------------- the trackers

export interface PlayView {
  key: string;
  watchedAt: string;
}

export interface TrackerUnderTest {
  name: 'Trakt' | 'Simkl';
  configType: 'clawarr-trakt-config' | 'clawarr-simkl-config';
  url: string;
  start(): Promise<void>;
  close(): Promise<void>;
  reset(): void;
  /** Credentials of an authorized config node (a fresh token). */
  creds(): Record<string, string>;
  /** The plays in the account's history, as a user would read them. */
  plays(): PlayView[];
  /** What the tracker shows for the account's playback of this item: start (watching now), pause, scrobble. */
  playbackOf(key: string): string | undefined;
  /** Requests that reached the fake, by method and path pattern. */
  requests(method: string, path: RegExp): number;
  /** Another app of the same account scrobbled this movie a moment ago (the tracker answers 409 to a repeat). */
  scrobbledElsewhere(item: EventItem): void;
  /** The user revoked the app: every token of the account stops working, no refresh possible. */
  revoke(): void;
  secrets(): string[];
  /** Trakt only: running check-ins of the account. */
  checkins?(): number;
}

const minute = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

export function traktUnderTest(): TrackerUnderTest {
  let sb: TraktSandbox;
  const movies = new Map(catalog.movies.map((m) => [m.trakt, m]));
  const episodes = new Map<number, string>();
  for (const show of catalog.shows) for (const season of show.seasons) for (const e of season.episodes) episodes.set(e.ids.trakt, episodeKey(show.title, season.number, e.number));
  const keyOf = (type: string, id: number): string => {
    if (type === 'movie') {
      const m = movies.get(id);
      return m ? movieKey({ type: 'movie', title: m.title, year: m.year }) : `movie:#${id}`;
    }
    return episodes.get(id) ?? `episode:#${id}`;
  };
  return {
    name: 'Trakt',
    configType: 'clawarr-trakt-config',
    get url() {
      return sb.url;
    },
    start: async () => {
      // 100x faster clock: the 1 h "just scrobbled" window is 36 s, a check-in lasts 72 s.
      sb = await startSandbox({ timeScale: 0.01 });
    },
    close: () => sb.close(),
    reset: () => sb.state.reset(),
    creds: () => authorizedCreds(sb) as unknown as Record<string, string>,
    plays: () => sb.state.plays.map((p) => ({ key: keyOf(p.type, (p.movieId ?? p.episodeId)!), watchedAt: p.watchedAt })),
    playbackOf(key) {
      for (const [k, v] of sb.state.playback) {
        const [, item] = k.split('|');
        const [type, id] = item.split(':');
        if (keyOf(type, Number(id)) === key) return v.action;
      }
      return undefined;
    },
    requests: (method, path) => sb.state.requestLog.filter((e) => e.method === method && path.test(e.path)).length,
    scrobbledElsewhere(item) {
      const m = catalog.movies.find((c) => c.imdb === item.ids?.imdb)!;
      const now = Date.now();
      const play = sb.state.addPlay('movie', m.trakt, minute(now), 'scrobble');
      sb.state.scrobbles.push({ at: now, username: TRAKT_USER, requested: 'stop', result: 'scrobble', type: 'movie', traktId: m.trakt, progress: 90, playId: play.id, watchedAt: play.watchedAt });
    },
    revoke() {
      for (const token of sb.state.tokens.refresh.keys()) sb.state.tokens.revoke(token);
      sb.state.expireAccessTokens();
    },
    secrets: () => [CLIENT_SECRET, ...sb.state.tokens.access.keys(), ...sb.state.tokens.refresh.keys()],
    checkins: () => sb.state.checkins.size,
  };
}

export const simklCatalog = simklCatalogFor({ catalog: CATALOG });

export function simklUnderTest(): TrackerUnderTest {
  let sb: SimklSandbox;
  const movies = new Map(simklCatalog.movies.map((m) => [m.simkl, m]));
  const shows = new Map(simklCatalog.shows.map((s) => [s.simkl, s]));
  const itemKey = (raw: string): string => {
    // movie:<simkl> or episode:<show simkl>:<season>x<number>
    const [type, id, numbers] = raw.split(':');
    if (type === 'movie') {
      const m = movies.get(Number(id));
      return m ? movieKey({ type: 'movie', title: m.title, year: m.year }) : raw;
    }
    const s = shows.get(Number(id));
    const [season, number] = (numbers ?? '').split('x').map(Number);
    return s ? episodeKey(s.title, season, number) : raw;
  };
  return {
    name: 'Simkl',
    configType: 'clawarr-simkl-config',
    get url() {
      return sb.url;
    },
    start: async () => {
      sb = await startSimklSandbox({ timeScale: 0.01, catalog: CATALOG });
    },
    close: () => sb.close(),
    reset: () => sb.state.reset(),
    creds: () => ({ clientId: SIMKL_CLIENT_ID, clientSecret: SIMKL_CLIENT_SECRET, accessToken: sb.state.issueToken() }),
    plays: () =>
      sb.state.plays.map((p) => ({ key: itemKey(p.type === 'movie' ? `movie:${p.simklId}` : `episode:${p.simklId}:${p.season}x${p.episode}`), watchedAt: p.watchedAt })),
    playbackOf(key) {
      for (const [k, v] of sb.state.playback) if (itemKey(k.slice(k.indexOf('|') + 1)) === key) return v.action;
      return undefined;
    },
    requests: (method, path) => sb.state.requestLog.filter((e) => e.method === method && path.test(e.path)).length,
    scrobbledElsewhere(item) {
      const m = simklCatalog.movies.find((c) => c.imdb === item.ids?.imdb)!;
      const now = Date.now();
      const play = sb.state.addPlay({ type: 'movie', simklId: m.simkl, watchedAt: minute(now), via: 'scrobble' });
      sb.state.scrobbles.push({ at: now, username: SIMKL_USER, requested: 'stop', result: 'scrobble', itemKey: `movie:${m.simkl}`, progress: 90, watchedAt: play.watchedAt });
    },
    revoke() {
      for (const record of sb.state.tokens.snapshot()) sb.state.revokeToken(record.token);
    },
    secrets: () => [SIMKL_CLIENT_SECRET, ...sb.state.tokens.snapshot().map((r) => r.token)],
  };
}

/** Makes the harness's leak check (leakedSecrets) also look for these values. */
export function registerSecrets(values: string[]): void {
  for (const value of values) addSecret(value);
}

// ---------------------------------------------------------------- waiting

export async function until(condition: () => boolean, label: string, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(5);
  }
}

/** msg.reason of an output-2 message. */
export const reasonOf = (msg: NodeMessage | undefined): string => String((msg as { reason?: unknown } | undefined)?.reason ?? '');
