import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { MediaItem } from '../schema/types';
import { ColumnUse, project } from './columns';
import { csvRecord } from './csv';
import { FORMATS, rowOf } from './formats';
import type { ExportFormat, SkippedItem } from './types';

/** Output is written in chunks of about this many characters: few syscalls, flat memory. */
const CHUNK = 256 * 1024;

/**
 * Streaming writer for big histories (msg.filename). The column set cannot be known before the last row, so
 * rows are spooled to a side file as JSON lines (one record per line even when a review holds newlines);
 * end() then writes the CSV with only the columns that had data (the same bytes exportItems gives for the
 * same items) and renames it into place, so a half-written export is never seen at `path`.
 * Memory holds one batch and fixed buffers, whatever the number of rows.
 */
export class CsvFileWriter {
  private readonly use: ColumnUse;
  private readonly spoolPath: string;
  private readonly partPath: string;
  private spool?: FileHandle;
  private rows = 0;
  private closed = false;
  private failure?: unknown;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly format: ExportFormat,
  ) {
    this.use = new ColumnUse(FORMATS[format].columns);
    // Next to the target so the final rename stays on one file system (atomic).
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.spoolPath = `${path}.${tag}.rows`;
    this.partPath = `${path}.${tag}.part`;
  }

  /** Adds a batch; `rows` counts the rows this batch added, `skipped` the items this format cannot carry. */
  add(items: MediaItem[]): Promise<{ rows: number; skipped: SkippedItem[] }> {
    return this.serial(async () => {
      this.assertUsable();
      const skipped: SkippedItem[] = [];
      let spooled = '';
      let rows = 0;
      for (const item of items) {
        const outcome = rowOf(this.format, item);
        if ('reason' in outcome) {
          skipped.push({ item, reason: outcome.reason });
          continue;
        }
        this.use.note(outcome.cells);
        spooled += JSON.stringify(outcome.cells) + '\n';
        rows += 1;
      }
      if (rows > 0) await this.guard(() => this.appendSpool(spooled));
      this.rows += rows;
      return { rows, skipped };
    });
  }

  /** Finishes the file. With no rows it is empty (no header), as exportItems gives `files: []`. */
  end(): Promise<{ rows: number; path: string }> {
    return this.serial(async () => {
      this.assertUsable();
      this.closed = true;
      try {
        await this.spool?.close();
        await this.writeCsv();
        await rename(this.partPath, this.path);
      } finally {
        await this.removeTemporaries();
      }
      return { rows: this.rows, path: this.path };
    });
  }

  /** Gives up (after an error upstream): removes the side files, leaves `path` untouched. */
  abort(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.spool?.close().catch(() => undefined);
      await this.removeTemporaries();
    });
  }

  private async appendSpool(text: string): Promise<void> {
    this.spool ??= await open(this.spoolPath, 'wx', 0o600);
    // writeFile on a handle writes everything from the current position, so successive batches append.
    await this.spool.writeFile(text, 'utf8');
  }

  private async writeCsv(): Promise<void> {
    const out = await open(this.partPath, 'w', 0o644);
    try {
      if (this.rows === 0) return;
      const indexes = this.use.indexes();
      let chunk = csvRecord(this.use.header());
      const lines = createInterface({ input: createReadStream(this.spoolPath, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        chunk += csvRecord(project(JSON.parse(line) as string[], indexes));
        if (chunk.length >= CHUNK) {
          await out.writeFile(chunk, 'utf8');
          chunk = '';
        }
      }
      await out.writeFile(chunk, 'utf8');
    } finally {
      await out.close();
    }
  }

  private async removeTemporaries(): Promise<void> {
    await rm(this.spoolPath, { force: true });
    await rm(this.partPath, { force: true });
  }

  /** A failed spool write may leave half a line; later batches would corrupt the file, so the writer stops. */
  private async guard(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw new Error(`CSV writer for ${this.path} failed earlier: ${String(this.failure)}`);
    if (this.closed) throw new Error(`CSV writer for ${this.path} is already finished`);
  }

  /** Calls run one after another in call order, so batches land in the file in the order they were added. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
