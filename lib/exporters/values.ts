/** Cell conversions shared by the formats. An empty string means "no data" for column selection. */

/** Thrown when an item holds a value the file cannot carry faithfully; the item is skipped with this reason. */
export class Unexportable extends Error {}

export function text(value: string | undefined): string {
  return value ?? '';
}

export function integer(value: number | undefined, field: string): string {
  if (value === undefined) return '';
  // A fraction or NaN would be silently misread by every importer, so refuse it instead of writing it.
  if (!Number.isSafeInteger(value)) throw new Unexportable(`${field} ${value} is not an integer`);
  return String(value);
}

export function boolean(value: boolean | undefined): string {
  return value === undefined ? '' : String(value);
}

/** Tracker scale (flow contract): integer 1–10, which is also Letterboxd's Rating10. */
export function rating(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isInteger(value) || value < 1 || value > 10) throw new Unexportable(`rating ${value} is not an integer from 1 to 10`);
  return String(value);
}

/** Normalised to `toISOString()` so every row of a file reads the same way, whatever offset the source used. */
export function timestamp(value: string | undefined, field: string): string {
  if (value === undefined) return '';
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Unexportable(`${field} "${value}" is not a date`);
  return new Date(ms).toISOString();
}

/** Comma-joined without spaces: both trimming and non-trimming readers split it back to the same tags. */
export function tagList(tags: readonly string[] | undefined): string {
  return (tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== '').join(',');
}
