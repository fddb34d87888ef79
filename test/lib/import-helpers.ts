// Shared helpers for the import specs (not a spec file: mocha only loads *.spec.ts).
import { join } from 'node:path';
import { expect } from 'chai';
import type { MediaItem } from '../../lib/schema/types';
import { ImportError, importCsv, importFile, type ImportBatch, type ImportOptions, type ImportSummary, type RejectedRow } from '../../lib/importers';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export interface Collected {
  items: MediaItem[];
  rejected: RejectedRow[];
  batches: ImportBatch[];
  summary: ImportSummary;
}

function collector(): { batches: ImportBatch[]; onBatch: (b: ImportBatch) => void } {
  const batches: ImportBatch[] = [];
  return { batches, onBatch: (b) => void batches.push(b) };
}

function gather(batches: ImportBatch[], summary: ImportSummary): Collected {
  return { items: batches.flatMap((b) => b.items), rejected: batches.flatMap((b) => b.rejected), batches, summary };
}

export async function runCsv(input: string | Buffer | NodeJS.ReadableStream, options: ImportOptions = {}): Promise<Collected> {
  const { batches, onBatch } = collector();
  return gather(batches, await importCsv(input, options, onBatch));
}

export async function runFile(path: string, options: ImportOptions = {}): Promise<Collected> {
  const { batches, onBatch } = collector();
  return gather(batches, await importFile(path, options, onBatch));
}

/** Awaits an import that must fail as a whole, and returns its message. */
export async function importErrorOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('expected an ImportError');
}

/** The items of one file of an import, by source.ref line. */
export function byLine(items: MediaItem[]): Map<number, MediaItem> {
  return new Map(items.map((item) => [Number(item.source?.ref?.split(':').pop()), item]));
}
