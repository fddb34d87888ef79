// A small stand-in for Trakt's Solr text search: accent- and case-insensitive token matching with a
// score that puts exact titles first. Deliberately independent of lib/ so a bug there is not masked.

export interface Name {
  field: 'title' | 'aliases';
  folded: string;
  tokens: Set<string>;
}

// Words too common to count as the only evidence of a match.
const STOPWORDS = new Set(['the', 'a', 'an', 'of', 'and', 'le', 'la', 'les', 'de', 'du', 'd', 'l', 'in', 'on', 'to']);

/** Clients backslash-escape Solr's special characters (`\:`, `\(`); the escape is not part of the title. */
export const unescapeSolr = (query: string): string => query.replace(/\\(.)/g, '$1');

export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const tokens = (folded: string): string[] => (folded === '' ? [] : folded.split(' '));

export function makeName(field: Name['field'], text: string): Name {
  const folded = fold(text);
  return { field, folded, tokens: new Set(tokens(folded)) };
}

/**
 * Score of one name against the folded query, or 0 when it does not match. At least half of the
 * query's words must occur (so "The Office (US)" still finds "The Office"), one of them meaningful.
 */
export function scoreName(name: Name, queryFolded: string, queryTokens: string[]): number {
  let matched = 0;
  let meaningful = 0;
  for (const t of queryTokens) {
    if (!name.tokens.has(t)) continue;
    matched++;
    if (!STOPWORDS.has(t)) meaningful++;
  }
  if (meaningful === 0 || matched < Math.ceil(queryTokens.length / 2)) return 0;
  const coverage = matched / queryTokens.length;
  const precision = matched / Math.max(1, name.tokens.size);
  const exact = name.folded === queryFolded ? 20 : 0;
  // Aliases rank just below an equally good title, as on Trakt.
  const aliasPenalty = name.field === 'aliases' ? 0.5 : 0;
  return Math.round((exact + 20 * coverage + 10 * precision - aliasPenalty) * 1e6) / 1e6;
}
