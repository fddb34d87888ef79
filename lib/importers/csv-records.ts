import { parse, type CsvError } from 'csv-parse';
import { ImportError } from './errors';

/** One record of a CSV with the line it starts on, or a stretch csv-parse could not read. */
export type CsvEvent = { line: number; cells: string[]; fault?: undefined } | { line: number; fault: string; cells?: undefined };

/**
 * Input is fed to the parser in slices this size, and the records of a slice are handed out before
 * the next is read: that bounds how many parsed rows wait while a batch is being delivered.
 */
const SLICE = 8 * 1024;

/** A quoted value still open after this many bytes is a damaged file, not a review: stop, do not buffer it all. */
const MAX_OPEN_BYTES = 16 * 1024 * 1024;

const BREAKS = /\r\n|\r|\n/g;

function countBreaks(text: string): number {
  return text.match(BREAKS)?.length ?? 0;
}

/**
 * Parses byte chunks into records, yielding them in groups as the input is read (the generator only
 * reads on when asked, so a slow consumer slows the reading). BOM, CRLF and quoted newlines are
 * handled by csv-parse; column counts are left to the caller (a short row is rejected, not fatal);
 * blank lines are skipped. Line numbers are counted from each record's raw text, because csv-parse's
 * own counter is off for CRLF files.
 */
export async function* csvEvents(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvEvent[]> {
  const out: CsvEvent[] = [];
  let line = 1;
  let openBytes = 0;
  let failure: Error | undefined;

  const place = (raw: string): number => {
    const leading = /^(?:\r\n|\r|\n)+/.exec(raw)?.[0] ?? '';
    const start = line + countBreaks(leading);
    line += countBreaks(raw);
    openBytes = 0;
    return start;
  };
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    raw: true,
    skip_records_with_error: true,
    // Records are taken here, synchronously and in order with on_skip, and never pushed to the stream.
    on_record: (wrapped: unknown) => {
      const { record, raw } = wrapped as { record: string[]; raw: string };
      const start = place(raw);
      // A line of spaces is a blank line to a person, not a one-cell row.
      if (!(record.length === 1 && record[0].trim() === '')) out.push({ line: start, cells: record });
      return null;
    },
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      out.push({ line: place(raw ?? ''), fault: describeFault(error) });
      return undefined;
    },
  });
  parser.on('error', (error: Error) => (failure = error));
  // Nothing is ever pushed, but the readable side must flow for the stream to finish.
  parser.resume();

  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += SLICE) {
      const slice = chunk.subarray(at, at + SLICE);
      parser.write(slice);
      openBytes += slice.length;
      if (failure) throw new ImportError(`the file could not be read as CSV near line ${line} (${failure.message})`);
      if (openBytes > MAX_OPEN_BYTES) {
        throw new ImportError(`line ${line} opens a quoted value that is still open 16 MB later: the file is damaged`);
      }
      if (out.length > 0) yield out.splice(0);
    }
  }
  await endParser(parser);
  if (failure) throw new ImportError(`the file could not be read as CSV near line ${line} (${failure.message})`);
  if (out.length > 0) yield out.splice(0);
}

function endParser(parser: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    parser.once('error', () => resolve());
    parser.end(() => resolve());
  });
}

function describeFault(error: CsvError | undefined): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted value starts here and is never closed (the rest of the file is inside it)';
  return `not readable as CSV (${error?.message ?? 'unknown error'})`;
}
