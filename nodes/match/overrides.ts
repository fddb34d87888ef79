import { ID_KEYS, type IdKey, type MediaIds } from '../../lib/schema/types';

export interface OverrideRow {
  type?: string;
  title?: string;
  year?: number | string;
  ids?: string;
}

export interface Override {
  type: 'movie' | 'show';
  title: string;
  year?: number;
  ids: MediaIds;
}

const STRING_IDS = new Set<IdKey>(['slug', 'imdb', 'letterboxd', 'plex']);

/** Reads the editor's override rows ("imdb:tt0110357, tmdb:8587"); returns the good ones and why others are not. */
export function parseOverrides(rows: OverrideRow[] | undefined): { overrides: Override[]; problems: Array<{ index: number; reason: string }> } {
  const overrides: Override[] = [];
  const problems: Array<{ index: number; reason: string }> = [];
  (rows ?? []).forEach((row, i) => {
    const index = i + 1;
    const type = row.type === 'show' ? 'show' : row.type === 'movie' || row.type === undefined ? 'movie' : undefined;
    if (!type) return problems.push({ index, reason: `type must be movie or show, not "${row.type}"` });
    const title = (row.title ?? '').trim();
    if (!title) return problems.push({ index, reason: 'a title is needed' });
    const year = row.year === '' || row.year === undefined ? undefined : Number(row.year);
    if (year !== undefined && !Number.isInteger(year)) return problems.push({ index, reason: `year "${row.year}" is not a year` });
    const ids: MediaIds = {};
    for (const part of (row.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [key, ...rest] = part.split(':');
      const value = rest.join(':').trim();
      const kind = key.trim().toLowerCase() as IdKey;
      if (!(ID_KEYS as readonly string[]).includes(kind) || !value) return problems.push({ index, reason: `"${part}" is not an id like imdb:tt0110357 or tmdb:8587` });
      if (STRING_IDS.has(kind)) (ids as Record<string, string>)[kind] = value;
      else if (/^\d+$/.test(value)) (ids as Record<string, number>)[kind] = Number(value);
      else return problems.push({ index, reason: `${kind} id "${value}" must be a number` });
    }
    if (!Object.keys(ids).length) return problems.push({ index, reason: 'at least one id is needed (imdb:tt…, tmdb:…, trakt:…)' });
    overrides.push({ type, title, year, ids });
  });
  return { overrides, problems };
}
