import type { MediaItem } from '../schema/types';

/** Column names as the export wrote them, looked up case-insensitively (exports changed case over time). */
export class Header {
  private readonly index = new Map<string, number>();
  /** position() by the name as asked (mappers ask for the same few names on every row); -1: none. */
  private readonly asked = new Map<string, number>();

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      const key = normalizeColumn(name);
      if (!this.index.has(key)) this.index.set(key, i);
    });
  }

  has(name: string): boolean {
    return this.position(name) !== undefined;
  }

  position(name: string): number | undefined {
    let i = this.asked.get(name);
    if (i === undefined) {
      i = this.index.get(normalizeColumn(name)) ?? -1;
      this.asked.set(name, i);
    }
    return i === -1 ? undefined : i;
  }
}

export function normalizeColumn(name: string): string {
  return name.trim().toLowerCase();
}

/** One data row: cells read by header name, whatever the column order. */
export class Row {
  constructor(
    readonly header: Header,
    readonly cells: readonly string[],
    readonly file: string,
    readonly line: number,
  ) {}

  /** The cell under `name`, '' when the column or the cell is missing. */
  get(name: string): string {
    const i = this.header.position(name);
    return i === undefined ? '' : (this.cells[i] ?? '');
  }

  /** The first non-empty cell among alternative column names. */
  first(...names: string[]): string {
    for (const name of names) {
      const value = this.get(name);
      if (value.trim() !== '') return value;
    }
    return '';
  }

  get ref(): string {
    return `${this.file}:${this.line}`;
  }

  /** Cells by header name for a rejected row; extra cells get "column N". */
  record(): Record<string, string> {
    const out: Record<string, string> = {};
    this.cells.forEach((cell, i) => {
      out[this.header.names[i] ?? `column ${i + 1}`] = cell;
    });
    return out;
  }
}

/** What a row becomes: an item, a rejection with its reason, or nothing by design (counted as skipped). */
export type MapResult = { item: MediaItem } | { reject: string } | { skip: true };

export type RowMapper = (row: Row) => MapResult;

/** Collects the first cell-parsing error of a row, so mappers read top to bottom. */
export class Problems {
  first: string | undefined;

  take<T>(parsed: { value?: T; error?: string }): T | undefined {
    if (parsed.error !== undefined) this.first ??= parsed.error;
    return parsed.value;
  }
}

/** Drops undefined members so items compare and serialize cleanly (a copy, in the same key order). */
export function compact<T extends object>(value: T): T {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as Array<keyof T>) {
    const member = value[key];
    if (member !== undefined) out[key] = member;
  }
  return out as T;
}
