import { ClawarrError } from '../core/errors';
import type { ReaderProvider, ReadKind, ReadOptions, ReadPage } from '../provider';
import type { MediaItem } from '../schema/types';
import type { SimklClient } from './client';
import { playsFromList, type SimklList } from './history-read';
import { boundFor, changedAt, isSimklReadKind, listsOf, SIMKL_READ_KINDS, windowOf, type ReadBound, type SimklReadKind } from './read-gate';
import { ratedItems, watchlistItems } from './read-rows';
import { SIMKL_WATCHLIST_STATUS } from './lists';
import type { SimklAllItems } from './types';

/** Every rating value: GET /sync/ratings then answers only rated titles (SIMKL-DOCS get-user-ratings). */
const ALL_RATINGS = '1,2,3,4,5,6,7,8,9,10';

/**
 * Reads a Simkl account the one way Simkl allows (api-facts §2.6): GET /sync/activities first, then
 * one request per list whose activity moved, always with date_from except the very first read of
 * a list. Clients that poll the library without this gate get their client id suspended.
 *
 * Each read is one page per list read (Simkl does not paginate these); `newest` is the newest
 * activity time the read depended on, to pass back as `since`.
 */
export class SimklReader implements ReaderProvider {
  readonly kind = 'simkl' as const;
  readonly label = 'Simkl';
  /**
   * Per `kind:list`, the activity time up to which it was read: the `since` of a read that gives
   * none, so that even a caller that keeps no mark makes the unbounded first read only once.
   */
  private readonly marks = new Map<string, number>();

  constructor(private readonly client: SimklClient) {}

  readKinds(): readonly ReadKind[] {
    return SIMKL_READ_KINDS;
  }

  async read(kind: ReadKind, options: ReadOptions, onPage: (page: ReadPage & { extra?: unknown }) => Promise<void> | void): Promise<{ newest?: string; requests: number; unchanged?: boolean }> {
    if (!isSimklReadKind(kind)) throw new ClawarrError(`Simkl cannot read ${kind}: it has ${SIMKL_READ_KINDS.join(', ')}`, 'bad_request');
    const window = windowOf(options);
    const activities = await this.client.activities();
    // A list with unknown activity is read; its mark is then Simkl's latest change of anything.
    const fallbackMark = Date.parse(activities.all ?? '');
    let requests = 1;
    let reads = 0;
    let done = 0;
    let newest = window.sinceMs;
    for (const list of listsOf(options.types)) {
      const key = `${kind}:${list}`;
      const at = changedAt(activities, list, kind);
      if (typeof at === 'number') newest = Math.max(newest ?? at, at);
      const bound = boundFor(window, this.marks.get(key));
      if (!bound.opens(at)) continue;
      const data = await this.fetch(kind, list, bound.dateFrom);
      requests += 1;
      reads += 1;
      const items = itemsOf(kind, list, data, bound);
      if (items.length) {
        done += items.length;
        await onPage({ items, done });
      }
      // Moved only once the page was handed over: a failed read is read again next time.
      const mark = typeof at === 'number' ? at : Number.isNaN(fallbackMark) ? Date.now() : fallbackMark;
      if (bound.movesMark) this.marks.set(key, Math.max(this.marks.get(key) ?? mark, mark));
    }
    return { ...(newest !== undefined ? { newest: new Date(newest).toISOString() } : {}), requests, ...(reads ? {} : { unchanged: true }) };
  }

  private async fetch(kind: SimklReadKind, list: SimklList, dateFrom: string | undefined): Promise<unknown> {
    const params: Record<string, string> = dateFrom ? { date_from: dateFrom } : {};
    let path: string;
    if (kind === 'history') {
      path = `/sync/all-items/${list}`;
      Object.assign(params, { extended: 'full', episode_watched_at: 'yes' });
    } else if (kind === 'ratings') {
      path = `/sync/ratings/${list}/${ALL_RATINGS}`;
    } else {
      path = `/sync/all-items/${list}/${SIMKL_WATCHLIST_STATUS}`;
    }
    const { http, session } = this.client;
    const response = await session.withToken((token) => http.get<unknown>(path, { headers: { Authorization: `Bearer ${token}` }, params }));
    return response.data;
  }
}

/**
 * History keeps the plays watched inside the window, from the minute of `since` on (a play in that
 * minute may come twice). Simkl keeps no time of when a play was recorded, so one recorded after
 * `since` but watched before its minute is not seen. Ratings and the watchlist keep every row of
 * the date_from answer: those rows are what changed.
 */
function itemsOf(kind: SimklReadKind, list: SimklList, data: unknown, bound: ReadBound): MediaItem[] {
  if (kind === 'ratings') return ratedItems(list, data);
  if (kind === 'watchlist') return watchlistItems(list, data);
  return playsFromList(list, data as SimklAllItems | null, bound.keepFrom, bound.keepTo).map((play) => ({ ...play, source: { kind: 'simkl', list: 'history' } }));
}
