import { EventEmitter } from 'node:events';
import { sleep } from './backoff';

/**
 * One pause switch per tracker account. A 429 on any request pauses every request of the account
 * (Trakt blocks the whole account after a burst), so nodes sharing a config node wait together.
 */
export class RateGate extends EventEmitter {
  private pausedUntil = 0;

  /** Pauses until `until` (ms epoch); a later pause extends, an earlier one is ignored. */
  pauseUntil(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.emit('paused', until);
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.pausedUntil - now);
  }

  async wait(): Promise<void> {
    let remaining = this.remainingMs();
    while (remaining > 0) {
      await sleep(remaining);
      remaining = this.remainingMs();
    }
  }
}
