import { describeProblem } from '../schema/validate';
import { FileBatcher } from './batcher';
import { checkedChunks, type ByteCount } from './chunks';
import { csvEvents, type CsvEvent } from './csv-records';
import { detectKind } from './detect';
import type { Kind, KindReader } from './kind';
import { Row, type Header, type MapResult } from './row';
import type { ShowIndex } from './tvtime-shows';
import type { FileSummary, ImportFormat, OnBatch } from './types';

/** One CSV to read. */
export interface CsvSource {
  /** Label for batches, rejected rows and source.ref. */
  file: string;
  /** Path or name used for detection (and a list's slug), when known. */
  fileName?: string;
  chunks: AsyncIterable<Buffer>;
  bytes: ByteCount;
  bytesTotal?: number;
}

export interface ReadContext {
  format: ImportFormat;
  shows: ShowIndex;
  batchSize: number;
  onBatch: OnBatch;
}

export type FileOutcome =
  | { status: 'read'; kind: Kind; summary: FileSummary }
  /** Known, nothing to import (profile.csv …). */
  | { status: 'ignored'; kind: Kind }
  /** No kind matches the first record (its cells), or the first record is unreadable (fault). */
  | { status: 'unknown'; header: string[]; fault?: string }
  | { status: 'empty' };

/**
 * Reads one CSV: detects its kind on the first record, maps every data row to an item, a rejected
 * row (with its line and reason) or a skip, validates items against the media item schema, and
 * delivers batches as it goes. Stops reading at once for an unknown or ignored file.
 */
export async function readCsv(source: CsvSource, ctx: ReadContext): Promise<FileOutcome> {
  let kind: Kind | undefined;
  let reader: KindReader | undefined;
  let header: Header | undefined;
  const batcher = new FileBatcher(source.file, ctx.batchSize, ctx.onBatch, source.bytes, source.bytesTotal);

  for await (const events of csvEvents(checkedChunks(source.chunks, source.bytes))) {
    for (const event of events) {
      if (!kind || !reader) {
        if (event.fault !== undefined) return { status: 'unknown', header: [], fault: event.fault };
        kind = detectKind(source.fileName ?? source.file, event.cells, ctx.format);
        if (!kind) return { status: 'unknown', header: event.cells };
        if (kind.role === 'ignore') return { status: 'ignored', kind };
        reader = kind.reader({ file: source.file, fileName: source.fileName, shows: ctx.shows });
        header = reader.takeHeader(event.cells);
      } else if (!header) {
        // A preamble (Letterboxd list): records before the data header are no data rows.
        if (event.cells) header = reader.takeHeader(event.cells);
      } else {
        takeRow(event, header, reader, batcher, source.file);
        if (batcher.full) await batcher.flush();
      }
    }
  }
  if (!kind) return { status: 'empty' };
  await batcher.flush();
  const summary = { file: source.file, kind: kind.id, items: batcher.itemCount, rejected: batcher.rejectedCount, skipped: batcher.skippedCount };
  return { status: 'read', kind, summary };
}

function takeRow(event: CsvEvent, header: Header, reader: KindReader, batcher: FileBatcher, file: string): void {
  if (event.fault !== undefined) {
    batcher.addRejected({ file, line: event.line, reason: event.fault });
    return;
  }
  const row = new Row(header, event.cells, file, event.line);
  const result = event.cells.length === header.names.length ? safeMap(reader, row) : { reject: columnCount(event.cells.length, header.names.length) };
  if ('skip' in result) return batcher.addSkipped();
  if ('reject' in result) return batcher.addRejected({ file, line: event.line, reason: result.reject, row: row.record() });
  const problem = describeProblem(result.item);
  if (problem) batcher.addRejected({ file, line: event.line, reason: problem, row: row.record() });
  else batcher.addItem(result.item);
}

/** A mapper bug must cost one row, not the import. */
function safeMap(reader: KindReader, row: Row): MapResult {
  try {
    return reader.map(row);
  } catch (error) {
    return { reject: `could not be read (${(error as Error).message})` };
  }
}

function columnCount(found: number, expected: number): string {
  return `the row has ${found} ${found === 1 ? 'value' : 'values'} where the header has ${expected} columns`;
}
