import type { CheckinResult, ScrobbleAction } from '../provider';
import type { MediaItem } from '../schema/types';
import { identityKeys } from '../sync/play-keys';
import type { ScrobbleEvent, ScrobbleOutcome, SessionInfo, SessionState } from './types';

/** A stopped session is forgotten after the trackers' "just scrobbled" hour; any other after a day of silence. */
const STOPPED_TTL_MS = 60 * 60_000;
const IDLE_TTL_MS = 24 * 3600_000;

export interface Pending {
  event: ScrobbleEvent;
  receivedAt: number;
  resolve: (outcome: ScrobbleOutcome) => void;
}

/** One user's playback of one item, whichever source reports it. */
export class Session {
  readonly keys: Set<string>;
  state: SessionState = 'stopped';
  progress = 0;
  /** What the tracker last accepted for this session: the same again is not sent. */
  lastSent?: { action: ScrobbleAction; progress: number };
  /** The check-in this session made (check-in mode), until its stop. */
  checkin?: CheckinResult;
  /** The event waiting out the coalescing window, and when its burst began. */
  pending?: Pending;
  timer?: NodeJS.Timeout;
  burstStart?: number;
  /** Sends of one session run in order; other sessions do not wait for them. */
  chain: Promise<void> = Promise.resolve();
  busy = 0;
  lastSeen: number;

  constructor(
    readonly key: string,
    readonly user: string,
    readonly title: string,
    keys: string[],
    now: number,
  ) {
    this.keys = new Set(keys);
    this.lastSeen = now;
  }

  info(): SessionInfo {
    return { key: this.key, user: this.user, title: this.title, state: this.state, progress: this.progress };
  }
}

/**
 * Sessions by user and item identity. An item is the same when any identity (an id, or the title
 * and year; for episodes the show's plus season and number) matches, so a Tautulli webhook and a
 * Plex webhook of the same episode meet in one session.
 */
export class SessionTable {
  private readonly byUser = new Map<string, Session[]>();

  sessionFor(user: string, item: MediaItem, now: number): Session {
    const keys = identityKeys(item);
    const list = this.byUser.get(user) ?? [];
    let session = list.find((s) => keys.some((key) => s.keys.has(key)));
    if (!session) {
      session = new Session(`${user}|${keys[0]}`, user, titleOf(item), keys, now);
      list.push(session);
      this.byUser.set(user, list);
    }
    // Learn the other source's identities too (its ids may differ from the first event's).
    for (const key of keys) session.keys.add(key);
    session.lastSeen = now;
    return session;
  }

  all(): Session[] {
    return [...this.byUser.values()].flat();
  }

  /** Drops sessions nobody will hear of again; a session with work in progress stays. */
  prune(now: number): void {
    for (const [user, list] of this.byUser) {
      const kept = list.filter((s) => s.pending || s.busy > 0 || now - s.lastSeen < (s.state === 'stopped' ? STOPPED_TTL_MS : IDLE_TTL_MS));
      if (kept.length) this.byUser.set(user, kept);
      else this.byUser.delete(user);
    }
  }
}

/** "Inception (2010)", "Breaking Bad S01E02": for sessions() and the node status. */
export function titleOf(item: MediaItem): string {
  if (item.type === 'episode') {
    const number = `S${pad(item.season)}E${pad(item.episode)}`;
    return `${item.show?.title ?? item.title ?? 'episode'} ${number}`;
  }
  const title = item.title ?? Object.values(item.ids ?? {}).map(String)[0] ?? item.type;
  return item.year ? `${title} (${item.year})` : title;
}

function pad(n: number | undefined): string {
  return n === undefined ? '?' : String(n).padStart(2, '0');
}
