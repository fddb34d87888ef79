import type { ReaderProvider, ReadKind, ReadOptions, ReadPage } from '../provider';
import type { MediaItem } from '../schema/types';
import type { TraktClient } from './client';
import { calendarItem, collectionItems, discoveryItem, historyItem, ratingItem, stampOf, watchingItem, watchlistItem, type TraktRow, type TraktWatching } from './read-mapping';
import { activityStamp, changedSince, latest, ReadRun, type Activities } from './read-pages';
import type { TraktHistoryRow } from './types';

const KINDS: readonly ReadKind[] = ['history', 'ratings', 'watchlist', 'collection', 'watching', 'stats', 'recommendations', 'trending', 'popular', 'calendar'];

/** Trakt answers at most 250 rows a page (clamped since 2025). */
const PAGE_LIMIT = 250;
/** Trending and popular run to thousands of pages, recommendations stop at 100: the top 100 per type. */
const DISCOVERY_MAX = 100;
/** Trakt's calendars answer at most 33 days per request. */
const CALENDAR_DAYS = 33;
const DAY_MS = 86_400_000;

type OnPage = (page: ReadPage & { extra?: unknown }) => Promise<void> | void;
type Result = { newest?: string; requests: number; unchanged?: boolean };
type Type = 'movies' | 'shows';

/** One list a gated kind reads, and the last_activities stamp that says whether it changed. */
interface GatedSource {
  path: string;
  group: string;
  field: string;
  paginate: boolean;
  toItems: (row: never) => MediaItem[];
}

const GATED: Record<'history' | 'ratings' | 'watchlist' | 'collection', Record<Type, GatedSource[]>> = {
  history: {
    movies: [{ path: '/sync/history/movies', group: 'movies', field: 'watched_at', paginate: true, toItems: (row: TraktHistoryRow) => [historyItem(row)] }],
    shows: [{ path: '/sync/history/episodes', group: 'episodes', field: 'watched_at', paginate: true, toItems: (row: TraktHistoryRow) => [historyItem(row)] }],
  },
  ratings: {
    movies: [{ path: '/sync/ratings/movies', group: 'movies', field: 'rated_at', paginate: true, toItems: ratingItem }],
    shows: [
      { path: '/sync/ratings/shows', group: 'shows', field: 'rated_at', paginate: true, toItems: ratingItem },
      { path: '/sync/ratings/episodes', group: 'episodes', field: 'rated_at', paginate: true, toItems: ratingItem },
    ],
  },
  watchlist: {
    movies: [{ path: '/sync/watchlist/movies', group: 'movies', field: 'watchlisted_at', paginate: true, toItems: watchlistItem }],
    shows: [{ path: '/sync/watchlist/shows', group: 'shows', field: 'watchlisted_at', paginate: true, toItems: watchlistItem }],
  },
  // The collection is not paginated on Trakt; shows come whole, with their collected episodes.
  collection: {
    movies: [{ path: '/sync/collection/movies', group: 'movies', field: 'collected_at', paginate: false, toItems: collectionItems }],
    shows: [{ path: '/sync/collection/shows', group: 'episodes', field: 'collected_at', paginate: false, toItems: collectionItems }],
  },
};

/**
 * Reads a Trakt account as media items (ReaderProvider). The account's own lists are gated by
 * /sync/last_activities: with `since`, a list whose stamp is not after it is not requested at all,
 * which is what keeps polling within Trakt's read budget.
 */
export class TraktReader implements ReaderProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';

  constructor(
    private readonly client: TraktClient,
    private readonly now: () => number = Date.now,
  ) {}

  readKinds(): readonly ReadKind[] {
    return KINDS;
  }

  async read(kind: ReadKind, options: ReadOptions, onPage: OnPage): Promise<Result> {
    const run = new ReadRun(this.client);
    const pager = new Pager(onPage);
    const types: Type[] = options.types?.length ? options.types : ['movies', 'shows'];
    switch (kind) {
      case 'history':
      case 'ratings':
      case 'watchlist':
      case 'collection':
        return this.readGated(run, pager, kind, types, options);
      case 'watching': {
        const response = await run.get<TraktWatching | ''>('/users/me/watching');
        // 204: nothing is playing.
        const item = response.status === 204 || !response.data ? undefined : watchingItem(response.data, this.now());
        if (item) await pager.emit([item]);
        return { requests: run.requests };
      }
      case 'stats': {
        const response = await run.get<unknown>('/users/me/stats');
        await onPage({ items: [], done: 0, extra: response.data });
        return { requests: run.requests };
      }
      case 'recommendations':
      case 'trending':
      case 'popular':
        pager.lists(types.length);
        for (const type of types) await this.readDiscovery(run, pager, kind, type);
        return { requests: run.requests };
      case 'calendar':
        for (const type of types) await this.readCalendar(run, pager, type, options);
        return { requests: run.requests };
      default:
        throw new Error(`Trakt cannot read "${String(kind)}"`);
    }
  }

  private async readGated(run: ReadRun, pager: Pager, kind: keyof typeof GATED, types: Type[], options: ReadOptions): Promise<Result> {
    const sources = types.flatMap((type) => GATED[kind][type]);
    const activities = (await run.get<Activities>('/sync/last_activities')).data ?? {};
    const stamps = sources.map((s) => activityStamp(activities, s.group, s.field));
    const changed = sources.filter((_, i) => changedSince(stamps[i], options.since));
    // The mark is the activity stamp, not an item's time: a play dated in the future must not gate out real changes.
    let newest = latest(stamps);
    if (!changed.length) return { newest, unchanged: true, requests: run.requests };
    pager.lists(changed.length);
    const params = kind === 'history' ? { start_at: options.since ?? options.from, end_at: options.to } : {};
    const fallback: Array<string | undefined> = [];
    for (const source of changed) {
      let first = true;
      for await (const page of run.pages<never>(source.path, params, { paginate: source.paginate, limit: PAGE_LIMIT })) {
        if (first) pager.expect(page.itemCount);
        first = false;
        const items = page.rows.flatMap((row) => source.toItems(row));
        if (!newest) fallback.push(...items.map(stampOf));
        await pager.emit(items);
      }
    }
    newest ??= latest(fallback);
    return newest ? { newest, requests: run.requests } : { requests: run.requests };
  }

  private async readDiscovery(run: ReadRun, pager: Pager, kind: 'recommendations' | 'trending' | 'popular', type: Type): Promise<void> {
    const single = type === 'movies' ? 'movie' : 'show';
    // Recommendations take a limit but no pages; ignore_collected and the like keep Trakt's defaults.
    const [path, options] =
      kind === 'recommendations'
        ? [`/recommendations/${type}`, { paginate: false, maxItems: DISCOVERY_MAX }]
        : [`/${type}/${kind}`, { paginate: true, limit: DISCOVERY_MAX, maxItems: DISCOVERY_MAX }];
    let first = true;
    for await (const page of run.pages<TraktRow>(path, kind === 'recommendations' ? { limit: DISCOVERY_MAX } : {}, options)) {
      if (first) pager.expect(page.itemCount === undefined ? undefined : Math.min(page.itemCount, DISCOVERY_MAX));
      first = false;
      await pager.emit(page.rows.flatMap((row) => discoveryItem(row, single, kind)));
    }
  }

  /** `from`–`to` (dates, inclusive; a week from today by default), asked in chunks of at most 33 days. */
  private async readCalendar(run: ReadRun, pager: Pager, type: Type, options: ReadOptions): Promise<void> {
    const start = dayOf(options.from ? Date.parse(options.from) : this.now());
    const end = options.to ? dayOf(Date.parse(options.to)) : start + 6 * DAY_MS;
    if (Number.isNaN(start) || Number.isNaN(end)) throw new Error(`calendar: "from" and "to" must be dates (got ${options.from}, ${options.to})`);
    for (let day = start; day <= end; day += CALENDAR_DAYS * DAY_MS) {
      const days = Math.min(CALENDAR_DAYS, Math.round((end - day) / DAY_MS) + 1);
      const date = new Date(day).toISOString().slice(0, 10);
      const response = await run.get<TraktRow[]>(`/calendars/my/${type}/${date}/${days}`);
      await pager.emit((Array.isArray(response.data) ? response.data : []).flatMap(calendarItem));
    }
  }
}

/** Midnight UTC of an instant (NaN stays NaN). */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Hands pages on with a running count and, while every list said its size, the total. */
class Pager {
  private done = 0;
  private total: number | undefined;
  private unknown = false;
  /** Lists of this read that have not said their size yet: until all have, the total is not known. */
  private pending = 1;

  constructor(private readonly onPage: OnPage) {}

  /** How many lists the read goes through (each calls expect() once, with its first page). */
  lists(count: number): void {
    this.pending = count;
  }

  /** Called once per list with X-Pagination-Item-Count; a list without it leaves the total unknown. */
  expect(count: number | undefined): void {
    this.pending -= 1;
    if (count === undefined) this.unknown = true;
    else this.total = (this.total ?? 0) + count;
  }

  async emit(items: MediaItem[]): Promise<void> {
    // Empty pages carry nothing to act on.
    if (!items.length) return;
    this.done += items.length;
    const page: ReadPage = { items, done: this.done };
    if (!this.unknown && this.pending <= 0 && this.total !== undefined) page.total = Math.max(this.total, this.done);
    await this.onPage(page);
  }
}
