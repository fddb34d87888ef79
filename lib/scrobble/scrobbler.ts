import { EventEmitter } from 'node:events';
import type { ScrobbleProvider } from '../provider';
import { redact } from '../core/redact';
import { sendCheckin, sendScrobble, type SendContext } from './send';
import { type Pending, type Session, SessionTable } from './sessions';
import type { ScrobbleEvent, ScrobbleOptions, ScrobbleOutcome, ScrobbleStatus, SessionInfo } from './types';
import { refusalOf } from './validate';

export type { ScrobbleEvent, ScrobbleOptions, ScrobbleOutcome, ScrobbleStatus, SessionInfo, SessionState } from './types';

/**
 * A burst that never pauses for `coalesceMs` (a misbehaving source) is still sent after this many
 * windows: the last event then, not a repeat, so nothing is ever posted on a timer of its own.
 */
const MAX_BURST_WINDOWS = 5;

/**
 * The live-scrobbling engine, tracker-agnostic. Playback events are grouped into sessions (user +
 * item); within a session, events closer than `coalesceMs` collapse to the last one, so a webhook
 * storm is one request. Nothing is sent without an incoming event, and the same state is never
 * sent twice. Every event resolves with exactly one outcome; none is dropped silently.
 */
export class Scrobbler extends EventEmitter {
  private readonly table = new SessionTable();
  private readonly inflight = new Set<Promise<void>>();
  private readonly coalesceMs: number;
  private readonly minProgress: number;
  private readonly mode: 'scrobble' | 'checkin';
  private readonly ctx: SendContext;
  private closed = false;

  constructor(
    private readonly provider: ScrobbleProvider,
    options: ScrobbleOptions = {},
  ) {
    super();
    this.coalesceMs = Math.max(0, options.coalesceMs ?? 2000);
    this.minProgress = options.minProgress ?? 1;
    this.mode = options.mode ?? 'scrobble';
    this.ctx = { provider, watchedAt: options.watchedAt ?? 80, ledger: options.ledger };
  }

  /** Queues an event; resolves with its outcome: sent, superseded by a later one, or refused. */
  handle(event: ScrobbleEvent): Promise<ScrobbleOutcome> {
    if (this.closed) return Promise.resolve({ sent: false, event, reason: 'the scrobbler is closed' });
    const refusal = refusalOf(event?.item, { minProgress: this.minProgress, mode: this.mode }, this.provider);
    if (refusal) return Promise.resolve({ sent: false, event, reason: refusal });
    const now = Date.now();
    this.table.prune(now);
    const session = this.table.sessionFor(event.user || 'default', event.item, now);
    return new Promise((resolve) => {
      const earlier = session.pending;
      if (earlier) earlier.resolve({ sent: false, event: earlier.event, reason: `replaced by a later event within ${seconds(this.coalesceMs)} s`, superseded: true });
      if (session.timer) clearTimeout(session.timer);
      session.burstStart ??= now;
      session.pending = { event, receivedAt: event.receivedAt ?? now, resolve };
      const wait = Math.max(0, Math.min(this.coalesceMs, session.burstStart + this.coalesceMs * MAX_BURST_WINDOWS - now));
      session.timer = setTimeout(() => this.flush(session), wait);
    });
  }

  sessions(): SessionInfo[] {
    return this.table.all().map((session) => session.info());
  }

  /** Sends what is still waiting in a window (the last state of each session), then resolves. */
  async close(): Promise<void> {
    this.closed = true;
    for (const session of this.table.all()) this.flush(session);
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  /** The window is over: the session's last event goes out, after the session's earlier sends. */
  private flush(session: Session): void {
    const pending = session.pending;
    if (session.timer) clearTimeout(session.timer);
    session.timer = undefined;
    session.burstStart = undefined;
    if (!pending) return;
    session.pending = undefined;
    session.busy += 1;
    const run = session.chain
      .then(() => this.decide(session, pending))
      .then((outcome) => {
        session.busy -= 1;
        pending.resolve(outcome);
        this.emitStatus(session, outcome);
      });
    session.chain = run;
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
  }

  private async decide(session: Session, pending: Pending): Promise<ScrobbleOutcome> {
    try {
      const send = this.mode === 'checkin' ? sendCheckin : sendScrobble;
      return await send(this.ctx, session, pending.event, pending.receivedAt);
    } catch (error) {
      // The send functions answer every failure themselves; this only guards the one-outcome promise.
      return { sent: false, event: pending.event, reason: `internal error: ${redact(error instanceof Error ? error.message : String(error))}` };
    }
  }

  private emitStatus(session: Session, outcome: ScrobbleOutcome): void {
    const status: ScrobbleStatus = {
      playing: this.table.all().filter((s) => s.state === 'playing').length,
      lastAction: lastActionOf(outcome),
      title: session.title,
      progress: session.progress,
    };
    try {
      this.emit('status', status);
    } catch {
      // A throwing listener must not break this session's queue.
    }
  }
}

function lastActionOf(outcome: ScrobbleOutcome): string {
  if (!outcome.sent) return 'not sent';
  const result = outcome.result;
  // A 409 "just scrobbled" is a play like any other for the status.
  if ('action' in result) return result.action;
  if (outcome.play && outcome.event.item.action === 'stop') return 'scrobble';
  if (result.checkedIn) return 'checkin';
  return outcome.event.item.action === 'stop' ? 'checkin cancelled' : 'checkin refused';
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
