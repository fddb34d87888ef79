/**
 * Cell parsers for export files. Each returns `{ value }` (value undefined for an empty cell) or
 * `{ error }` with a sentence naming the column and the value, so a row is rejected with a reason
 * instead of carrying a guessed value.
 */
export type Parsed<T> = { value: T | undefined; error?: undefined } | { value?: undefined; error: string };

const NONE = { value: undefined };

function bad(column: string, text: string, expected: string): { error: string } {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return { error: `${column} ${JSON.stringify(shown)} is not ${expected}` };
}

/** Exports write "0000-00-00 …" for an unknown date (TV Time release dates): the same as empty. */
function isZeroDate(text: string): boolean {
  return /^0000-00-00/.test(text);
}

/** Builds the ISO instant and checks the calendar (Date.UTC silently rolls 2023-02-30 into March). */
function utcIso(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return date.toISOString();
}

/**
 * Days already read, by their 10-character text: an export repeats the same days over thousands of
 * rows, and building and checking the instant is most of the work. Bounded: cleared when full.
 */
const DAYS = new Map<string, string>();
const DAYS_MAX = 10_000;

/** "YYYY-MM-DD" → midnight UTC (Letterboxd and IMDb dates carry no time and no zone). */
export function parseDay(column: string, raw: string): Parsed<string> {
  const known = raw.length === 10 ? DAYS.get(raw) : undefined;
  if (known !== undefined) return { value: known };
  const text = raw.trim();
  if (!text || isZeroDate(text)) return NONE;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const iso = m ? utcIso(+m[1], +m[2], +m[3]) : undefined;
  if (!iso) return bad(column, text, 'a date (YYYY-MM-DD)');
  if (DAYS.size >= DAYS_MAX) DAYS.clear();
  DAYS.set(text, iso);
  return { value: iso };
}

/**
 * "YYYY-MM-DD HH:MM:SS" (TV Time, no zone: read as UTC like other importers do), also with a T,
 * without seconds, or a bare day; an explicit ISO zone is honoured.
 */
export function parseDateTime(column: string, raw: string): Parsed<string> {
  const text = raw.trim();
  if (!text || isZeroDate(text)) return NONE;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return bad(column, text, 'a date and time (YYYY-MM-DD HH:MM:SS)');
  const local = utcIso(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (!local) return bad(column, text, 'a real date and time');
  if (!m[7] || m[7] === 'Z') return { value: local };
  const zone = /^([+-])(\d{2}):?(\d{2})$/.exec(m[7]) as RegExpExecArray;
  const offsetMinutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  return { value: new Date(Date.parse(local) - offsetMinutes * 60_000).toISOString() };
}

/** Unix seconds (TV Time v1 watch_date) → ISO; 0 means unknown. */
export function parseEpochSeconds(column: string, raw: string): Parsed<string> {
  const text = raw.trim();
  if (!text || text === '0') return NONE;
  if (!/^\d{1,11}$/.test(text)) return bad(column, text, 'a Unix time in seconds');
  return { value: new Date(Number(text) * 1000).toISOString() };
}

/** A year, or the first year of a range ("2013–2023", "2013-"); the schema checks the range. */
export function parseYear(column: string, raw: string): Parsed<number> {
  const text = raw.trim();
  if (!text) return NONE;
  const m = /^(\d{1,4})(?:\s*[–—-]\s*(\d{4})?)?$/.exec(text);
  return m ? { value: Number(m[1]) } : bad(column, text, 'a year');
}

/** A whole number ≥ 0 (season and episode numbers; season 0 holds specials). */
export function parseCount(column: string, raw: string): Parsed<number> {
  const text = raw.trim();
  if (!text) return NONE;
  return /^\d{1,9}$/.test(text) ? { value: Number(text) } : bad(column, text, 'a whole number');
}

/** A numeric database id; 0 stands for "none" in these exports. */
export function parseId(column: string, raw: string): Parsed<number> {
  const parsed = parseCount(column, raw);
  if (parsed.error !== undefined) return bad(column, raw.trim(), 'a numeric id');
  return parsed.value === 0 ? NONE : parsed;
}

/** Letterboxd stars (0.5–5) → tracker scale 1–10: round(stars × 2), so 0.5 → 1 and 4.5 → 9. */
export function parseStars(column: string, raw: string): Parsed<number> {
  const text = raw.trim();
  if (!text) return NONE;
  if (!/^\d{1,2}(\.\d+)?$/.test(text)) return bad(column, text, 'a number of stars (0.5 to 5)');
  return { value: Math.round(Number(text) * 2) };
}

/** A 1–10 rating as written (IMDb, Letterboxd import Rating10); the schema checks the range. */
export function parseRating10(column: string, raw: string): Parsed<number> {
  const text = raw.trim();
  if (!text) return NONE;
  return /^\d{1,3}$/.test(text) ? { value: Number(text) } : bad(column, text, 'a whole rating from 1 to 10');
}

/** Letterboxd tags: a comma list, quoted by the CSV when there are several. */
export function parseTags(raw: string): string[] | undefined {
  const tags: string[] = [];
  let from = 0;
  for (;;) {
    const comma = raw.indexOf(',', from);
    const tag = (comma === -1 ? raw.slice(from) : raw.slice(from, comma)).trim();
    if (tag !== '') tags.push(tag);
    if (comma === -1) break;
    from = comma + 1;
  }
  return tags.length > 0 ? tags : undefined;
}

/** A trimmed text, undefined when empty. */
export function text(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}
