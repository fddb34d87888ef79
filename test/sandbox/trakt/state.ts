// Everything the fake server knows, reachable in-process so tests can arrange and assert directly.
import { catalogFor } from './catalog';
import { CatalogIndex } from './catalog-index';
import { DeviceCodeStore } from './device-codes';
import { noFaults, takeFault } from './faults';
import { FixedWindowLimiter } from './rate-limiter';
import { TokenStore } from './tokens';
import type {
  ActiveCheckin,
  Catalog,
  CollectionEntry,
  Faults,
  LastActivities,
  Play,
  Playback,
  RatingEntry,
  RequestLogEntry,
  ResolvedOptions,
  ScrobbleLogEntry,
  TokenResponse,
  WatchlistEntry,
} from './types';

/** Key of an item in ratings, watchlist and collection. */
export const listKey = (type: string, traktId: number): string => `${type}:${traktId}`;

// Fixed so a fresh sandbox is deterministic; any history change moves it to "now".
const INITIAL_ACTIVITY = '2020-01-01T00:00:00.000Z';

export class TraktState {
  readonly catalog: Catalog;
  readonly index: CatalogIndex;
  /** Current history (removed entries move to removedPlays). Array identity never changes. */
  readonly plays: Play[] = [];
  readonly removedPlays: Play[] = [];
  nextPlayId = 1;
  /** Current playback per `user|type:traktId`, as the /scrobble endpoints leave it. */
  readonly playback = new Map<string, Playback>();
  /** Every /scrobble call in arrival order (the 409 window is computed from it). */
  readonly scrobbles: ScrobbleLogEntry[] = [];
  /** Running checkin per username. */
  readonly checkins = new Map<string, ActiveCheckin>();
  /** Pause/stop answer 64-bit playback ids; start at the sample's value so they look real. */
  nextPlaybackId = 3373536620;
  readonly requestLog: RequestLogEntry[] = [];
  count429 = 0;
  countByMethod: Record<string, number> = {};
  readonly faults: Faults = noFaults();
  /** How many times each fault was actually served (a counter consumed by a request), for assertions. */
  faultsServed: Partial<Record<keyof Faults, number>> = {};
  readonly tokens: TokenStore;
  readonly deviceCodes = new DeviceCodeStore();
  readonly getLimiter: FixedWindowLimiter;
  readonly postLimiter: FixedWindowLimiter;
  /** Ratings, watchlist and collection of the sandbox user, keyed by listKey (not persisted). */
  readonly ratings = new Map<string, RatingEntry>();
  readonly watchlist = new Map<string, WatchlistEntry>();
  readonly collection = new Map<string, CollectionEntry>();
  nextListEntryId = 1;
  /** Stamps the list writes move, as `group.field` (movies.rated_at …); the rest of last_activities stays fixed. */
  readonly listActivities = new Map<string, string>();
  lastActivities: LastActivities = { all: INITIAL_ACTIVITY, moviesWatchedAt: INITIAL_ACTIVITY, episodesWatchedAt: INITIAL_ACTIVITY };
  /** http://127.0.0.1:PORT once listening; used for verification_url. */
  baseUrl = '';
  /** Replaced by the persistence layer; called after plays or tokens change. */
  onChange: () => void = () => undefined;

  constructor(readonly options: ResolvedOptions) {
    this.catalog = catalogFor(options);
    this.index = new CatalogIndex(this.catalog);
    this.tokens = new TokenStore(options.accessTokenTtlSeconds, () => this.onChange());
    this.getLimiter = new FixedWindowLimiter(options.getLimit, options.getWindowSeconds * 1000 * options.timeScale);
    this.postLimiter = new FixedWindowLimiter(options.postPerSecond, 1000 * options.timeScale);
  }

  approve(userCode: string): boolean {
    return this.deviceCodes.decide(userCode, 'approved');
  }

  deny(userCode: string): boolean {
    return this.deviceCodes.decide(userCode, 'denied');
  }

  /** Every current access token gets 401 on next use; refresh tokens keep working. */
  expireAccessTokens(): void {
    this.tokens.expireAll();
  }

  issueTokens(): TokenResponse {
    return this.tokens.issue(this.options.username);
  }

  /** Clears history, playback, checkins, log, counters, faults and rate windows; keeps catalog, tokens and device codes. */
  reset(): void {
    this.plays.length = 0;
    this.removedPlays.length = 0;
    this.playback.clear();
    this.scrobbles.length = 0;
    this.checkins.clear();
    this.requestLog.length = 0;
    this.count429 = 0;
    this.countByMethod = {};
    Object.assign(this.faults, noFaults());
    this.faultsServed = {};
    this.getLimiter.clear();
    this.postLimiter.clear();
    this.ratings.clear();
    this.watchlist.clear();
    this.collection.clear();
    this.listActivities.clear();
    this.touchHistory(['movie', 'episode']);
  }

  addPlay(type: Play['type'], traktId: number, watchedAt: string, action: Play['action'] = 'watch'): Play {
    const play: Play = { id: this.nextPlayId++, watchedAt, action, type };
    if (type === 'movie') play.movieId = traktId;
    else play.episodeId = traktId;
    this.plays.push(play);
    // Trakt takes watched items off the watchlist.
    if (this.watchlist.delete(listKey(type, traktId))) this.touchList('watchlisted_at', [type === 'movie' ? 'movies' : 'episodes']);
    return play;
  }

  /** Removes the plays matching the predicate, keeping them in removedPlays for audits. */
  removePlays(match: (p: Play) => boolean): Play[] {
    const removed = this.plays.filter(match);
    if (removed.length === 0) return removed;
    const kept = this.plays.filter((p) => !match(p));
    this.plays.length = 0;
    this.plays.push(...kept);
    this.removedPlays.push(...removed);
    return removed;
  }

  /** Moves last_activities forward for the given history types and persists. */
  touchHistory(types: Play['type'][]): void {
    const now = new Date().toISOString();
    if (types.includes('movie')) this.lastActivities.moviesWatchedAt = now;
    if (types.includes('episode')) this.lastActivities.episodesWatchedAt = now;
    if (types.length > 0) this.lastActivities.all = now;
    this.onChange();
  }

  /** Moves `field` (rated_at, watchlisted_at, collected_at) of the given last_activities groups to now. */
  touchList(field: string, groups: string[]): void {
    if (!groups.length) return;
    const now = new Date().toISOString();
    for (const group of groups) this.listActivities.set(`${group}.${field}`, now);
    this.lastActivities.all = now;
    this.onChange();
  }

  /** Consumes one unit of a fault counter and counts it as served; true when the fault applies. */
  takeFault(name: keyof Faults): boolean {
    if (!takeFault(this.faults, name)) return false;
    this.faultsServed[name] = (this.faultsServed[name] ?? 0) + 1;
    return true;
  }

  logRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    this.countByMethod[entry.method] = (this.countByMethod[entry.method] ?? 0) + 1;
    if (entry.status === 429) this.count429++;
  }
}
