import { ClawarrError } from '../core/errors';
import type { ListAddResult, ListKind, ListProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import type { TraktClient } from './client';
import { hasEpisodeIds, notFoundPositions, traktIds, type BodyPlan } from './mapping';
import type { TraktSyncObject } from './types';

const LISTS: readonly ListKind[] = ['ratings', 'watchlist', 'collection'];

/** Per-level counts Trakt answers in added / updated / existing / deleted. */
type Counts = Partial<Record<'movies' | 'shows' | 'seasons' | 'episodes', number>>;

interface TraktListResponse {
  added?: Counts;
  /** Collection: items already there whose collected_at changed. */
  updated?: Counts;
  /** Watchlist and collection: items already there, left as they were. */
  existing?: Counts;
  not_found?: { movies?: TraktSyncObject[]; shows?: TraktSyncObject[]; seasons?: TraktSyncObject[]; episodes?: TraktSyncObject[] };
}

/** The fields a list adds to each sync object (rating, rated_at, collected_at); undefined ones are dropped. */
type FieldsOf = (item: MediaItem) => Record<string, unknown>;

const FIELDS: Record<ListKind, FieldsOf> = {
  ratings: (item) => ({ rating: item.rating, rated_at: item.ratedAt }),
  // Trakt's watchlist takes only `notes` (VIP), which media items do not carry.
  watchlist: () => ({}),
  collection: (item) => ({ collected_at: item.collectedAt }),
};

/**
 * Trakt's ratings, watchlist and collection (api-facts §1.9): one POST per call, through the write
 * limiter and the session like history. A 420 (over the account's list limit) stays the HTTP core's
 * `account_limit` error, which names the limit from X-Account-Limit.
 */
export class TraktLists implements ListProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';

  constructor(private readonly client: TraktClient) {}

  lists(): readonly ListKind[] {
    return LISTS;
  }

  async addToList(list: ListKind, items: MediaItem[]): Promise<ListAddResult> {
    if (!LISTS.includes(list)) throw new ClawarrError(`Trakt has no list "${String(list)}"`, 'bad_request');
    const empty: ListAddResult = list === 'ratings' ? { notFound: [], added: 0 } : { notFound: [], added: 0, existing: 0 };
    if (!items.length) return empty;
    if (list === 'ratings') checkRatings(items);
    const plan = buildListBody(items, FIELDS[list]);
    const { http, session } = this.client;
    const response = await session.withToken((token) =>
      http.post<TraktListResponse>(`/sync/${list}`, nonEmpty(plan.body), { headers: { Authorization: `Bearer ${token}` } }),
    );
    const data = response.data ?? {};
    const result: ListAddResult = { notFound: notFoundPositions(plan, data.not_found), added: total(data.added) + total(data.updated) };
    if (list !== 'ratings') result.existing = total(data.existing);
    return result;
  }
}

/** Trakt refuses the whole body over one bad rating, so bad ones stop the call before it is sent. */
function checkRatings(items: MediaItem[]): void {
  const bad = items.flatMap((item, index) => (Number.isInteger(item.rating) && item.rating! >= 1 && item.rating! <= 10 ? [] : [index]));
  if (bad.length) throw new ClawarrError(`Trakt ratings need a whole "rating" from 1 to 10 (items at ${bad.join(', ')})`, 'bad_request');
}

/**
 * A /sync/{ratings,watchlist,collection} body, laid out like history's (api-facts §1.9): movies by
 * ids with title and year as fallback; a show item as its own object (grouping it with episodes
 * would make Trakt apply the show-level fields to the whole show); episodes by their own ids, else
 * under their show by season and number.
 */
export function buildListBody(items: MediaItem[], fieldsOf: FieldsOf): BodyPlan {
  const plan: BodyPlan = { body: { movies: [], shows: [], episodes: [] }, movieIndex: new Map(), episodeIndex: new Map(), showIndex: new Map() };
  const groups = new Map<string, TraktSyncObject>();
  items.forEach((item, index) => {
    const fields = fieldsOf(item);
    if (item.type === 'movie') {
      add(plan.body.movies, plan.movieIndex, compact({ title: item.title, year: item.year, ids: traktIds(item.ids), ...fields }), index);
    } else if (item.type === 'show') {
      add(plan.body.shows, plan.showIndex, compact({ title: item.title, year: item.year, ids: traktIds(item.ids), ...fields }), index);
    } else if (hasEpisodeIds(item)) {
      add(plan.body.episodes, plan.episodeIndex, compact({ ids: traktIds(item.ids), ...fields }), index);
    } else {
      const show = item.show ?? {};
      const showIds = traktIds(show.ids);
      const key = JSON.stringify(showIds ? [showIds] : [null, show.title ?? null, show.year ?? null]);
      let object = groups.get(key);
      if (!object) {
        object = compact({ title: show.title, year: show.year, ids: showIds, seasons: [] as NonNullable<TraktSyncObject['seasons']> });
        groups.set(key, object);
        add(plan.body.shows, plan.showIndex, object, undefined);
      }
      let season = object.seasons!.find((s) => s.number === (item.season ?? 1));
      if (!season) object.seasons!.push((season = { number: item.season ?? 1, episodes: [] }));
      season.episodes.push(compact({ number: item.episode ?? 0, ...fields }) as { number: number });
      plan.showIndex.get(object)!.push(index);
    }
  });
  return plan;
}

function add(list: TraktSyncObject[], index: Map<TraktSyncObject, number[]>, object: TraktSyncObject, position: number | undefined): void {
  list.push(object);
  index.set(object, position === undefined ? [] : [position]);
}

function total(counts: Counts | undefined): number {
  return Object.values(counts ?? {}).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
}

function nonEmpty(body: BodyPlan['body']): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [key, list] of Object.entries(body) as Array<[string, unknown[]]>) if (list.length) out[key] = list;
  return out;
}

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as Array<keyof T>) if (object[key] === undefined) delete object[key];
  return object;
}
