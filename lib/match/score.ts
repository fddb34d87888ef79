import type { Candidate } from '../provider';
import { mainTitle, normalizeTitle, titleHints } from './normalize';
import { diceSimilarity } from './similarity';

/** What the item says about itself: its title (suffixes already split off), year and country hint. */
export interface MatchQuery {
  title: string;
  year?: number;
  country?: string;
}

/*
 * The scale, so that an exact title always outranks an alias, and an alias any guess:
 * exact title 1 > exact alias 0.95 > fuzzy (capped at 0.9) and "title before the subtitle" 0.85.
 */
const ALIAS = 0.95;
const FUZZY_CAP = 0.9;
const SUBTITLE = 0.85;

/*
 * Years: the same year is best; ±1 is normal (release vs premiere, time zones) and costs a little;
 * farther is most likely a remake, so it halves the score (far below any threshold). An unknown
 * year costs a little: a title alone cannot tell remakes apart, the margin rule then reports them.
 */
const YEAR_OFF_BY_ONE = 0.95;
const YEAR_UNKNOWN = 0.9;
const YEAR_OTHER = 0.5;
/** A candidate that names another country ("Shameless (UK)" for "Shameless (US)") is another show. */
const OTHER_COUNTRY = 0.5;

/** How well a candidate fits the query, 0..1 (rounded to 3 decimals so ties are ties). */
export function scoreCandidate(query: MatchQuery, candidate: Candidate): number {
  const score = titleScore(query.title, candidate) * yearFactor(query.year, candidate.year) * countryFactor(query.country, candidate);
  return Math.round(score * 1000) / 1000;
}

function titleScore(queryTitle: string, candidate: Candidate): number {
  const aliases = (candidate.aliases ?? []).map((alias) => nameScore(queryTitle, alias) * ALIAS);
  return Math.max(nameScore(queryTitle, candidate.title), ...aliases);
}

function nameScore(queryTitle: string, name: string): number {
  const query = normalizeTitle(queryTitle);
  const target = normalizeTitle(name);
  if (query === target) return 1;
  // "Léon" for "Léon: The Professional" (or the reverse): the year then decides.
  const queryMain = mainTitle(queryTitle);
  const targetMain = mainTitle(name);
  if ((targetMain && normalizeTitle(targetMain) === query) || (queryMain && normalizeTitle(queryMain) === target)) return SUBTITLE;
  return Math.min(diceSimilarity(query, target), FUZZY_CAP);
}

function yearFactor(queryYear: number | undefined, candidateYear: number | undefined): number {
  if (queryYear === undefined || candidateYear === undefined) return YEAR_UNKNOWN;
  const gap = Math.abs(queryYear - candidateYear);
  return gap === 0 ? 1 : gap === 1 ? YEAR_OFF_BY_ONE : YEAR_OTHER;
}

/** The tracker's country field when it sends one (`gb` is the UK of "(UK)"), else a suffix in the title. */
function countryFactor(queryCountry: string | undefined, candidate: Candidate): number {
  const fromField = candidate.country ? (candidate.country.toUpperCase() === 'GB' ? 'UK' : candidate.country.toUpperCase()) : undefined;
  const candidateCountry = fromField ?? titleHints(candidate.title).country;
  return queryCountry && candidateCountry && queryCountry !== candidateCountry ? OTHER_COUNTRY : 1;
}
