import type { MediaItem } from './schema/types';

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
