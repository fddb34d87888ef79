import type { Candidate } from '../provider';
import { scoreCandidate, type MatchQuery } from './score';

export type ScoredCandidate = Candidate & { score: number };

export type Decision = { best: ScoredCandidate } | { reason: string; candidates: ScoredCandidate[]; ambiguous?: boolean };

/** How many candidates an unmatched result shows: enough to pick from, short enough to read. */
const SHOWN = 5;
/** Scores are rounded to 3 decimals; this keeps 1 - 0.9 from missing a 0.1 margin by a float bit. */
const EPSILON = 1e-9;

/**
 * Picks the candidate only when it is good enough and clearly better than the next one; a guess
 * would put a wrong play in the user's history, an unmatched item only asks for an override.
 * Same-name shows (The Office 2001 UK / 2005 US) are told apart by a year or by a country hint
 * ("(US)") checked against the country Trakt gives; without either the result is "ambiguous".
 */
export function decide(query: MatchQuery, kind: 'movie' | 'show', candidates: Candidate[], rules: { threshold: number; margin: number; label: string }): Decision {
  // A stable sort keeps the tracker's order between equal scores.
  const scored = candidates.map((c) => ({ ...c, score: scoreCandidate(query, c) })).sort((a, b) => b.score - a.score);
  const [best, next] = scored;
  const what = describeQuery(query);
  if (!best) return { reason: `${rules.label} found no ${kind} for ${what}`, candidates: [] };
  if (best.score < rules.threshold - EPSILON) return { reason: `no candidate above ${rules.threshold} for ${what}`, candidates: scored.slice(0, SHOWN) };
  if (next && best.score - next.score < rules.margin - EPSILON) {
    const rivals = scored.filter((c) => best.score - c.score < rules.margin - EPSILON).slice(0, 3);
    const advice = query.year === undefined ? 'add the year or an override' : 'add an override';
    return { reason: `ambiguous: "${query.title}" matches ${listOf(rivals.map(describeCandidate))}; ${advice}`, candidates: scored.slice(0, SHOWN), ambiguous: true };
  }
  return { best };
}

export function describeQuery(query: MatchQuery): string {
  return `"${query.title}"${query.year ? ` (${query.year})` : ''}`;
}

function describeCandidate(candidate: Candidate): string {
  return candidate.year ? `${candidate.title} (${candidate.year})` : candidate.title;
}

function listOf(parts: string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
