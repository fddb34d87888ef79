import { ImportError } from './errors';
import { unknownCsv } from './detect';
import { summarize, type ResolvedOptions } from './options';
import { readCsv, type CsvSource } from './read-csv';
import { ShowIndex } from './tvtime-shows';
import type { ImportSummary, OnBatch } from './types';

/** Imports a single CSV; anything that makes the whole file unimportable is an ImportError. */
export async function importOneCsv(source: CsvSource, options: ResolvedOptions, onBatch: OnBatch): Promise<ImportSummary> {
  const ctx = { format: options.format, shows: new ShowIndex(), batchSize: options.batchSize, onBatch };
  const outcome = await readCsv(source, ctx);
  switch (outcome.status) {
    case 'empty':
      throw new ImportError('the file is empty');
    case 'unknown':
      if (outcome.fault) throw new ImportError(`this file does not start with a CSV header: ${outcome.fault}`);
      throw unknownCsv(outcome.header, options.format);
    case 'ignored':
      return summarize(outcome.kind.format, [], [source.file]);
    case 'read':
      return summarize(outcome.kind.format, [outcome.summary], []);
  }
}
