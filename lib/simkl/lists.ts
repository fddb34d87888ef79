import { ClawarrError } from '../core/errors';
import type { ListAddResult, ListKind, ListProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import { isAnime } from './anime';
import type { SimklClient } from './client';
import { simklIds } from './ids';
import { notFoundPositions, stripEmpty, type BodyPlan } from './mapping';
import type { SimklSyncObject } from './types';

const LISTS: readonly ListKind[] = ['ratings', 'watchlist'];

/** Simkl's watchlist is the "Plan to Watch" status of its library (SIMKL-DOCS list-statuses). */
export const SIMKL_WATCHLIST_STATUS = 'plantowatch';

/** Ratings answer counts; add-to-list echoes the items it filed (arrays) instead. */
type Added = number | unknown[] | undefined;

interface SimklListResponse {
  added?: { movies?: Added; shows?: Added; anime?: Added };
  not_found?: { movies?: SimklSyncObject[]; shows?: SimklSyncObject[]; anime?: SimklSyncObject[] };
}

/** What each list adds to an item's object; undefined values are dropped. */
type FieldsOf = (item: MediaItem) => Record<string, unknown>;

const FIELDS: Record<'ratings' | 'watchlist', FieldsOf> = {
  ratings: (item) => ({ rating: item.rating, rated_at: item.ratedAt }),
  // `to` goes on every item: Simkl refuses the older top-level `to` (400 empty_field).
  watchlist: () => ({ to: SIMKL_WATCHLIST_STATUS }),
};

/**
 * Simkl's ratings (POST /sync/ratings) and watchlist (POST /sync/add-to-list, status plantowatch),
 * api-facts §2.5 and SIMKL-DOCS add-ratings / add-to-list. Simkl has no collection.
 *
 * Simkl rates and files whole titles only: episodes are returned as not found, unsent. Adding a
 * title to the watchlist moves it there from whatever status it had (a title has one status), and
 * rating an unlisted title files it as completed (movies) or watching (shows).
 */
export class SimklLists implements ListProvider {
  readonly kind = 'simkl' as const;
  readonly label = 'Simkl';

  constructor(private readonly client: SimklClient) {}

  lists(): readonly ListKind[] {
    return LISTS;
  }

  async addToList(list: ListKind, items: MediaItem[]): Promise<ListAddResult> {
    if (list === 'collection') throw new ClawarrError('Simkl has no collection: choose ratings or watchlist', 'bad_request');
    if (list !== 'ratings' && list !== 'watchlist') throw new ClawarrError(`Simkl has no list "${String(list)}"`, 'bad_request');
    if (list === 'ratings') checkRatings(items);
    const { plan, episodes } = buildListBody(items, FIELDS[list]);
    const sent = items.length - episodes.length;
    if (!sent) return { notFound: episodes, added: 0 };
    const path = list === 'ratings' ? '/sync/ratings' : '/sync/add-to-list';
    const { http, session } = this.client;
    const response = await session.withToken((token) => http.post<SimklListResponse | null>(path, stripEmpty(plan.body), { headers: { Authorization: `Bearer ${token}` } }));
    const data = response.data ?? {};
    const missing = notFoundPositions(plan, data.not_found);
    // Without counts (an answer Simkl never documented), whatever it did not report missing was filed.
    const added = data.added ? count(data.added.movies) + count(data.added.shows) + count(data.added.anime) : sent - missing.length;
    return { notFound: [...new Set([...episodes, ...missing])].sort((a, b) => a - b), added };
  }
}

/**
 * Simkl silently ignores a rating outside 1–10, which would then look written: refused here, before
 * anything is sent, as Trakt's provider does (the media-item schema allows only whole 1–10 anyway).
 */
function checkRatings(items: MediaItem[]): void {
  const bad = items.flatMap((item, index) => (Number.isInteger(item.rating) && item.rating! >= 1 && item.rating! <= 10 ? [] : [index]));
  if (bad.length) throw new ClawarrError(`Simkl ratings need a whole "rating" from 1 to 10 (items at ${bad.join(', ')})`, 'bad_request');
}

/**
 * One body for either list: movies by ids (title and year as Simkl's fallback), shows likewise,
 * anime under `anime` by the same rules as history. The plan maps `not_found` echoes back to positions.
 */
export function buildListBody(items: MediaItem[], fieldsOf: FieldsOf): { plan: BodyPlan; episodes: number[] } {
  const plan: BodyPlan = { body: { movies: [], shows: [], anime: [], episodes: [] }, movieIndex: new Map(), showIndex: new Map(), episodeIndex: new Map() };
  const episodes: number[] = [];
  items.forEach((item, index) => {
    if (item.type === 'episode') {
      episodes.push(index);
      return;
    }
    const object = compact({ title: item.title, year: item.year, ids: simklIds(item.ids), ...fieldsOf(item) }) as SimklSyncObject;
    if (item.type === 'movie') {
      plan.body.movies.push(object);
      plan.movieIndex.set(object, [index]);
    } else {
      plan.body[isAnime(item) ? 'anime' : 'shows'].push(object);
      plan.showIndex.set(object, [index]);
    }
  });
  return { plan, episodes };
}

function count(value: Added): number {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as Array<keyof T>) if (object[key] === undefined) delete object[key];
  return object;
}
