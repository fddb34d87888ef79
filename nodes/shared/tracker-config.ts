import type { Node, NodeStatus } from 'node-red';
import type { AccountLimiter } from '../../lib/core/limiter';
import type { ListProvider, MatchProvider, ReaderProvider, ScrobbleProvider, TrackerProvider } from '../../lib/provider';

/** What a tracker config node (Trakt now, Simkl later) offers the nodes that use it. */
export interface TrackerConfigNode extends Node {
  /** The provider, or an Error that says what is missing (no client id, not authorized). */
  provider(): TrackerProvider | Error;
  /** Search and id look-ups for `match` (no authorization needed for Trakt search, but it is used when present). */
  matchProvider(): MatchProvider | Error;
  /** Live scrobbling (and check-ins where the tracker has them). */
  scrobbleProvider(): ScrobbleProvider | Error;
  /** Ratings, watchlist and collection writes (sync-history's "what"). */
  listProvider(): ListProvider | Error;
  /** Reads of the account (tracker-in). */
  readerProvider(): ReaderProvider | Error;
  limiter(): AccountLimiter | undefined;
  /** The account's auth status for users' status lines, or undefined when all is well. */
  authStatus(): NodeStatus | undefined;
  register(user: Node): void;
  deregister(user: Node): void;
}

export function isTrackerConfig(node: unknown): node is TrackerConfigNode {
  return typeof node === 'object' && node !== null && typeof (node as TrackerConfigNode).provider === 'function';
}
