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

/** What can be wrong with an override row: keys under `match.override` in the node's catalog. */
export type OverrideProblem = 'badType' | 'noTitle' | 'badYear' | 'badId' | 'unknownId' | 'notNumber' | 'noIds';

/**
 * Reads the editor's override rows ("imdb:tt0110357, tmdb:8587"); returns the good ones and why others are not,
 * in the words `say` gives each problem (the node's RED._).
 */
export function parseOverrides(
  rows: OverrideRow[] | undefined,
  say: (problem: OverrideProblem, subs?: Record<string, string>) => string,
): { overrides: Override[]; problems: Array<{ index: number; reason: string }> } {
  const overrides: Override[] = [];
  const problems: Array<{ index: number; reason: string }> = [];
  (rows ?? []).forEach((row, i) => {
    const index = i + 1;
    const problem = (key: OverrideProblem, subs?: Record<string, string>) => problems.push({ index, reason: say(key, subs) });
    const type = row.type === 'show' ? 'show' : row.type === 'movie' || row.type === undefined ? 'movie' : undefined;
    if (!type) return problem('badType');
    const title = (row.title ?? '').trim();
    if (!title) return problem('noTitle');
    const year = row.year === '' || row.year === undefined ? undefined : Number(row.year);
    if (year !== undefined && !Number.isInteger(year)) return problem('badYear');
    const ids: MediaIds = {};
    for (const part of (row.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [key, ...rest] = part.split(':');
      const value = rest.join(':').trim();
      const kind = key.trim().toLowerCase() as IdKey;
      if (!value) return problem('badId', { id: part });
      if (!(ID_KEYS as readonly string[]).includes(kind)) return problem('unknownId', { name: key.trim() });
      if (STRING_IDS.has(kind)) (ids as Record<string, string>)[kind] = value;
      else if (/^\d+$/.test(value)) (ids as Record<string, number>)[kind] = Number(value);
      else return problem('notNumber', { id: part, name: kind });
    }
    if (!Object.keys(ids).length) return problem('noIds');
    overrides.push({ type, title, year, ids });
  });
  return { overrides, problems };
}
