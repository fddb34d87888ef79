import { redact } from '../core/redact';
import type { CheckinResult, ScrobbleAction, ScrobbleProvider, ScrobbleResult } from '../provider';
import type { MediaItem } from '../schema/types';
import { SCROBBLE_WINDOW_MINUTES, type SyncLedger } from '../sync/ledger';
import type { Session } from './sessions';
import type { ScrobbleEvent, ScrobbleOutcome } from './types';

export interface SendContext {
  provider: ScrobbleProvider;
  watchedAt: number;
  ledger?: SyncLedger;
}

const STATE_OF: Record<ScrobbleAction, Session['state']> = { start: 'playing', pause: 'paused', stop: 'stopped' };

/**
 * Scrobble mode: sends the event's state unless the tracker already has it. A stop at or past the
 * threshold is a play; the ledger learns it so a history sync of the same sitting writes nothing,
 * and a stop for a play the ledger already holds is not sent (one writer per play).
 */
export async function sendScrobble(ctx: SendContext, session: Session, event: ScrobbleEvent, receivedAt: number): Promise<ScrobbleOutcome> {
  const { action, progress } = actionOf(event);
  track(session, action, progress);
  if (session.lastSent && session.lastSent.action === action && session.lastSent.progress === progress) return refused(event, 'no change');
  if (action === 'stop' && progress >= ctx.watchedAt && ctx.ledger?.hasPlayNear(event.item, receivedAt, SCROBBLE_WINDOW_MINUTES)) {
    return refused(event, 'already in the history (synced earlier)');
  }
  let result: ScrobbleResult;
  try {
    // A stop without a start is sent as is: the trackers accept it and file a play or a pause.
    result = await ctx.provider.scrobble(action, event.item, progress);
  } catch (error) {
    return refused(event, messageOf(error));
  }
  session.lastSent = { action, progress };
  if (result.action !== 'scrobble') return { sent: true, event, result };
  // A 409 ("just scrobbled") is a play on the tracker as much as a fresh one.
  const play = playOf(event.item, result.watchedAt ?? minuteIso(receivedAt));
  return { sent: true, event, result, play, ...recordPlay(ctx, play) };
}

/**
 * Check-in mode: start checks in, a stop below the threshold cancels (the item was abandoned). A
 * stop at or past it keeps the check-in, which is the play: cancelling could remove it.
 */
export async function sendCheckin(ctx: SendContext, session: Session, event: ScrobbleEvent, receivedAt: number): Promise<ScrobbleOutcome> {
  const { action, progress } = actionOf(event);
  track(session, action, progress);
  const mine = session.checkin;
  try {
    if (action === 'start') {
      if (mine) return refused(event, 'no change');
      const result = await ctx.provider.checkin!(event.item);
      if (!result.checkedIn) {
        const until = result.expiresAt ? ` until ${result.expiresAt}` : '';
        return { sent: true, event, result, reason: `another check-in is active${until}: ${ctx.provider.label} refused this one` };
      }
      session.checkin = result;
      const play = playOf(event.item, result.watchedAt ?? minuteIso(receivedAt));
      return { sent: true, event, result, play, ...recordPlay(ctx, play) };
    }
    // Never cancel a check-in this session did not make: it would end the user's other one.
    if (!mine) return refused(event, 'no check-in of this session to cancel');
    if (progress >= ctx.watchedAt) {
      session.checkin = undefined;
      const play = playOf(event.item, mine.watchedAt ?? minuteIso(receivedAt));
      // The check-in is stamped at its start; a source reports the sitting at its end: remember both.
      const recorded = recordWindow(ctx, play, minuteIso(receivedAt));
      return { sent: true, event, result: mine, play, reason: `kept the check-in: at ${progress} % it is the play (cancelling could remove it)${recorded}` };
    }
    await ctx.provider.cancelCheckin!();
    session.checkin = undefined;
    const result: CheckinResult = { checkedIn: false };
    return { sent: true, event, result };
  } catch (error) {
    return refused(event, messageOf(error));
  }
}

/** The play as the ledger keeps it: the item at the tracker's time, without playback fields. */
export function playOf(item: MediaItem, watchedAt: string): MediaItem {
  const play: MediaItem = { ...item, watchedAt };
  delete play.action;
  delete play.progress;
  return play;
}

/** Records a play that is on the tracker; a ledger failure must not turn a sent scrobble into a failure. */
function recordPlay(ctx: SendContext, play: MediaItem): { reason?: string } {
  if (!ctx.ledger) return {};
  try {
    ctx.ledger.recordConfirmed([play]);
    ctx.ledger.recordScrobbled(play, play.watchedAt!, SCROBBLE_WINDOW_MINUTES);
    return {};
  } catch (error) {
    return { reason: ledgerFailure(ctx, error) };
  }
}

/** A second window for the same play; returns a note for the reason when the ledger failed. */
function recordWindow(ctx: SendContext, play: MediaItem, at: string): string {
  try {
    ctx.ledger?.recordScrobbled(play, at, SCROBBLE_WINDOW_MINUTES);
    return '';
  } catch (error) {
    return `; ${ledgerFailure(ctx, error)}`;
  }
}

function ledgerFailure(ctx: SendContext, error: unknown): string {
  return `recorded on ${ctx.provider.label}, but the ledger could not be written (${messageOf(error)}): a history sync may write this play again`;
}

function actionOf(event: ScrobbleEvent): { action: ScrobbleAction; progress: number } {
  // Validated before it was queued: action is start|pause|stop and progress a number 0–100.
  return { action: event.item.action!, progress: Math.round(event.item.progress! * 100) / 100 };
}

/** The session follows the player, whatever the tracker is told. */
function track(session: Session, action: ScrobbleAction, progress: number): void {
  session.state = STATE_OF[action];
  session.progress = progress;
}

function refused(event: ScrobbleEvent, reason: string): ScrobbleOutcome {
  return { sent: false, event, reason };
}

function minuteIso(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
}

function messageOf(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}
