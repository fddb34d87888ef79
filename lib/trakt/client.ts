import type { HttpClient } from '../core/http';
import type { AddHistoryResult, TrackerProvider } from '../provider';
import type { MediaItem } from '../schema/types';
import { buildHistoryBody, notFoundPositions, rowToItem } from './mapping';
import type { TraktSession } from './session';
import type { TraktAddHistoryResponse, TraktHistoryRow, TraktRemoveHistoryResponse, TraktSettings } from './types';

/** Trakt answers at most 250 rows a page (clamped since 2025); we ask for that and follow what it says. */
const PAGE_LIMIT = 250;

/** Trakt as a TrackerProvider: history writes and reads with the session's tokens. */
export class TraktClient implements TrackerProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';

  constructor(
    readonly http: HttpClient,
    readonly session: TraktSession,
  ) {}

  private auth(token: string): Record<string, string> {
    return { Authorization: `Bearer ${token}` };
  }

  async settings(): Promise<TraktSettings> {
    const response = await this.session.withToken((token) => this.http.get<TraktSettings>('/users/settings', { headers: this.auth(token) }));
    return response.data;
  }

  async accountKey(): Promise<string> {
    let username = this.session.username;
    if (!username) {
      username = (await this.settings()).user.username;
      await this.session.rememberUsername(username);
    }
    return `trakt:${username}`;
  }

  async addHistory(plays: MediaItem[]): Promise<AddHistoryResult> {
    const plan = buildHistoryBody(plays, (item) => item.watchedAt ?? 'unknown');
    const response = await this.session.withToken((token) =>
      this.http.post<TraktAddHistoryResponse>('/sync/history', stripEmpty(plan.body), { headers: this.auth(token) }),
    );
    const data = response.data ?? {};
    return {
      notFound: notFoundPositions(plan, data.not_found),
      added: { movies: data.added?.movies ?? 0, episodes: data.added?.episodes ?? 0 },
    };
  }

  /**
   * Removes plays: by Trakt history ids (exactly those entries), or by items (every play of each
   * item). Not part of TrackerProvider: undoing is a deliberate, Trakt-specific act.
   */
  async removeHistory(target: { historyIds?: number[]; items?: MediaItem[] }): Promise<{ deleted: { movies: number; episodes: number }; notFound: number[] }> {
    const plan = buildHistoryBody(target.items ?? [], () => undefined);
    const body: Record<string, unknown[]> = stripEmpty(plan.body);
    if (target.historyIds?.length) body.ids = target.historyIds;
    const response = await this.session.withToken((token) => this.http.post<TraktRemoveHistoryResponse>('/sync/history/remove', body, { headers: this.auth(token) }));
    const data = response.data ?? {};
    return {
      deleted: { movies: data.deleted?.movies ?? 0, episodes: data.deleted?.episodes ?? 0 },
      notFound: notFoundPositions(plan, data.not_found),
    };
  }

  async readHistory(range: { from: string; to: string; types: Array<'movie' | 'episode'> }): Promise<MediaItem[]> {
    const out: MediaItem[] = [];
    for (const type of range.types) {
      const path = `/sync/history/${type === 'movie' ? 'movies' : 'episodes'}`;
      let page = 1;
      let pageCount = 1;
      let limit = PAGE_LIMIT;
      do {
        const response = await this.session.withToken((token) =>
          this.http.get<TraktHistoryRow[]>(path, { headers: this.auth(token), params: { start_at: range.from, end_at: range.to, page, limit } }),
        );
        for (const row of response.data ?? []) out.push(rowToItem(row));
        pageCount = Number(response.headers['x-pagination-page-count']) || page;
        // Use the page size the server answered with, so no page boundary is skipped.
        limit = Number(response.headers['x-pagination-limit']) || limit;
        page += 1;
      } while (page <= pageCount);
    }
    return out;
  }

  async lastActivities(): Promise<Record<string, unknown>> {
    const response = await this.session.withToken((token) => this.http.get<Record<string, unknown>>('/sync/last_activities', { headers: this.auth(token) }));
    return response.data;
  }
}

function stripEmpty(body: object): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [key, list] of Object.entries(body) as Array<[string, unknown[]]>) if (list.length) out[key] = list;
  return out;
}
