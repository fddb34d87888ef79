import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { streamChunks } from './chunks';
import { ImportError } from './errors';

/** Opens a zip by path (read on demand, never loaded whole) or from a Buffer. */
export function openZip(source: { path: string } | { buffer: Buffer }): Promise<ZipFile> {
  const options = { lazyEntries: true, autoClose: false };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: ZipFile) => (error || !zip ? reject(damaged(error)) : resolve(zip));
    if ('path' in source) yauzl.open(source.path, options, done);
    else yauzl.fromBuffer(source.buffer, options, done);
  });
}

/** Every entry of the central directory (names and sizes only; nothing is decompressed). */
export function readEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (error: Error) => reject(damaged(error)));
    zip.readEntry();
  });
}

export function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(damaged(error, entry.fileName)) : resolve(stream)));
  });
}

/** An entry's bytes; a read failure (bad compressed data, wrong size) becomes an ImportError naming the file. */
export function entryChunks(stream: Readable, path: string): AsyncGenerator<Buffer> {
  return streamChunks(stream, (error) => damaged(error, path));
}

function damaged(error: Error | null, path?: string): ImportError {
  if (error instanceof ImportError) return error;
  const where = path ? `${path} in the zip` : 'the zip file';
  return new ImportError(`${where} cannot be read: the zip is damaged or incomplete (${error?.message ?? 'unknown error'})`);
}
