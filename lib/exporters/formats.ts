/** One place that knows each format: its columns, its file name, and how an item becomes a row. */
import type { MediaItem } from '../schema/types';
import { GENERIC_COLUMNS, genericCells } from './generic';
import { LETTERBOXD_COLUMNS, letterboxdCells, letterboxdRefusal } from './letterboxd';
import type { ExportFormat } from './types';
import { Unexportable } from './values';

interface FormatSpec {
  columns: readonly string[];
  fileName: string;
  refusal(item: MediaItem): string | undefined;
  /** Cells in `columns` order; '' is "no data". */
  cells(item: MediaItem): string[];
}

export const FORMATS: Record<ExportFormat, FormatSpec> = {
  letterboxd: { columns: LETTERBOXD_COLUMNS, fileName: 'letterboxd-import.csv', refusal: letterboxdRefusal, cells: letterboxdCells },
  generic: { columns: GENERIC_COLUMNS, fileName: 'media-items.csv', refusal: () => undefined, cells: genericCells },
};

export type RowOutcome = { cells: string[] } | { reason: string };

export function rowOf(format: ExportFormat, item: MediaItem): RowOutcome {
  const spec = FORMATS[format];
  const reason = spec.refusal(item);
  if (reason !== undefined) return { reason };
  try {
    return { cells: spec.cells(item) };
  } catch (error) {
    // Only value problems become skips; anything else is a bug and must surface.
    if (error instanceof Unexportable) return { reason: error.message };
    throw error;
  }
}
