/**
 * A whole input that cannot be imported (empty, not a CSV, unknown columns, damaged or locked zip).
 * Row-level problems never throw: they become rejected rows.
 */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const SITE_NAMES = { letterboxd: 'Letterboxd', tvtime: 'TV Time', imdb: 'IMDb', generic: 'clawarr generic' } as const;

export function siteName(format: keyof typeof SITE_NAMES | 'auto'): string {
  return format === 'auto' ? 'Letterboxd, TV Time or IMDb' : SITE_NAMES[format];
}

/** Header cells for a message: short enough for a node status, long enough to recognise the file. */
export function describeColumns(cells: readonly string[]): string {
  const shown = cells.slice(0, 12).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
  const more = cells.length > 12 ? `, … (${cells.length} columns)` : '';
  return shown.join(', ') + more;
}
