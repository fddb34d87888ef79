import type { MediaIds } from '../schema/types';
import { normalizeTitle, titleHints } from './normalize';
import type { MatchQuery } from './score';

/** A user's fixed answer for a title the search gets wrong or cannot decide. */
export interface MatchOverride {
  type: 'movie' | 'show';
  /** Compared like search results: case, accents, punctuation and a leading article do not matter. */
  title: string;
  /** When given, only that year; "(US)" / "(2021)" suffixes in the title count too. */
  year?: number;
  ids: MediaIds;
}

/** The first override for this title, type, country hint and year. */
export function findOverride(overrides: readonly MatchOverride[], kind: 'movie' | 'show', query: MatchQuery): MatchOverride | undefined {
  const wanted = normalizeTitle(query.title);
  return overrides.find((override) => {
    if (override.type !== kind) return false;
    const hints = titleHints(override.title);
    const year = override.year ?? hints.year;
    return normalizeTitle(hints.base) === wanted && hints.country === query.country && (year === undefined || year === query.year);
  });
}
