import type { Entry } from 'yauzl';
import { isShowIndexFile } from './kinds';

export interface PlannedEntry {
  entry: Entry;
  /** Path inside the export, after the top folder. */
  path: string;
}

/** Folders of a Letterboxd export: a zip holding only one of them has no top folder to strip. */
const EXPORT_FOLDERS = /^(lists|likes|deleted|orphaned)$/i;

/**
 * Which entries to read, in which order, and which to report as ignored. One top folder
 * ("letterboxd-alice-2024-01-01/") is stripped; deleted/ and orphaned/ hold entries the user removed
 * or films Letterboxd dropped, so importing them would resurrect them; macOS metadata and folders are
 * not files of the export. TV Time's show files go first: episodes are joined with their show ids.
 */
export function planZip(entries: readonly Entry[]): { read: PlannedEntry[]; ignored: string[] } {
  const files = entries.filter((e) => !e.fileName.endsWith('/') && !isJunk(e.fileName));
  const top = commonTop(files.map((e) => e.fileName));
  const read: PlannedEntry[] = [];
  const ignored: string[] = [];
  for (const entry of files) {
    const path = top ? entry.fileName.slice(top.length + 1) : entry.fileName;
    if (/^(deleted|orphaned)\//i.test(path) || !/\.csv$/i.test(path)) ignored.push(path);
    else read.push({ entry, path });
  }
  const first = (p: PlannedEntry) => (isShowIndexFile(p.path.toLowerCase()) ? 0 : 1);
  read.sort((a, b) => first(a) - first(b));
  return { read, ignored };
}

function isJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'));
}

function commonTop(names: readonly string[]): string | undefined {
  const tops = new Set(names.map((n) => (n.includes('/') ? n.split('/')[0] : '')));
  const [top] = tops;
  return tops.size === 1 && top && !EXPORT_FOLDERS.test(top) ? top : undefined;
}
