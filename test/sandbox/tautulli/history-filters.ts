// The WHERE part of cmd=get_history: filters apply to sittings before grouping (like the SQL), and
// the same ones to the UNIONed activity. Comma lists mean "any of".
import type { TautulliItem } from './types';

/** What a filter can look at, for a sitting and for a playing session alike. */
export interface Filterable {
  user: string;
  userId: number;
  started: number;
  referenceId: number | null;
  transcodeDecision: string;
  item: TautulliItem;
}

export type Predicate = (r: Filterable) => boolean;

const list = (v: string | null): string[] | undefined => {
  const parts = (v ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 0 ? parts : undefined;
};

/** "YYYY-MM-DD" of a unix time in the server's local zone (SQLite's 'localtime'). */
export const localDate = (unix: number, offsetMinutes: number): string => new Date((unix + offsetMinutes * 60) * 1000).toISOString().slice(0, 10);

export function buildFilters(params: URLSearchParams, offsetMinutes: number): { predicates: Predicate[]; byReference: boolean } {
  const predicates: Predicate[] = [];
  const anyOf = (name: string, pick: (r: Filterable) => string | number | ''): void => {
    const values = list(params.get(name));
    if (values) predicates.push((r) => values.includes(String(pick(r))));
  };
  anyOf('user', (r) => r.user);
  anyOf('user_id', (r) => r.userId);
  anyOf('media_type', (r) => r.item.mediaType);
  anyOf('rating_key', (r) => r.item.ratingKey);
  anyOf('parent_rating_key', (r) => r.item.parentRatingKey);
  anyOf('grandparent_rating_key', (r) => r.item.grandparentRatingKey);
  anyOf('section_id', (r) => r.item.sectionId);
  anyOf('transcode_decision', (r) => r.transcodeDecision);
  anyOf('reference_id', (r) => r.referenceId ?? '');
  anyOf('start_date', (r) => localDate(r.started, offsetMinutes));

  // Inclusive bounds on the local date of `started`.
  const after = params.get('after');
  if (after) predicates.push((r) => localDate(r.started, offsetMinutes) >= after);
  const before = params.get('before');
  if (before) predicates.push((r) => localDate(r.started, offsetMinutes) <= before);

  // Prefix match; the query string (?lang=en) is not part of it.
  const guid = params.get('guid');
  if (guid) {
    const prefix = guid.split('?')[0];
    predicates.push((r) => r.item.guid.startsWith(prefix));
  }
  return { predicates, byReference: list(params.get('reference_id')) !== undefined };
}
