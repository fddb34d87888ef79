import type { AxiosResponse } from 'axios';
import type { TraktClient } from './client';

type Params = Record<string, string | number | undefined>;

export interface PageOptions {
  /** Send page/limit and follow X-Pagination-Page-Count; otherwise one request with `params` as given. */
  paginate: boolean;
  /** The page size asked for; the server's X-Pagination-Limit replaces it from the first answer on. */
  limit?: number;
  /** Stop once this many rows came (discovery lists run to thousands of pages). */
  maxItems?: number;
}

export interface Page<T> {
  rows: T[];
  /** X-Pagination-Item-Count of the list, when the server sent it. */
  itemCount?: number;
}

/**
 * One read's requests: GETs with the account's token (through the read limiter, like every Trakt
 * read), counted so the caller can report what the read cost.
 */
export class ReadRun {
  requests = 0;

  constructor(private readonly client: TraktClient) {}

  get<T>(path: string, params?: Params): Promise<AxiosResponse<T>> {
    const { http, session } = this.client;
    return session.withToken((token) => {
      // Counted inside: a 401 retried after a refresh is a second request.
      this.requests += 1;
      return http.get<T>(path, { headers: { Authorization: `Bearer ${token}` }, params });
    });
  }

  /** The pages of a list, never more than X-Pagination-Page-Count (no header: it all came at once). */
  async *pages<T>(path: string, params: Params, options: PageOptions): AsyncGenerator<Page<T>> {
    let page = 1;
    let pageCount = 1;
    let limit = options.limit;
    let seen = 0;
    const max = options.maxItems ?? Infinity;
    do {
      const response = await this.get<T[]>(path, options.paginate ? { ...params, page, limit } : params);
      const rows = (Array.isArray(response.data) ? response.data : []).slice(0, max - seen);
      seen += rows.length;
      pageCount = options.paginate ? (numberHeader(response, 'x-pagination-page-count', 1) ?? page) : page;
      // Trakt clamps big limits (250 since 2025): asking the next page with the answered size skips nothing.
      limit = numberHeader(response, 'x-pagination-limit', 1) ?? limit;
      yield { rows, itemCount: numberHeader(response, 'x-pagination-item-count', 0) };
      page += 1;
    } while (page <= pageCount && seen < max);
  }
}

function numberHeader(response: AxiosResponse, name: string, min: number): number | undefined {
  const raw = response.headers[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(value) && value >= min ? value : undefined;
}

/** `/sync/last_activities`: groups (movies, episodes …) of ISO stamps; unknown groups are ignored. */
export type Activities = Record<string, unknown>;

export function activityStamp(activities: Activities, group: string, field: string): string | undefined {
  const value = (activities[group] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/**
 * Whether something changed after `since`. Whole seconds: Trakt's stamps have no milliseconds and
 * high-water marks are kept in seconds, so a mark taken from a stamp must read as "not after" it.
 * An unknown stamp counts as changed (read rather than miss).
 */
export function changedSince(stamp: string | undefined, since: string | undefined): boolean {
  if (!since || !stamp) return true;
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) return true;
  return Math.floor(Date.parse(stamp) / 1000) > Math.floor(sinceMs / 1000);
}

/** The latest of some ISO stamps, as given (undefined when none). */
export function latest(stamps: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const stamp of stamps) if (stamp && (!best || Date.parse(stamp) > Date.parse(best))) best = stamp;
  return best;
}
