import { Header, type MapResult, type Row } from './row';
import type { ShowIndex } from './tvtime-shows';
import type { SiteFormat } from './types';

/** What a reader of one file knows besides the rows. */
export interface KindEnv {
  /** The label in source.ref and batches ("diary.csv", "lists/films.csv"). */
  file: string;
  /** The name the caller gave, when it gave one (a list's slug comes from it). */
  fileName?: string;
  /** TV Time show ids by show name, filled by followed_tv_show.csv / user_tv_show_data.csv. */
  shows: ShowIndex;
}

export interface KindReader {
  /**
   * Receives the records before the data rows, returning their header once known: the first record of a
   * plain CSV, the fourth of a Letterboxd list (after its title line and list description).
   */
  takeHeader(cells: readonly string[]): Header | undefined;
  map(row: Row): MapResult;
}

/** One kind of export file. */
export interface Kind {
  /** Shown in the summary ("diary", "seen_episode", …). */
  id: string;
  format: SiteFormat;
  /** 'items': rows become items; 'shows': rows feed the TV Time show index; 'ignore': known, nothing to import. */
  role: 'items' | 'shows' | 'ignore';
  /** File names (relative path, lower case) that announce this kind. */
  names: readonly RegExp[];
  /** Whether the first record of a file is this kind's header (or title line). */
  matches(first: Header): boolean;
  reader(env: KindEnv): KindReader;
}

/** A reader for a CSV whose first record is the header. */
export function plainReader(map: (row: Row) => MapResult): KindReader {
  return { takeHeader: (cells) => new Header(cells), map };
}

export function hasAll(header: Header, columns: readonly string[]): boolean {
  return columns.every((c) => header.has(c));
}
