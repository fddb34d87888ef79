import { foldTitle } from '../schema/fold-title';

/**
 * Leading articles dropped before comparing, so "Lion King" meets "The Lion King" and
 * "L'Avventura" meets "Avventura". Dropped on both sides, so a title that really starts with one
 * of these words ("Die Hard") still equals itself.
 */
const ARTICLES = new Set(['the', 'a', 'an', 'le', 'la', 'les', 'l', 'el', 'los', 'las', 'der', 'die', 'das', 'il', 'lo', 'gli']);

/** A year suffix in the title, as media servers and Simkl write it: "Dune (2021)". */
const YEAR_SUFFIX = /\s*\((\d{4})\)\s*$/;
/** A country suffix telling same-name shows apart: "The Office (US)", "Shameless (UK)". */
const COUNTRY_SUFFIX = /\s*\(([A-Z]{2})\)\s*$/;

export interface TitleHints {
  /** The title without its year and country suffixes, as written (it is what gets searched). */
  base: string;
  year?: number;
  country?: string;
}

/** Splits the year and country suffixes off a title; either order, each at most once. */
export function titleHints(title: string): TitleHints {
  let base = title.trim();
  const hints: Omit<TitleHints, 'base'> = {};
  for (let pass = 0; pass < 2; pass++) {
    const year = YEAR_SUFFIX.exec(base);
    if (year && hints.year === undefined && isPlausibleYear(Number(year[1]))) {
      hints.year = Number(year[1]);
      base = base.slice(0, year.index);
      continue;
    }
    const country = COUNTRY_SUFFIX.exec(base);
    if (country && hints.country === undefined) {
      hints.country = country[1] === 'GB' ? 'UK' : country[1];
      base = base.slice(0, country.index);
    }
  }
  // A title that is only a suffix ("(2018)") keeps its text: an empty search matches anything.
  return base ? { base, ...hints } : { base: title.trim() };
}

/** The comparison form: folded, suffixes and a leading article dropped, "&" read as "and". */
export function normalizeTitle(title: string): string {
  const folded = foldTitle(titleHints(title).base.replace(/&/g, ' and '));
  const words = folded.split(' ');
  return words.length > 1 && ARTICLES.has(words[0]) ? words.slice(1).join(' ') : folded;
}

/** The part before a subtitle ("Léon" of "Léon: The Professional"), or undefined when there is none. */
export function mainTitle(title: string): string | undefined {
  const cut = title.search(/:| - /);
  return cut > 0 ? title.slice(0, cut).trim() : undefined;
}

function isPlausibleYear(year: number): boolean {
  return year >= 1870 && year <= 2100;
}
