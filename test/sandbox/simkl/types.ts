// Shared shapes of the fake Simkl; kept free of logic so every module can import it.
import type { CatalogOptions, Movie, Show } from '../trakt/types';

export interface SimklSandboxOptions {
  /** Default 0 (random port); the host is always 127.0.0.1. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Multiplies rate-limit windows, Retry-After, the PIN poll interval and the 1 h scrobble window. */
  timeScale?: number;
  /** PINs are approved as soon as they are issued, and /oauth/authorize redirects at once (demo mode). */
  autoApprove?: boolean;
  username?: string;
  /** GET requests per second per token (per client_id when unauthenticated); Simkl documents 10. */
  getPerSecond?: number;
  /** POST requests per second per token; Simkl documents 1. */
  postPerSecond?: number;
  /** Same options as the Trakt sandbox, so both fakes hold the same titles and external ids. */
  catalog?: Partial<CatalogOptions>;
  /** Plays, tokens and activities are saved here and loaded on start. */
  stateFile?: string;
  /** Artificial processing time of /scrobble/* so a test can catch the per-user scrobble lock. */
  scrobbleDelayMs?: number;
  /** Artificial processing time of POST /sync/* so a test can catch the no-parallel-sync rule. */
  syncDelayMs?: number;
  /** Real seconds a PIN stays valid (not scaled); default 900 like Simkl. */
  pinTtlSeconds?: number;
}

export type ResolvedSimklOptions = Required<Omit<SimklSandboxOptions, 'stateFile' | 'catalog'>> & {
  catalog: CatalogOptions;
  stateFile?: string;
};

export interface SimklMovie extends Movie {
  simkl: number;
}

export interface SimklShow extends Show {
  simkl: number;
  /** Simkl files anime apart from TV: own search type, own all-items key, own activities group. */
  simklType: 'tv' | 'anime';
  anidb?: number;
  mal?: number;
}

export interface SimklCatalog {
  movies: SimklMovie[];
  shows: SimklShow[];
}

export interface SimklPlay {
  id: number;
  type: 'movie' | 'episode';
  /** The movie's simkl id, or the show's for an episode. */
  simklId: number;
  season?: number;
  episode?: number;
  /** ISO with minute precision, e.g. 2024-01-02T03:04:00.000Z. */
  watchedAt: string;
  via: 'sync' | 'scrobble';
}

/** The five statuses a title can have (SIMKL-DOCS list-statuses); movies have no watching or hold. */
export type SimklListStatus = 'watching' | 'plantowatch' | 'hold' | 'dropped' | 'completed';

/** A status set by add-to-list (or a rating filing an unlisted title), over what the plays would make it; `since` is when. */
export interface SimklListing {
  status: SimklListStatus;
  /** Whole-second ISO, as Simkl prints it; all-items' added_to_watchlist_at. */
  since: string;
}

export interface SimklRating {
  rating: number;
  /** Whole-second ISO: all-items' and /sync/ratings' user_rated_at. */
  ratedAt: string;
}

export interface SimklRequestLogEntry {
  method: string;
  path: string;
  /** 0 when the socket was destroyed without a response. */
  status: number;
  /** Arrival time, epoch ms. */
  at: number;
}

/** Same semantics as the Trakt fake's counters of the same name. */
export interface SimklFaults {
  status503: number;
  resetNext: number;
  delayMs: number;
  delayNext: number;
}

/** Where a user is in one item, as the last /scrobble call left it (key: user|item key). */
export interface SimklPlayback {
  id: number;
  action: 'start' | 'pause' | 'scrobble';
  progress: number;
  updatedAt: number;
}

/** One /scrobble call that got past the lock, for assertions. */
export interface SimklScrobbleLogEntry {
  at: number;
  username: string;
  requested: 'start' | 'pause' | 'stop';
  result: 'start' | 'pause' | 'scrobble' | 409 | 404 | 400;
  /** `movie:<simkl>` or `episode:<show simkl>:<season>x<number>`. */
  itemKey?: string;
  progress?: number;
  watchedAt?: string;
}
