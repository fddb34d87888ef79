/**
 * Collects work from many messages and hands it over in one flush: when enough has gathered, when
 * input has been quiet for a moment, or when asked. Flushes run one at a time, in order.
 */
export interface FlushQueueOptions<T> {
  /** Flush as soon as this much is waiting (counted with sizeOf). */
  flushAt: number;
  /** How much one entry counts (a message with 100 plays counts 100); 1 by default. */
  sizeOf?: (entry: T) => number;
  /** Flush after this long without new input. */
  idleMs: number;
  flush: (entries: T[]) => Promise<void>;
}

export class FlushQueue<T> {
  private buffer: T[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FlushQueueOptions<T>) {}

  /** How much is waiting, counted with sizeOf. */
  get waiting(): number {
    return this.size;
  }

  add(entries: T[], flushNow = false): void {
    if (this.closed) return;
    this.buffer.push(...entries);
    for (const entry of entries) this.size += this.options.sizeOf ? this.options.sizeOf(entry) : 1;
    if (flushNow || this.size >= this.options.flushAt) void this.flush().catch(() => undefined);
    else this.arm();
  }

  /** Starts a flush of everything waiting; resolves when it (and earlier ones) finished. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.buffer;
    this.buffer = [];
    this.size = 0;
    // A failed flush must not stop the ones queued after it (its own caller still sees the rejection).
    if (entries.length) this.running = this.running.catch(() => undefined).then(() => this.options.flush(entries));
    return this.running;
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    return this.running;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.options.idleMs);
  }
}
