import type { ZipFile } from 'yauzl';
import { ByteCount } from './chunks';
import { describeColumns, ImportError, siteName } from './errors';
import { summarize, type ResolvedOptions } from './options';
import { readCsv } from './read-csv';
import { ShowIndex } from './tvtime-shows';
import type { FileSummary, ImportFormat, ImportSummary, OnBatch } from './types';
import { entryChunks, openEntry, readEntries } from './zip';
import { planZip } from './zip-plan';

/**
 * Imports every known CSV of an export zip, one entry at a time, streamed. Unknown CSVs, files of
 * another site than the first one read (with format auto) and known files without anything to import
 * are listed in `ignored`. Always closes the zip.
 */
export async function importZip(zip: ZipFile, options: ResolvedOptions, onBatch: OnBatch): Promise<ImportSummary> {
  try {
    const plan = planZip(await readEntries(zip));
    const locked = plan.read.find((p) => p.entry.isEncrypted());
    if (locked) {
      throw new ImportError(
        'this zip is password-protected: unzip it with its password (TV Time sends it in a second email) and import the CSV files, or zip them again without a password',
      );
    }
    let format: ImportFormat = options.format;
    const shows = new ShowIndex();
    const files: FileSummary[] = [];
    const ignored = [...plan.ignored];
    for (const { entry, path } of plan.read) {
      const stream = await openEntry(zip, entry);
      const source = { file: path, fileName: path, chunks: entryChunks(stream, path), bytes: new ByteCount(), bytesTotal: entry.uncompressedSize };
      const outcome = await readCsv(source, { format, shows, batchSize: options.batchSize, onBatch }).catch((error: unknown) => {
        throw error instanceof ImportError && !error.message.includes(path) ? new ImportError(`${path} in the zip: ${error.message}`) : error;
      });
      stream.destroy();
      if (outcome.status !== 'read') {
        ignored.push(path);
        continue;
      }
      files.push(outcome.summary);
      // One zip is one export: after the first file, files of another site are not read.
      if (format === 'auto') format = outcome.kind.format;
    }
    if (files.length === 0 || format === 'auto') {
      throw new ImportError(`this zip holds no ${siteName(options.format)} export files (it contains: ${describeColumns(ignored) || 'no files'})`);
    }
    return summarize(format, files, ignored);
  } finally {
    zip.close();
  }
}
