/**
 * CSV import of Letterboxd, TV Time and IMDb exports into media items (flow-contract.md), streamed
 * in batches. The csv-import node is a thin wrapper around importCsv / importFile.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ByteCount, streamChunks, toChunks } from './chunks';
import { ImportError } from './errors';
import { importOneCsv } from './import-one';
import { importZip } from './import-zip';
import { fileLabel, resolveOptions } from './options';
import { isZip } from './sniff';
import type { ImportOptions, ImportSummary, OnBatch } from './types';
import { openZip } from './zip';

export { ImportError } from './errors';
export type { FileSummary, ImportBatch, ImportFormat, ImportOptions, ImportSummary, RejectedRow } from './types';

/**
 * CSV text or Buffer (one file), or a readable stream of one. Calls onBatch as items accumulate
 * (backpressure: the next rows wait for the returned promise). A Buffer holding a zip is read as an
 * export zip, like importFile.
 */
export async function importCsv(
  input: string | Buffer | NodeJS.ReadableStream,
  options: ImportOptions,
  onBatch: OnBatch,
): Promise<ImportSummary> {
  const resolved = resolveOptions(options);
  if (Buffer.isBuffer(input) && isZip(input)) return importZip(await openZip({ buffer: input }), resolved, onBatch);
  const label = resolved.fileName ? fileLabel(resolved.fileName) : undefined;
  const bytesTotal = typeof input === 'string' ? Buffer.byteLength(input) : Buffer.isBuffer(input) ? input.length : undefined;
  const source = { file: label ?? 'input.csv', fileName: label, chunks: toChunks(input), bytes: new ByteCount(), bytesTotal };
  return importOneCsv(source, resolved, onBatch);
}

/**
 * A path: a .csv file or a whole export .zip (read as a stream; every known file inside, deleted/
 * and orphaned/ ignored, one top folder stripped). Zip or CSV is decided by the content, not the name.
 */
export async function importFile(path: string, options: ImportOptions, onBatch: OnBatch): Promise<ImportSummary> {
  const resolved = resolveOptions(options);
  const size = await fileSize(path);
  if (isZip(await head(path))) return importZip(await openZip({ path }), resolved, onBatch);
  const label = fileLabel(resolved.fileName ?? path);
  const stream = createReadStream(path);
  const source = { file: label, fileName: label, chunks: streamChunks(stream, (e) => new ImportError(`${label} cannot be read (${e.message})`)), bytes: new ByteCount(), bytesTotal: size };
  return importOneCsv(source, resolved, onBatch);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ImportError(`${path} is a folder: give the export's .zip or one of its .csv files`);
    return info.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(code === 'ENOENT' ? `there is no file at ${path}` : `${path} cannot be read (${code ?? (error as Error).message})`);
  }
}

async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await file.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
