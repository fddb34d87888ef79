import { ImportError } from './errors';
import type { FileSummary, ImportFormat, ImportOptions, ImportSummary, SiteFormat } from './types';

export interface ResolvedOptions {
  format: ImportFormat;
  batchSize: number;
  fileName?: string;
}

const FORMATS: readonly ImportFormat[] = ['auto', 'letterboxd', 'tvtime', 'imdb', 'generic'];

/** Defaults, and a sentence for a format name a flow got wrong (the node passes config strings through). */
export function resolveOptions(options: ImportOptions = {}): ResolvedOptions {
  const format = options.format ?? 'auto';
  if (!FORMATS.includes(format)) throw new ImportError(`unknown format "${String(format)}": use auto, letterboxd, tvtime, imdb or generic`);
  const size = Number(options.batchSize);
  const batchSize = Number.isInteger(size) && size > 0 ? size : 1000;
  return { format, batchSize, fileName: options.fileName || undefined };
}

/**
 * The label of a file in batches and source.ref: its name, with the export folder kept where it
 * carries meaning ("lists/comfort-films.csv", "likes/films.csv").
 */
export function fileLabel(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '');
  const base = parts.pop() ?? path;
  const parent = parts.pop();
  return parent && /^(lists|likes)$/i.test(parent) ? `${parent}/${base}` : base;
}

export function summarize(format: SiteFormat, files: FileSummary[], ignored: string[]): ImportSummary {
  const total = (key: 'items' | 'rejected' | 'skipped') => files.reduce((sum, f) => sum + f[key], 0);
  return { format, files, items: total('items'), rejected: total('rejected'), skipped: total('skipped'), ignored };
}
