// Shared shapes of the fake Trakt server; kept free of logic so every module can import it.

export interface CatalogOptions {
  movies: number;
  shows: number;
  seasonsPerShow: number;
  episodesPerSeason: number;
}

export interface TraktSandboxOptions {
  /** Default 0 (random port); the host is always 127.0.0.1. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Default 86400: Trakt shortened access tokens to 24 h in 2025. */
  accessTokenTtlSeconds?: number;
  /** GET requests per window per user (per client id when unauthenticated). */
  getLimit?: number;
  getWindowSeconds?: number;
  /** POST/PUT/DELETE per 1 s window per user. */
  postPerSecond?: number;
  /** Multiplies rate-limit windows, Retry-After and the device poll interval (tests use 0.01). */
  timeScale?: number;
  /** Device codes are approved as soon as they are issued (demo mode). */
  autoApprove?: boolean;
  username?: string;
  catalog?: CatalogOptions;
  /** Plays, tokens and last activities are saved here and loaded on start. */
  stateFile?: string;
  /** Real seconds a device code stays valid (not scaled); default 600 like Trakt. */
  deviceCodeTtlSeconds?: number;
  /** Watchlist items before POST /sync/watchlist answers 420; default 250 (a free account in 2026). */
  watchlistLimit?: number;
}

export type ResolvedOptions = Required<Omit<TraktSandboxOptions, 'stateFile'>> & { stateFile?: string };

export interface Movie {
  trakt: number;
  slug: string;
  imdb: string;
  tmdb: number;
  title: string;
  year: number;
  /** Other titles Trakt knows (original title, regional titles); text search matches them too. */
  aliases?: string[];
}

export interface EpisodeIds {
  trakt: number;
  tvdb: number;
  imdb: string;
  tmdb: number;
}

export interface Episode {
  number: number;
  title: string;
  ids: EpisodeIds;
}

export interface Season {
  number: number;
  episodes: Episode[];
}

export interface Show {
  trakt: number;
  slug: string;
  imdb: string;
  tmdb: number;
  tvdb: number;
  title: string;
  year: number;
  /** Other titles Trakt knows (original title, regional titles); text search matches them too. */
  /** ISO 3166 code as Trakt's extended=full objects give it (`us`, `gb`). */
  country?: string;
  aliases?: string[];
  seasons: Season[];
}

export interface Catalog {
  movies: Movie[];
  shows: Show[];
}

export interface Play {
  id: number;
  /** ISO with minute precision, e.g. 2024-01-02T03:04:00.000Z. */
  watchedAt: string;
  /** 'watch' from /sync/history, 'scrobble' from a stop ≥ 80 %, 'checkin' from POST /checkin. */
  action: 'watch' | 'scrobble' | 'checkin';
  type: 'movie' | 'episode';
  movieId?: number;
  episodeId?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 when the socket was destroyed without a response. */
  status: number;
  /** Arrival time, epoch ms. */
  at: number;
}

export interface Faults {
  status503: number;
  status500Processed: number;
  resetNext: number;
  resetAfterProcessNext: number;
  delayMs: number;
  delayNext: number;
  delayAfterProcessMs: number;
  delayAfterProcessNext: number;
  storm429: number;
  status420Next: number;
  status423Next: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  scope: 'public';
  created_at: number;
}

export interface LastActivities {
  all: string;
  moviesWatchedAt: string;
  episodesWatchedAt: string;
}

/** Where a user is in one item, as the last /scrobble call left it (key: user|type:traktId). */
export interface Playback {
  /** Playback id (the big id pause answers); 0 after start. */
  id: number;
  action: 'start' | 'pause' | 'scrobble';
  progress: number;
  updatedAt: number;
}

/** One /scrobble call, including the rejected ones (409/422/404), for assertions. */
export interface ScrobbleLogEntry {
  at: number;
  username: string;
  requested: 'start' | 'pause' | 'stop';
  /** What Trakt answered: the resulting action, or the HTTP status when it refused. */
  result: 'start' | 'pause' | 'scrobble' | 409 | 404 | 422;
  type?: 'movie' | 'episode';
  traktId?: number;
  progress?: number;
  /** The history play a 'scrobble' result created. */
  playId?: number;
  watchedAt?: string;
}

/** The one checkin a user may have running. */
export interface ActiveCheckin {
  playId: number;
  type: 'movie' | 'episode';
  traktId: number;
  watchedAt: string;
  expiresAt: number;
}

/** What ratings, the watchlist and the collection hold: a catalog item by type and Trakt id. */
export type ListedType = 'movie' | 'show' | 'episode';

export interface RatingEntry {
  type: ListedType;
  traktId: number;
  rating: number;
  ratedAt: string;
}

export interface WatchlistEntry {
  /** The list entry id GET /sync/watchlist answers as `id`. */
  id: number;
  type: ListedType;
  traktId: number;
  listedAt: string;
}

/** Collection holds movies and episodes only (a collected show is its episodes). */
export interface CollectionEntry {
  type: 'movie' | 'episode';
  traktId: number;
  collectedAt: string;
  updatedAt: string;
}
