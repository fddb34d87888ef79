/**
 * Collects work from many messages and hands it over in one flush: when enough has gathered, when
 * input has been quiet for a moment, or when asked. Flushes run one at a time, in order. With
 * `split`, a flush that enough input started takes whole batches only and the rest waits for more,
 * so pages of 903 plays still make full writes of 100.
 */
export interface FlushQueueOptions<T> {
  /** Flush as soon as this much is waiting (counted with sizeOf). */
  flushAt: number;
  /** How much one entry counts (a message with 100 plays counts 100); 1 by default. */
  sizeOf?: (entry: T) => number;
  /** Flush after this long without new input. */
  idleMs: number;
  /** Cuts an entry in two, the first part of the given size (needed for whole-batch flushes). */
  split?: (entry: T, size: number) => [T, T];
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
    if (flushNow) void this.flush().catch(() => undefined);
    else if (this.size >= this.options.flushAt) void this.flushWholeBatches().catch(() => undefined);
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

  /** Flushes as many whole batches as are waiting; the remainder waits for more input or the idle time. */
  private flushWholeBatches(): Promise<void> {
    const split = this.options.split;
    if (!split) return this.flush();
    const sizeOf = this.options.sizeOf ?? (() => 1);
    let wanted = Math.floor(this.size / this.options.flushAt) * this.options.flushAt;
    const taken: T[] = [];
    while (wanted > 0 && this.buffer.length) {
      const entry = this.buffer.shift()!;
      const size = sizeOf(entry);
      if (size <= wanted) {
        taken.push(entry);
        wanted -= size;
        this.size -= size;
      } else {
        const [head, tail] = split(entry, wanted);
        taken.push(head);
        this.buffer.unshift(tail);
        this.size -= wanted;
        wanted = 0;
      }
    }
    if (this.buffer.length) this.arm();
    else if (this.timer) clearTimeout(this.timer);
    this.running = this.running.catch(() => undefined).then(() => this.options.flush(taken));
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
