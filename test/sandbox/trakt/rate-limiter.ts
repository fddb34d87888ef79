// Fixed-window counter per key; the window starts at the key's first request, as Trakt's does.
export interface Window {
  start: number;
  count: number;
}

export interface TakeResult {
  ok: boolean;
  remaining: number;
  /** Epoch ms when the current window ends. */
  until: number;
}

export class FixedWindowLimiter {
  private windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, now = Date.now()): TakeResult {
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const until = w.start + this.windowMs;
    // A rejected request is not counted: it had no effect.
    if (w.count >= this.limit) return { ok: false, remaining: 0, until };
    w.count++;
    return { ok: true, remaining: this.limit - w.count, until };
  }

  clear(): void {
    this.windows.clear();
  }
}
