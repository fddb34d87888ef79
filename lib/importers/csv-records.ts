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
 * handled by csv-parse; column counts are left to the caller (a short row is rejected, not fatal).
 *
 * Records are read from csv-parse's stream side, without `raw`, `info` or `on_record`: those make it
 * build an object per record and halve its speed. Line numbers are counted here from each record's
 * cells instead (csv-parse's own counter is off for CRLF inside quotes): a record ends one line after
 * the line breaks its quoted values hold; blank lines come through as one empty cell and are counted,
 * then dropped.
 */
export async function* csvEvents(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvEvent[]> {
  const out: CsvEvent[] = [];
  let line = 1;
  let openBytes = 0;
  let failure: CsvError | Error | undefined;

  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  parser.on('error', (error: Error) => (failure = error));

  const drain = (): void => {
    for (let record = parser.read() as string[] | null; record !== null; record = parser.read() as string[] | null) {
      const start = line;
      let breaks = 0;
      for (const cell of record) if (cell.length > 1 || cell === '\n' || cell === '\r') breaks += countBreaksFast(cell);
      line += 1 + breaks;
      openBytes = 0;
      // A line of spaces is a blank line to a person, not a one-cell row.
      if (!(record.length === 1 && record[0].trim() === '')) out.push({ line: start, cells: record });
    }
  };

  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += SLICE) {
      const slice = chunk.subarray(at, at + SLICE);
      parser.write(slice);
      openBytes += slice.length;
      drain();
      if (failure) break;
      if (openBytes > MAX_OPEN_BYTES) {
        throw new ImportError(`line ${line} opens a quoted value that is still open 16 MB later: the file is damaged`);
      }
      if (out.length > 0) yield out.splice(0);
    }
    if (failure) break;
  }
  if (!failure) await endParser(parser);
  drain();
  if (failure) {
    // An unclosed quote swallows the rest of the file: a rejected stretch, the rows before it stay.
    if ((failure as CsvError).code === 'CSV_QUOTE_NOT_CLOSED') out.push({ line, fault: describeFault(failure as CsvError) });
    else throw new ImportError(`the file could not be read as CSV near line ${line} (${failure.message})`);
  }
  if (out.length > 0) yield out.splice(0);
}

/** Line breaks inside a value (CRLF, LF or CR each count one), without a regular expression per cell. */
function countBreaksFast(text: string): number {
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return 0;
  return countBreaks(text);
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
