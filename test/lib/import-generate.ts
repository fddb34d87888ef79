// Generators for import tests and the import benchmark (not a spec file: mocha only loads *.spec.ts).
import { Readable } from 'node:stream';

export const DIARY_HEADER = 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date';

/** One CSV line, quoted the RFC 4180 way (as Letterboxd, TV Time and IMDb write them). */
export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) || c !== c.trim() ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

/** Row `i` of a synthetic diary: commas, quotes, accents and half stars included, every row valid. */
export function diaryRow(i: number): string {
  const day = new Date(Date.UTC(2000, 0, 1) + (i % 9000) * 86_400_000).toISOString().slice(0, 10);
  const title = i % 7 === 0 ? `Film "${i}", première` : `Film ${i}`;
  const stars = ((i % 10) + 1) / 2;
  return csvLine([day, title, String(1950 + (i % 70)), `https://boxd.it/g${i.toString(36)}`, String(stars), i % 5 === 0 ? 'Yes' : '', i % 3 === 0 ? 'a, b' : '', day]);
}

/** A Letterboxd diary.csv with `rows` data rows. */
export function letterboxdDiaryCsv(rows: number): string {
  const lines = [DIARY_HEADER];
  for (let i = 0; i < rows; i += 1) lines.push(diaryRow(i));
  return `${lines.join('\n')}\n`;
}

/**
 * The same diary as a stream that makes rows only when read, 100 per chunk, reporting how many it
 * has produced: the whole file never exists in memory.
 */
export function letterboxdDiaryStream(rows: number, produced: (count: number) => void): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next >= rows) return void this.push(null);
      const lines = next === 0 ? [DIARY_HEADER] : [];
      const end = Math.min(rows, next + 100);
      for (; next < end; next += 1) lines.push(diaryRow(next));
      produced(next);
      this.push(`${lines.join('\n')}\n`);
    },
  });
}
