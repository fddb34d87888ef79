import { foldTitle } from '../schema/fold-title';
import type { KindEnv, KindReader } from './kind';
import { compact, Header, Problems, type MapResult, type Row } from './row';
import { parseDay, parseYear, text } from './values';

/** First cell of a list export: "Letterboxd list export v7". */
export const LIST_TITLE = /^letterboxd list export v\d+/i;

/**
 * A Letterboxd list (lists/<slug>.csv, format v7): a title line, the list's own header and row
 * (Date, Name, Tags, URL, Description), a blank line, then `Position,Name,Year,URL,Description`.
 * Items carry listedAt = the list's Date (the rows have no date of their own) and
 * source.list = "lists/<slug>". A row's Description is a list note, not a review: it is left out so a
 * note never ends up posted as a review.
 */
export function listReader(env: KindEnv): KindReader {
  let seen = 0;
  let listHeader: Header | undefined;
  let listDate: { value?: string; error?: string } = {};
  let list = `lists/${slugFrom(env.fileName) ?? 'list'}`;

  return {
    takeHeader(cells) {
      seen += 1;
      if (seen === 2) listHeader = new Header(cells);
      if (seen === 3 && listHeader) {
        const meta = listHeader;
        const get = (name: string) => {
          const i = meta.position(name);
          return i === undefined ? '' : (cells[i] ?? '');
        };
        listDate = parseDay('list Date', get('Date'));
        const name = get('Name');
        if (!slugFrom(env.fileName) && foldTitle(name, '-')) list = `lists/${foldTitle(name, '-')}`;
      }
      return seen === 4 ? new Header(cells) : undefined;
    },
    map: (row) => mapListRow(row, list, listDate),
  };
}

function mapListRow(row: Row, list: string, listDate: { value?: string; error?: string }): MapResult {
  const title = text(row.get('Name'));
  if (!title) return { reject: 'no Name (the film title)' };
  const p = new Problems();
  const year = p.take(parseYear('Year', row.get('Year')));
  const listedAt = p.take(listDate);
  if (p.first) return { reject: p.first };
  const uri = text(row.first('URL', 'Letterboxd URI'));
  return {
    item: compact({
      type: 'movie' as const,
      title,
      year,
      ids: uri ? { letterboxd: uri } : undefined,
      listedAt,
      source: { kind: 'letterboxd', ref: row.ref, list },
    }),
  };
}

/** "lists/comfort-films-vol-1.csv" → "comfort-films-vol-1"; undefined when no name was given. */
function slugFrom(fileName: string | undefined): string | undefined {
  const base = fileName?.split(/[\\/]/).pop()?.replace(/\.csv$/i, '').trim();
  return base ? base : undefined;
}
