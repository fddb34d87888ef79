// Everything the fake Simkl knows, reachable in-process so tests can arrange and assert directly.
import { initialActivities, touchActivity, type SimklActivities } from './activities';
import { simklCatalogFor } from './catalog';
import { SimklIndex } from './catalog-index';
import { noSimklFaults } from './faults';
import { PinStore } from './pins';
import { SecondLimiter } from './rate-limits';
import { SimklTokenStore } from './tokens';
import type {
  ResolvedSimklOptions,
  SimklCatalog,
  SimklFaults,
  SimklListing,
  SimklPlay,
  SimklPlayback,
  SimklRating,
  SimklRequestLogEntry,
  SimklScrobbleLogEntry,
} from './types';

const playKey = (p: SimklPlay): string => `${p.type}:${p.simklId}:${p.season ?? ''}x${p.episode ?? ''}@${p.watchedAt}`;

export class SimklState {
  readonly catalog: SimklCatalog;
  readonly index: SimklIndex;
  /** Every play submitted (history removal moves them to removedPlays). Array identity never changes. */
  readonly plays: SimklPlay[] = [];
  readonly removedPlays: SimklPlay[] = [];
  nextPlayId = 1;
  /** Server time each title last changed (`movie:<simkl>` / `show:<simkl>`); all-items' date_from compares with it. */
  readonly itemUpdatedAt = new Map<string, number>();
  /** The user's rating per title (`movie:<simkl>` / `show:<simkl>`). */
  readonly ratings = new Map<string, SimklRating>();
  /** Statuses set by add-to-list or a rating, per title; a change of the title's plays clears it (see recordChange). */
  readonly listings = new Map<string, SimklListing>();
  activities: SimklActivities = initialActivities();
  readonly requestLog: SimklRequestLogEntry[] = [];
  count429 = 0;
  /** GET /sync/all-items calls without date_from: Simkl suspends clients that keep doing this. */
  unGatedAllItems = 0;
  readonly faults: SimklFaults = noSimklFaults();
  readonly tokens: SimklTokenStore;
  readonly pins = new PinStore();
  readonly getLimiter: SecondLimiter;
  readonly postLimiter: SecondLimiter;
  /** Current playback per `user|item key`, as the /scrobble endpoints leave it. */
  readonly playback = new Map<string, SimklPlayback>();
  readonly scrobbles: SimklScrobbleLogEntry[] = [];
  /** Users with a scrobble / a /sync write being processed right now. */
  readonly scrobbleBusy = new Set<string>();
  readonly syncBusy = new Set<string>();
  nextScrobbleId = 1_000_000_001;
  /** http://127.0.0.1:PORT once listening; used for verification_url. */
  baseUrl = '';
  /** Replaced by the persistence layer; called after plays or tokens change. */
  onChange: () => void = () => undefined;

  constructor(readonly options: ResolvedSimklOptions) {
    this.catalog = simklCatalogFor(options);
    this.index = new SimklIndex(this.catalog);
    this.tokens = new SimklTokenStore(() => this.onChange());
    this.getLimiter = new SecondLimiter(options.getPerSecond, 1000 * options.timeScale, false);
    this.postLimiter = new SecondLimiter(options.postPerSecond, 1000 * options.timeScale, true);
  }

  approvePin(userCode: string): boolean {
    return this.pins.decide(userCode, 'approved');
  }

  denyPin(userCode: string): boolean {
    return this.pins.decide(userCode, 'denied');
  }

  /** A ready access token for the sandbox user (what the OAuth flows end with). */
  issueToken(): string {
    return this.tokens.issue(this.options.username);
  }

  /** The user revoked the app: the token answers 401 from now on. */
  revokeToken(token: string): void {
    this.tokens.revoke(token);
  }

  /** A code as /oauth/authorize's Approve would hand to redirect_uri. */
  issueAuthCode(redirectUri: string): string {
    return this.tokens.issueCode(redirectUri);
  }

  addPlay(play: Omit<SimklPlay, 'id'>): SimklPlay {
    const p: SimklPlay = { id: this.nextPlayId++, ...play };
    this.plays.push(p);
    return p;
  }

  /** Removes the plays matching the predicate, keeping them in removedPlays for audits. */
  removePlays(match: (p: SimklPlay) => boolean): SimklPlay[] {
    const removed = this.plays.filter(match);
    if (removed.length === 0) return removed;
    const kept = this.plays.filter((p) => !match(p));
    this.plays.length = 0;
    this.plays.push(...kept);
    this.removedPlays.push(...removed);
    return removed;
  }

  /**
   * Plays repeating an earlier one exactly (same item, same minute). Real Simkl keeps one watched
   * state per item so it would swallow them; the fake records them so tests can assert there are none.
   */
  duplicates(): SimklPlay[] {
    const seen = new Set<string>();
    return this.plays.filter((p) => {
      const k = playKey(p);
      if (seen.has(k)) return true;
      seen.add(k);
      return false;
    });
  }

  /** Clears plays, activities, playback, log, counters, faults and rate windows; keeps catalog, tokens and PINs. */
  reset(): void {
    this.plays.length = 0;
    this.removedPlays.length = 0;
    this.itemUpdatedAt.clear();
    this.ratings.clear();
    this.listings.clear();
    // A wiped library looks like every list lost its titles, so clients gated on activities refetch.
    this.activities = initialActivities();
    for (const g of ['movies', 'tv_shows', 'anime'] as const) touchActivity(this.activities, g, 'removed_from_list');
    this.requestLog.length = 0;
    this.count429 = 0;
    this.unGatedAllItems = 0;
    Object.assign(this.faults, noSimklFaults());
    this.getLimiter.clear();
    this.postLimiter.clear();
    this.playback.clear();
    this.scrobbles.length = 0;
    this.onChange();
  }

  logRequest(entry: SimklRequestLogEntry): void {
    this.requestLog.push(entry);
    if (entry.status === 429) this.count429++;
  }
}
