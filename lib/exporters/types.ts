import type { MediaItem } from '../schema/types';

export type ExportFormat = 'letterboxd' | 'generic';

export interface ExportOptions {
  /** auto: films → letterboxd, anything else (and films Letterboxd cannot match) → generic. */
  format?: 'auto' | ExportFormat;
}

export interface SkippedItem {
  item: MediaItem;
  reason: string;
}

export interface ExportFile {
  name: string;
  format: ExportFormat;
  rows: number;
  csv: string;
}

export interface ExportResult {
  files: ExportFile[];
  skipped: SkippedItem[];
}
