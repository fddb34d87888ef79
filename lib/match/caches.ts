import { IdCache } from '../store/id-cache';
import type { MatchQuery } from './score';

/** Movies and shows in separate caches (and files): the same title can be both. */
export interface MatchCaches {
  movie: IdCache;
  show: IdCache;
}

/** `the_office_us`, `dune_2021`: the country hint is part of the key, so US and UK never share ids. */
export function titleKey(query: MatchQuery): string {
  return IdCache.keyOf(query.country ? `${query.title} ${query.country}` : query.title, query.year);
}

/** `tvdb:81189`: title keys are only [a-z0-9_], so the colon keeps id keys apart from them. */
export function idKey(kind: string, id: string | number): string {
  return `${kind}:${id}`;
}
