import { sleep } from './backoff';

/**
 * At most `limit` requests in any `windowMs`, sliding, counted when each request leaves. A reservoir
 * that refills on a fixed clock lets a burst across a refill send twice its size within one window;
 * whatever windows the tracker counts in, this bound holds for all of them.
 */
export class SlidingWindow {
  private starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves when one more request may leave now; callers go in the order they asked. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        this.starts = this.starts.filter((at) => now - at < this.windowMs);
        if (this.starts.length < this.limit) {
          this.starts.push(now);
          return;
        }
        await sleep(this.starts[0] + this.windowMs - now);
      }
    });
    this.queue = turn;
    return turn;
  }
}
