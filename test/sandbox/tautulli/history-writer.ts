// Appends sittings to session_history the way Tautulli's activity processor does, including how it
// chains a sitting to the previous one (reference_id), which is what grouping merges on.
import { isWatched } from './watched';
import type { Device, TautulliItem, TautulliSession, TautulliUser } from './types';

export interface SittingInput {
  ratingKey: number;
  /** Plex username. */
  user: string;
  /** Unix seconds. */
  started: number;
  stopped: number;
  viewOffsetMs: number;
  pausedCounter?: number;
  device?: Device;
}

export class HistoryWriter {
  private readonly lastByUser = new Map<number, TautulliSession>();
  private nextId: number;

  constructor(
    readonly sessions: TautulliSession[],
    private readonly items: Map<number, TautulliItem>,
    private readonly users: TautulliUser[],
    firstId = 1,
  ) {
    this.nextId = firstId;
    for (const s of sessions) {
      this.lastByUser.set(s.userId, s);
      this.nextId = Math.max(this.nextId, s.id + 1);
    }
  }

  /**
   * A sitting joins the user's previous sitting's group when it is the same item, the previous one
   * was not watched yet and playback went on from where it stopped (activity_processor.py).
   */
  append(input: SittingInput): TautulliSession {
    const item = this.items.get(input.ratingKey);
    if (!item) throw new Error(`unknown rating_key ${input.ratingKey}`);
    const user = this.users.find((u) => u.username === input.user);
    if (!user) throw new Error(`unknown user ${input.user}`);
    const id = this.nextId++;
    const prev = this.lastByUser.get(user.userId);
    const continues =
      prev !== undefined && prev.ratingKey === input.ratingKey && !isWatched(prev.viewOffsetMs, item.durationMs) && prev.viewOffsetMs <= input.viewOffsetMs;
    const session: TautulliSession = {
      id,
      referenceId: continues ? prev.referenceId : id,
      ratingKey: input.ratingKey,
      userId: user.userId,
      user: user.username,
      started: input.started,
      stopped: input.stopped,
      pausedCounter: input.pausedCounter ?? 0,
      viewOffsetMs: input.viewOffsetMs,
      device: input.device ?? user.devices[id % user.devices.length],
    };
    this.sessions.push(session);
    this.lastByUser.set(user.userId, session);
    return session;
  }
}
