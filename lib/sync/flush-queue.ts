/**
 * Collects work from many messages and hands it over in one flush: when enough has gathered, when
 * input has been quiet for a moment, or when asked. Flushes run one at a time, in order.
 */
export interface FlushQueueOptions<T> {
  /** Flush as soon as this many entries are waiting. */
  flushAt: number;
  /** Flush after this long without new input. */
  idleMs: number;
  flush: (entries: T[]) => Promise<void>;
}

export class FlushQueue<T> {
  private buffer: T[] = [];
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FlushQueueOptions<T>) {}

  get waiting(): number {
    return this.buffer.length;
  }

  add(entries: T[], flushNow = false): void {
    if (this.closed) return;
    this.buffer.push(...entries);
    if (flushNow || this.buffer.length >= this.options.flushAt) this.flush();
    else this.arm();
  }

  /** Starts a flush of everything waiting; resolves when it (and earlier ones) finished. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.buffer;
    this.buffer = [];
    if (entries.length) this.running = this.running.then(() => this.options.flush(entries));
    return this.running;
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    return this.running;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.options.idleMs);
  }
}
