import type { IdKey, MediaIds } from '../schema/types';
import type { SimklIds, SimklMedia } from './types';

/**
 * Id kinds clawarr sends to Simkl, which matches on any of them. `slug` is left out both ways: in
 * a media item it is Trakt's slug ("inception-2010"), which is not Simkl's ("inception").
 */
export const SIMKL_ID_KEYS = ['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb'] as const satisfies readonly IdKey[];

const NUMERIC = new Set<string>(['simkl', 'tmdb', 'tvdb', 'mal', 'anidb']);

/** The ids of an item Simkl can match on, or undefined when it has none. */
export function simklIds(ids: MediaIds | undefined): SimklIds | undefined {
  if (!ids) return undefined;
  const out: SimklIds = {};
  for (const key of SIMKL_ID_KEYS) {
    const value = ids[key];
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Ids from a Simkl answer as a media item's: numbers as numbers (Simkl often sends "1771"), the
 * Simkl id from `simkl` or `simkl_id`, unknown and empty values dropped.
 */
export function idsFromSimkl(raw: SimklIds | undefined): MediaIds {
  const out: MediaIds = {};
  if (!raw) return out;
  const source: SimklIds = { ...raw, simkl: raw.simkl ?? raw.simkl_id };
  for (const key of SIMKL_ID_KEYS) {
    const value = source[key];
    if (value === undefined || value === null || value === '') continue;
    if (NUMERIC.has(key)) {
      const number = Number(value);
      if (Number.isInteger(number) && number > 0) (out as Record<string, unknown>)[key] = number;
    } else {
      (out as Record<string, unknown>)[key] = String(value);
    }
  }
  return out;
}

/** A Simkl movie or show as media item fields; Simkl sends unknown years as null, some as strings. */
export function mediaFields(media: SimklMedia): { title?: string; year?: number; ids: MediaIds } {
  const out: { title?: string; year?: number; ids: MediaIds } = { ids: idsFromSimkl(media.ids) };
  if (typeof media.title === 'string') out.title = media.title;
  const year = Number(media.year);
  if (media.year !== null && media.year !== undefined && Number.isInteger(year) && year > 0) out.year = year;
  return out;
}
