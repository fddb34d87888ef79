/**
 * CSV export of media items: a Letterboxd import file for films, a generic file for everything.
 * Items that no file can carry come back in `skipped` with a reason; nothing is dropped silently.
 */
import type { MediaItem } from '../schema/types';
import { ColumnUse, project } from './columns';
import { csvRecord } from './csv';
import { FORMATS, rowOf } from './formats';
import type { ExportFile, ExportFormat, ExportOptions, ExportResult, SkippedItem } from './types';

export type { ExportFile, ExportFormat, ExportOptions, ExportResult, SkippedItem } from './types';
export { CsvFileWriter } from './file-writer';
export { csvField, csvRecord } from './csv';
export { GENERIC_COLUMNS } from './generic';
export { LETTERBOXD_COLUMNS } from './letterboxd';

/** All at once (for msg.payload). Files come letterboxd first, then generic; a file with no rows is left out. */
export function exportItems(items: MediaItem[], options: ExportOptions = {}): ExportResult {
  const format = options.format ?? 'auto';
  const rows: Record<ExportFormat, string[][]> = { letterboxd: [], generic: [] };
  const skipped: SkippedItem[] = [];
  for (const item of items) {
    // auto tries Letterboxd first and falls back to generic, so a film Letterboxd cannot match is still exported.
    const placed = place(item, format === 'auto' ? ['letterboxd', 'generic'] : [format]);
    if ('reason' in placed) skipped.push({ item, reason: placed.reason });
    else rows[placed.target].push(placed.cells);
  }
  const files = (['letterboxd', 'generic'] as const).filter((target) => rows[target].length > 0).map((target) => renderFile(target, rows[target]));
  return { files, skipped };
}

/** The first format that takes the item, or the last format's reason for refusing it. */
function place(item: MediaItem, tries: readonly ExportFormat[]): { target: ExportFormat; cells: string[] } | { reason: string } {
  let reason = 'no format to try';
  for (const target of tries) {
    const outcome = rowOf(target, item);
    if ('cells' in outcome) return { target, cells: outcome.cells };
    reason = outcome.reason;
  }
  return { reason };
}

function renderFile(format: ExportFormat, rows: string[][]): ExportFile {
  const use = new ColumnUse(FORMATS[format].columns);
  for (const cells of rows) use.note(cells);
  const indexes = use.indexes();
  const lines = [csvRecord(use.header()), ...rows.map((cells) => csvRecord(project(cells, indexes)))];
  return { name: FORMATS[format].fileName, format, rows: rows.length, csv: lines.join('') };
}
