import Bottleneck from 'bottleneck';
import { sleep } from './backoff';
import { RateGate } from './rate-gate';
import { SlidingWindow } from './sliding-window';

export interface LimiterOptions {
  /** Reads allowed per window (Trakt answers 429 above ~500 per 5 minutes, below its documented 1000). */
  readsPerWindow?: number;
  readWindowMs?: number;
  /**
   * Pause after each write completes before the next starts (Trakt: 1 write per second, one at a
   * time). Measured from the answer, so two writes can never reach the server within one second.
   */
  writeSpacingMs?: number;
  readConcurrency?: number;
}

export const DEFAULT_LIMITS: Required<LimiterOptions> = {
  readsPerWindow: 500,
  readWindowMs: 5 * 60 * 1000,
  writeSpacingMs: 1000,
  readConcurrency: 2,
};

/** Parsed `X-Ratelimit` header (Trakt sends it as JSON). */
export interface RateLimitInfo {
  name?: string;
  period?: number;
  limit?: number;
  remaining?: number;
  until?: string;
}

/**
 * Per-account limiter shared by every node that uses the same config node: a reservoir for reads,
 * one-at-a-time spaced writes, and a gate that stops both while the tracker says 429.
 */
export class AccountLimiter {
  readonly gate = new RateGate();
  private readonly reads: Bottleneck;
  private readonly writes: Bottleneck;
  private readonly readWindow: SlidingWindow;
  private readonly writeSpacingMs: number;

  constructor(options: LimiterOptions = {}) {
    const o = { ...DEFAULT_LIMITS, ...options };
    this.reads = new Bottleneck({ maxConcurrent: o.readConcurrency });
    this.readWindow = new SlidingWindow(o.readsPerWindow, o.readWindowMs);
    this.writes = new Bottleneck({ maxConcurrent: 1 });
    this.writeSpacingMs = o.writeSpacingMs;
  }

  read<T>(task: () => Promise<T>): Promise<T> {
    return this.reads.schedule(async () => {
      await this.gate.wait();
      return task();
    });
  }

  write<T>(task: () => Promise<T>): Promise<T> {
    // The caller gets its answer at once; the slot stays taken for the spacing after it.
    return new Promise<T>((resolve, reject) => {
      this.writes
        .schedule(async () => {
          await this.gate.wait();
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          }
          await sleep(this.writeSpacingMs);
        })
        .catch(reject);
    });
  }

  /**
   * Waits for a read slot: called by the HTTP core as each GET leaves (retries included), so the
   * bound is what the tracker sees arrive.
   */
  takeReadSlot(): Promise<void> {
    return this.readWindow.take();
  }

  /** The server's own count wins: when it says no reads are left, everyone waits until its window ends. */
  async observe(info: RateLimitInfo | undefined, isRead: boolean): Promise<void> {
    if (!info || !isRead || typeof info.remaining !== 'number') return;
    if (info.remaining <= 0 && info.until) {
      const until = Date.parse(info.until);
      if (!Number.isNaN(until)) this.gate.pauseUntil(until);
    }
  }

  async stop(): Promise<void> {
    const stopped = Promise.all([this.reads.stop({ dropWaitingJobs: true }), this.writes.stop({ dropWaitingJobs: true })]).catch(() => undefined);
    // Bottleneck's stop() can leave its heartbeat (a setInterval) running; disconnect() clears it.
    // Not after `stopped`: that waits for running jobs, which may hang.
    await Promise.all([this.reads.disconnect(false), this.writes.disconnect(false)]).catch(() => undefined);
    await stopped;
  }
}

export function parseRateLimitHeader(value: unknown): RateLimitInfo | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  try {
    const parsed = JSON.parse(value) as RateLimitInfo;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
