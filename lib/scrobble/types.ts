import type { CheckinResult, ScrobbleResult } from '../provider';
import type { MediaItem } from '../schema/types';
import type { SyncLedger } from '../sync/ledger';

/** One playback event: a media item with `action` and `progress` (flow-contract), and whose it is. */
export interface ScrobbleEvent {
  item: MediaItem;
  /** The source's user (source.user), or 'default'. Sessions of different users never mix. */
  user: string;
  /** When the event arrived (ms); defaults to the time handle() is called. */
  receivedAt?: number;
}

export interface ScrobbleOptions {
  /** Changes of one session within this window become the last one (default 2000 ms). */
  coalesceMs?: number;
  /** Progress below this is not sent (default 1: Trakt answers 422 below 1 %). */
  minProgress?: number;
  /** A stop at or above this is a play (default 80, the trackers' threshold). */
  watchedAt?: number;
  /** 'scrobble' (default) or 'checkin' (start checks in, stop below `watchedAt` cancels). */
  mode?: 'scrobble' | 'checkin';
  /** The account's ledger: plays recorded by scrobbling are recorded here too (one writer per play). */
  ledger?: SyncLedger;
}

export type ScrobbleOutcome =
  | {
      sent: true;
      event: ScrobbleEvent;
      result: ScrobbleResult | CheckinResult;
      /** The play recorded, when a stop (or a check-in) counted. */
      play?: MediaItem;
      /** Something the node can show although the tracker answered (another check-in is active …). */
      reason?: string;
    }
  | {
      sent: false;
      event: ScrobbleEvent;
      reason: string;
      /** Replaced by a later event of the same session within the window. */
      superseded?: boolean;
    };

export type SessionState = 'playing' | 'paused' | 'stopped';

export interface SessionInfo {
  key: string;
  user: string;
  title: string;
  state: SessionState;
  progress: number;
}

/** Emitted as 'status' after each decision, for the node's status text. */
export interface ScrobbleStatus {
  /** Sessions playing now, across users. */
  playing: number;
  /** start | pause | scrobble | checkin | checkin cancelled | checkin refused | not sent */
  lastAction: string;
  title: string;
  progress: number;
}
