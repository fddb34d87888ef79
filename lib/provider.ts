import type { IdKey, MediaIds, MediaItem } from './schema/types';

/**
 * What every tracker (Trakt, Simkl) offers the feature layer. Nodes talk to this, never to a
 * tracker client directly, so each node works with either tracker.
 */
export interface TrackerProvider {
  readonly kind: 'trakt' | 'simkl';
  /** "Trakt", "Simkl": for messages. */
  readonly label: string;
  /** A stable key for the account (the username when known), used by the ledger. */
  accountKey(): Promise<string>;
  /** Adds plays to the history in one request. Throws UncertainWriteError when the outcome is unknown. */
  addHistory(plays: MediaItem[]): Promise<AddHistoryResult>;
  /** Reads the plays recorded between two instants (inclusive), every page. */
  readHistory(range: { from: string; to: string; types: Array<'movie' | 'episode'> }): Promise<MediaItem[]>;
}

export interface AddHistoryResult {
  /** Positions (in the array given) of plays the tracker could not find. */
  notFound: number[];
  /** How many plays the tracker says it added, by kind. */
  added: { movies: number; episodes: number };
}

/** One search answer, in the shape of a media item (movie or show; episodes carry their show). */
export interface Candidate {
  type: 'movie' | 'show' | 'episode';
  title: string;
  year?: number;
  ids: MediaIds;
  /** Other titles the tracker knows for it (translations, aliases), when it says. */
  aliases?: string[];
  /** Country of origin (ISO 3166, lower case) when the tracker says: tells same-name shows apart. */
  country?: string;
  /** For an episode candidate: its show and numbers. */
  show?: { title?: string; year?: number; ids: MediaIds };
  season?: number;
  episode?: number;
}

/** What `match` needs from a tracker: which ids it matches on sync, id look-ups and title search. */
export interface MatchProvider {
  readonly kind: 'trakt' | 'simkl';
  readonly label: string;
  /** Id kinds the tracker matches on sync for this type, so items carrying one need no request. */
  acceptedIds(type: 'movie' | 'show' | 'episode'): readonly IdKey[];
  /** Id kinds the tracker can look up (`/search/{id_type}/{id}`). */
  lookupIds(type: 'movie' | 'show' | 'episode'): readonly IdKey[];
  /** Looks an external id up; the type is always sent (ids collide across types). */
  lookupId(idType: IdKey, id: string | number, type: 'movie' | 'show' | 'episode'): Promise<Candidate[]>;
  /** Title search, best first as the tracker ranks them; `year` narrows when given. */
  search(type: 'movie' | 'show', query: string, year?: number): Promise<Candidate[]>;
}

export type ScrobbleAction = 'start' | 'pause' | 'stop';

/** What the tracker answered to a scrobble. */
export interface ScrobbleResult {
  /** What the tracker recorded: playback started, paused (stop below 80 % is a pause), or a play. */
  action: 'start' | 'pause' | 'scrobble';
  progress: number;
  /** The play's time when action is 'scrobble' (from the answer, or the 409's watched_at). */
  watchedAt?: string;
  /** 409: the same item was scrobbled moments ago; success, not an error. */
  alreadyScrobbled?: boolean;
  /** The item as the tracker echoed it (ids filled in). */
  item?: MediaItem;
}

export interface CheckinResult {
  /** false when another check-in is active (409); `expiresAt` then says until when. */
  checkedIn: boolean;
  watchedAt?: string;
  expiresAt?: string;
}

/** Live playback on a tracker: scrobble start/pause/stop, and optional check-ins. */
export interface ScrobbleProvider {
  readonly kind: 'trakt' | 'simkl';
  readonly label: string;
  scrobble(action: ScrobbleAction, item: MediaItem, progress: number): Promise<ScrobbleResult>;
  checkin?(item: MediaItem): Promise<CheckinResult>;
  cancelCheckin?(): Promise<void>;
}

/** The lists besides history that sync-history can write (the "what" option). */
export type ListKind = 'ratings' | 'watchlist' | 'collection';

export interface ListAddResult {
  /** Positions of items the tracker could not find. */
  notFound: number[];
  /** How many the tracker added (or updated). */
  added: number;
  /** Already there (Trakt's `existing`), counted as done. */
  existing?: number;
}

/** Writes to a tracker's ratings, watchlist and collection (items carry `rating` for ratings). */
export interface ListProvider {
  readonly kind: 'trakt' | 'simkl';
  readonly label: string;
  /** Which lists this tracker has (Simkl has no collection). */
  lists(): readonly ListKind[];
  addToList(list: ListKind, items: MediaItem[]): Promise<ListAddResult>;
}

/** What tracker-in can read. Trakt has all of them; Simkl history, ratings and watchlist. */
export type ReadKind = 'history' | 'ratings' | 'watchlist' | 'collection' | 'watching' | 'stats' | 'recommendations' | 'trending' | 'popular' | 'calendar';

export interface ReadOptions {
  /** Only what changed since this instant (ISO); the high-water mark when not given. */
  since?: string;
  /** A date range instead (history, calendar). */
  from?: string;
  to?: string;
  /** movies, shows (episodes for history), or both (default). */
  types?: Array<'movies' | 'shows'>;
}

export interface ReadPage {
  items: MediaItem[];
  done: number;
  total?: number;
}

/** Reads a tracker account as media items, page by page, within the tracker's limits and gates. */
export interface ReaderProvider {
  readonly kind: 'trakt' | 'simkl';
  readonly label: string;
  readKinds(): readonly ReadKind[];
  /**
   * Reads one kind. `stats` yields one item-less page whose data is in `extra`. Resolves with the
   * newest change seen (ISO), to store as the next high-water mark, and the requests made.
   */
  read(kind: ReadKind, options: ReadOptions, onPage: (page: ReadPage & { extra?: unknown }) => Promise<void> | void): Promise<{ newest?: string; requests: number; unchanged?: boolean }>;
}
