/**
 * Coercions for Tautulli and Plex values: numbers arrive as numbers, numeric strings, "" (empty
 * INTEGER columns) or null, and webhook values are always strings.
 */

/** A finite number, or undefined for "", null, garbage. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** A whole number ≥ 0 (season 0 = specials), else undefined. */
export function toIndex(value: unknown): number | undefined {
  const n = toNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** An id number (≥ 1). */
export function toId(value: unknown): number | undefined {
  const n = toIndex(value);
  return n !== undefined && n > 0 ? n : undefined;
}

/** A year the media item schema accepts; 0 and "" mean unknown. */
export function toYear(value: unknown): number | undefined {
  const n = toIndex(value);
  return n !== undefined && n >= 1870 && n <= 2100 ? n : undefined;
}

/** A trimmed non-empty string, else undefined. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text ? text : undefined;
}

/** An IMDb id as the schema wants it (tt + digits). */
export function toImdb(value: unknown): string | undefined {
  const text = toText(value);
  return text && /^tt\d+$/.test(text) ? text : undefined;
}

/** Unix seconds → ISO 8601 UTC. */
export function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Drops undefined members, so items compare and serialize cleanly. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
