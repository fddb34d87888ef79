import type { Row } from './row';
import { parseDateTime, type Parsed } from './values';

/** A cell with its column name, for reasons that name the column. */
export function cell(row: Row, ...columns: string[]): { column: string; value: string } {
  const column = columns.find((c) => row.get(c).trim() !== '') ?? columns[0];
  return { column, value: row.get(column) };
}

/** The first date among the columns that is set (not empty, not 0000-00-00), parsed; garbage rejects the row. */
export function firstDate(row: Row, columns: string[]): Parsed<string> {
  const column = columns.find((c) => row.get(c).trim() !== '' && !/^0000-00-00/.test(row.get(c).trim()));
  return column ? parseDateTime(column, row.get(column)) : { value: undefined };
}
