import type { MediaItem } from '../schema/types';

/** 'generic': clawarr's own generic CSV (what csv-export writes for TV and anything else). */
export type ImportFormat = 'auto' | 'letterboxd' | 'tvtime' | 'imdb' | 'generic';
export type SiteFormat = Exclude<ImportFormat, 'auto'>;

/** A data row that did not become a media item, with where it is and why. */
export interface RejectedRow {
  file: string;
  /** 1-based line where the row starts (a quoted value may span several lines). */
  line: number;
  reason: string;
  /** The row's cells by header name, when the row could be read as cells. */
  row?: Record<string, string>;
}

export interface ImportBatch {
  items: MediaItem[];
  rejected: RejectedRow[];
  file: string;
  /** Data rows of `file` read so far, this batch included (items + rejected + skipped). */
  rowsRead: number;
  /** Bytes of `file` read so far (uncompressed inside a zip). */
  bytesRead?: number;
  /** Size of `file` when known (not for a stream). */
  bytesTotal?: number;
}

export interface ImportOptions {
  format?: ImportFormat;
  /** Items + rejected rows per batch; default 1000. */
  batchSize?: number;
  /** The file's name (or path inside an export), for detection and source.ref. */
  fileName?: string;
}

export type OnBatch = (batch: ImportBatch) => Promise<void> | void;

export interface FileSummary {
  file: string;
  kind: string;
  items: number;
  rejected: number;
  /** Rows that are no item by design (TV Time followed-show and counter records), neither lost nor rejected. */
  skipped: number;
}

export interface ImportSummary {
  format: SiteFormat;
  files: FileSummary[];
  items: number;
  rejected: number;
  /** Sum of files[].skipped. */
  skipped: number;
  /** Files of the input that were not read: deleted/ and orphaned/ entries, profile.csv, unknown files in a zip … */
  ignored: string[];
}
