import type { MediaItem } from '../schema/types';
import type { ByteCount } from './chunks';
import type { ImportBatch, OnBatch, RejectedRow } from './types';

/**
 * Collects one file's items and rejected rows into batches of `size` and hands each to onBatch,
 * waiting for it: the caller stops reading until the promise settles (backpressure). A batch never
 * mixes files.
 */
export class FileBatcher {
  private items: MediaItem[] = [];
  private rejected: RejectedRow[] = [];
  itemCount = 0;
  rejectedCount = 0;
  skippedCount = 0;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly onBatch: OnBatch,
    private readonly bytes: ByteCount,
    private readonly bytesTotal: number | undefined,
  ) {}

  /** Data rows read: every one is an item, a rejected row or a skipped one. */
  get rowsRead(): number {
    return this.itemCount + this.rejectedCount + this.skippedCount;
  }

  get full(): boolean {
    return this.items.length + this.rejected.length >= this.size;
  }

  addItem(item: MediaItem): void {
    this.items.push(item);
    this.itemCount += 1;
  }

  addRejected(row: RejectedRow): void {
    this.rejected.push(row);
    this.rejectedCount += 1;
  }

  addSkipped(): void {
    this.skippedCount += 1;
  }

  /** Sends what is held (nothing when empty) and waits for the receiver. */
  async flush(): Promise<void> {
    if (this.items.length === 0 && this.rejected.length === 0) return;
    const batch: ImportBatch = {
      items: this.items,
      rejected: this.rejected,
      file: this.file,
      rowsRead: this.rowsRead,
      bytesRead: this.bytes.read,
    };
    if (this.bytesTotal !== undefined) batch.bytesTotal = this.bytesTotal;
    this.items = [];
    this.rejected = [];
    await this.onBatch(batch);
  }
}
