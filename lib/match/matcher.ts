import type { MatchProvider } from '../provider';
import type { MediaIds, MediaItem } from '../schema/types';
import { idKey, titleKey, type MatchCaches } from './caches';
import { decide, describeQuery, type ScoredCandidate } from './decide';
import { titleHints } from './normalize';
import { findOverride, type MatchOverride } from './overrides';
import type { MatchQuery } from './score';
import { lookupable, passesThrough, problemOf, subjectOf, withIds, type Subject } from './subject';

export interface MatchOptions {
  /** The lowest score accepted (0..1), default 0.8. */
  threshold?: number;
  /** How much the best candidate must beat the next one by, default 0.1. */
  margin?: number;
  overrides?: MatchOverride[];
}

export type MatchVia = 'ids' | 'override' | 'cache' | 'lookup' | 'search';

export type MatchResult =
  | { matched: true; item: MediaItem; via: MatchVia }
  | { matched: false; item: MediaItem; reason: string; candidates: ScoredCandidate[] };

export interface MatchStats {
  passThrough: number;
  overrides: number;
  cacheHits: number;
  lookups: number;
  searches: number;
  misses: number;
}

type Outcome = { ids: MediaIds; via: Exclude<MatchVia, 'ids'> } | { reason: string; candidates: ScoredCandidate[] };

/**
 * Gives items without usable tracker ids the right ones, cheapest way first: ids the tracker
 * already matches (no request), the user's overrides, the ID cache, an id lookup, and only then a
 * title search, whose answer is taken only when it is clearly right. Movies stay movies and
 * episodes resolve their show, never a movie. Provider errors (network, auth) reject.
 */
export class Matcher {
  private readonly threshold: number;
  private readonly margin: number;
  private readonly overrides: MatchOverride[];
  private readonly counts: MatchStats = { passThrough: 0, overrides: 0, cacheHits: 0, lookups: 0, searches: 0, misses: 0 };
  /** Resolutions under way, so concurrent episodes of one show cost one search. */
  private readonly inflight = new Map<string, Promise<Outcome>>();

  constructor(
    private readonly provider: MatchProvider,
    private readonly caches: MatchCaches,
    options: MatchOptions = {},
  ) {
    this.threshold = options.threshold ?? 0.8;
    this.margin = options.margin ?? 0.1;
    this.overrides = options.overrides ?? [];
  }

  match(item: MediaItem): Promise<MatchResult> {
    return this.matchWith(item, this.inflight, true);
  }

  /**
   * Matches one by one (the account limiter spaces the requests anyway); identical titles are
   * resolved once and share the answer, unmatched ones included. Saves the caches at the end.
   */
  async matchAll(items: MediaItem[], onProgress?: (done: number, total: number, result: MatchResult) => void): Promise<MatchResult[]> {
    const memo = new Map<string, Promise<Outcome>>();
    const results: MatchResult[] = [];
    for (const item of items) {
      const result = await this.matchWith(item, memo, false);
      results.push(result);
      onProgress?.(results.length, items.length, result);
    }
    this.save();
    return results;
  }

  stats(): MatchStats {
    return { ...this.counts };
  }

  save(): void {
    this.caches.movie.save();
    this.caches.show.save();
  }

  private async matchWith(item: MediaItem, memo: Map<string, Promise<Outcome>>, transient: boolean): Promise<MatchResult> {
    if (passesThrough(item, this.provider)) {
      this.counts.passThrough++;
      return { matched: true, item, via: 'ids' };
    }
    const problem = problemOf(item);
    if (problem) return this.unmatched(item, { reason: problem, candidates: [] });
    const subject = subjectOf(item);
    const key = JSON.stringify([subject.kind, subject.title ?? null, subject.year ?? null, lookupable(subject, this.provider)]);
    const pending = memo.get(key);
    const outcome = await (pending ?? this.remember(memo, key, this.resolve(subject), transient));
    if ('reason' in outcome) return this.unmatched(item, outcome);
    // Whoever shares a resolution someone else paid for got it the way a cache hit does.
    if (pending) this.counts.cacheHits++;
    return { matched: true, item: withIds(item, outcome.ids), via: pending ? 'cache' : outcome.via };
  }

  private remember(memo: Map<string, Promise<Outcome>>, key: string, outcome: Promise<Outcome>, transient: boolean): Promise<Outcome> {
    memo.set(key, outcome);
    const forget = () => void memo.delete(key);
    // Both branches handled, so a rejection is reported to the caller only, never as unhandled.
    if (transient) outcome.then(forget, forget);
    return outcome;
  }

  private unmatched(item: MediaItem, outcome: { reason: string; candidates: ScoredCandidate[] }): MatchResult {
    this.counts.misses++;
    return { matched: false, item, reason: outcome.reason, candidates: outcome.candidates };
  }

  /** Cheapest first: override, cache, id look-up, and only then a title search. */
  private async resolve(subject: Subject): Promise<Outcome> {
    const cache = this.caches[subject.kind];
    const query = queryOf(subject);
    const override = query && findOverride(this.overrides, subject.kind, query);
    if (override) {
      this.counts.overrides++;
      return { ids: { ...override.ids }, via: 'override' };
    }
    const idKeys = lookupable(subject, this.provider).map(([kind, id]) => ({ kind, id, key: idKey(kind, id) }));
    for (const key of [...idKeys.map((k) => k.key), ...(query ? [titleKey(query)] : [])]) {
      const cached = cache.get(key);
      if (cached && cached !== 'miss') return this.cacheHit(cached);
    }
    let looked = false;
    for (const { kind, id, key } of idKeys) {
      if (cache.get(key) === 'miss') continue;
      looked = true;
      this.counts.lookups++;
      const found = (await this.provider.lookupId(kind, id, subject.kind)).find((c) => c.type === subject.kind);
      if (!found) {
        cache.setMiss(key);
        continue;
      }
      // Cached under the id, not the title: a mislabelled file must not teach the title wrong ids.
      cache.set(key, found.ids);
      return { ids: found.ids, via: 'lookup' };
    }
    if (query) return this.search(subject.kind, query);
    // Every id skipped as a remembered miss: say so, as a title search would.
    if (idKeys.length && !looked) return this.remembered(subject.kind, idKeys[0].key, idKeys[0].key);
    const why = idKeys.length ? `${this.provider.label} knows none of its ids as a ${subject.kind}` : `no id ${this.provider.label} can look up`;
    return { reason: `no title to search and ${why}`, candidates: [] };
  }

  private async search(kind: 'movie' | 'show', query: MatchQuery): Promise<Outcome> {
    const cache = this.caches[kind];
    const key = titleKey(query);
    if (cache.get(key) === 'miss') return this.remembered(kind, key, describeQuery(query));
    this.counts.searches++;
    // Only the wanted type: a search must never turn an episode's show into a movie.
    const candidates = (await this.provider.search(kind, query.title, query.year)).filter((c) => c.type === kind);
    const decision = decide(query, kind, candidates, { threshold: this.threshold, margin: this.margin, label: this.provider.label });
    if ('reason' in decision) {
      // An ambiguous answer is not a miss: remembering it would later read "not found".
      if (!decision.ambiguous) cache.setMiss(key);
      return decision;
    }
    cache.set(key, decision.best.ids);
    return { ids: decision.best.ids, via: 'search' };
  }

  private cacheHit(ids: MediaIds): Outcome {
    this.counts.cacheHits++;
    return { ids: { ...ids }, via: 'cache' };
  }

  private remembered(kind: 'movie' | 'show', key: string, what: string): Outcome {
    const until = this.caches[kind].missExpiry(key);
    const when = until === undefined ? 'for now' : `until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return { reason: `${what} was not found earlier (remembered ${when}); add an override to match it now`, candidates: [] };
  }
}

/** The search query: the title without its "(2021)" / "(US)" suffixes, the item's year first. */
function queryOf(subject: Subject): MatchQuery | undefined {
  if (!subject.title?.trim()) return undefined;
  const hints = titleHints(subject.title);
  return { title: hints.base, year: subject.year ?? hints.year, country: hints.country };
}
