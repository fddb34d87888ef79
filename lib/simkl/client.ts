import { sleep } from '../core/backoff';
import { ClawarrError } from '../core/errors';
import type { HttpClient } from '../core/http';
import type { AddHistoryResult, Candidate, CheckinResult, MatchProvider, ScrobbleAction, ScrobbleProvider, ScrobbleResult, TrackerProvider } from '../provider';
import type { IdKey, MediaItem } from '../schema/types';
import { isRateLimitLock, RATE_LIMIT_ID, SimklApiError } from './errors';
import { listsToRead, playsFromList, READ_MARGIN_MS } from './history-read';
import { buildHistoryBody, notFoundPositions, stripEmpty } from './mapping';
import { currentMinute, roundProgress, scrobbleItem, scrobbleResult } from './scrobble';
import { ACCEPTED_IDS, LOOKUP_IDS, lookupParams, searchTypes, toCandidates, type MatchType } from './search';
import type { SimklSession } from './session';
import type { SimklActivities, SimklAddHistoryResponse, SimklAllItems, SimklScrobbleResponse, SimklSettings } from './types';

export interface SimklClientOptions {
  /** Wait before the one retry of a request refused by the 20-second per-user lock (default 2 s). */
  scrobbleRetryDelayMs?: number;
}

/**
 * Simkl as every provider a node needs: history writes and gated reads, matching (id look-ups and
 * title search, which need no token), and live scrobbles and check-ins.
 */
export class SimklClient implements TrackerProvider, MatchProvider, ScrobbleProvider {
  readonly kind = 'simkl' as const;
  readonly label = 'Simkl';
  private readonly retryDelayMs: number;

  constructor(
    readonly http: HttpClient,
    readonly session: SimklSession,
    options: SimklClientOptions = {},
  ) {
    this.retryDelayMs = options.scrobbleRetryDelayMs ?? 2000;
  }

  private auth(token: string): Record<string, string> {
    return { Authorization: `Bearer ${token}` };
  }

  async settings(): Promise<SimklSettings> {
    const response = await this.session.withToken((token) => this.http.get<SimklSettings>('/users/settings', { headers: this.auth(token) }));
    return response.data ?? {};
  }

  /**
   * `simkl:<account id>`: names are display names, the id is what stays the account's. Read from the
   * token set (kept there after the first call), so a new authorization gets its own key.
   */
  async accountKey(): Promise<string> {
    if (this.session.accountId !== undefined) return `simkl:${this.session.accountId}`;
    const settings = await this.settings();
    const number = Number(settings.account?.id);
    const id = Number.isInteger(number) && number > 0 ? number : undefined;
    const name = settings.user?.name;
    if (id === undefined && !name) throw new ClawarrError('Simkl did not say which account the token belongs to (GET /users/settings)', 'server_error');
    await this.session.rememberAccount({ accountId: id, username: name });
    return `simkl:${id ?? name}`;
  }

  async addHistory(plays: MediaItem[]): Promise<AddHistoryResult> {
    const plan = buildHistoryBody(plays);
    const response = await this.session.withToken((token) =>
      this.http.post<SimklAddHistoryResponse>('/sync/history', stripEmpty(plan.body), { headers: this.auth(token) }),
    );
    const data = response.data ?? {};
    // Episodes of shows sent with seasons are counted under `episodes`, anime's too.
    return { notFound: notFoundPositions(plan, data.not_found), added: { movies: data.added?.movies ?? 0, episodes: data.added?.episodes ?? 0 } };
  }

  /**
   * The plays recorded in [from, to]. Simkl has no play list: it is read the way Simkl requires,
   * /sync/activities first, then /sync/all-items only for lists that moved, always with date_from
   * (clients that read all-items without it are suspended).
   */
  async readHistory(range: { from: string; to: string; types: Array<'movie' | 'episode'> }): Promise<MediaItem[]> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new ClawarrError(`cannot read Simkl history between "${range.from}" and "${range.to}"`, 'bad_request');
    if (!range.types.length) return [];
    const activities = await this.activities();
    const dateFrom = new Date(fromMs - READ_MARGIN_MS).toISOString();
    const out: MediaItem[] = [];
    for (const list of listsToRead(activities, fromMs, range.types)) {
      const data = await this.get<SimklAllItems | null>(`/sync/all-items/${list}`, { date_from: dateFrom, episode_watched_at: 'yes', extended: 'full' });
      out.push(...playsFromList(list, data, fromMs, toMs));
    }
    return out;
  }

  /** GET /sync/activities: when each list last changed (null for a list never used). */
  async activities(): Promise<SimklActivities> {
    return (await this.get<SimklActivities | null>('/sync/activities')) ?? {};
  }

  private async get<T>(path: string, params?: Record<string, string>): Promise<T> {
    const response = await this.session.withToken((token) => this.http.get<T>(path, { headers: this.auth(token), params }));
    return response.data;
  }

  acceptedIds(type: MatchType): readonly IdKey[] {
    return ACCEPTED_IDS[type];
  }

  lookupIds(_type: MatchType): readonly IdKey[] {
    return LOOKUP_IDS;
  }

  /** GET /search/id needs no token, so matching works whatever the authorization's state. */
  async lookupId(idType: IdKey, id: string | number, type: MatchType): Promise<Candidate[]> {
    if (!LOOKUP_IDS.includes(idType)) throw new Error(`Simkl cannot look up ${idType} ids`);
    const response = await this.http.get<unknown>('/search/id', { params: lookupParams(idType, id, type) });
    return toCandidates(response.data, type);
  }

  /** Shows: `tv` first, then `anime` only when `tv` knows nothing by that title. The year is the matcher's. */
  async search(type: 'movie' | 'show', query: string, _year?: number): Promise<Candidate[]> {
    for (const endpoint of searchTypes(type)) {
      const response = await this.http.get<unknown>(`/search/${endpoint}`, { params: { q: query } });
      const found = toCandidates(response.data, type);
      if (found.length) return found;
    }
    return [];
  }

  async scrobble(action: ScrobbleAction, item: MediaItem, progress: number): Promise<ScrobbleResult> {
    const body = { progress: roundProgress(progress), ...scrobbleItem(item) };
    try {
      const data = await this.postThroughLock<SimklScrobbleResponse>(`/scrobble/${action}`, body);
      return scrobbleResult(action, data ?? {}, body.progress);
    } catch (error) {
      // The same item was scrobbled within the hour: it is recorded, which is what was wanted.
      if (!(error instanceof SimklApiError) || error.status !== 409) throw error;
      return { action: 'scrobble', progress: body.progress, alreadyScrobbled: true, watchedAt: error.conflict?.watchedAt ?? currentMinute() };
    }
  }

  /** POST /scrobble/checkin: Simkl marks the item watched once its runtime has passed. */
  async checkin(item: MediaItem): Promise<CheckinResult> {
    try {
      const data = (await this.postThroughLock<SimklScrobbleResponse>('/scrobble/checkin', scrobbleItem(item))) ?? {};
      return { checkedIn: true, watchedAt: data.watched_at, expiresAt: data.expires_at };
    } catch (error) {
      if (!(error instanceof SimklApiError) || error.status !== 409) throw error;
      return { checkedIn: false, expiresAt: error.conflict?.expiresAt };
    }
  }

  /**
   * A write Simkl may refuse with its 20-second per-user lock (400 RATE_LIMIT): tried once more
   * after a short wait, then a clear error. Nothing was written when the lock refused it.
   */
  private async postThroughLock<T>(path: string, body: unknown): Promise<T> {
    const post = async () => (await this.session.withToken((token) => this.http.post<T>(path, body, { headers: this.auth(token) }))).data;
    try {
      return await post();
    } catch (error) {
      if (!isRateLimitLock(error)) throw error;
    }
    await sleep(this.retryDelayMs);
    try {
      return await post();
    } catch (error) {
      if (!isRateLimitLock(error)) throw error;
      throw new SimklApiError(
        `Simkl refused ${path} twice with its 20-second per-user lock (400 RATE_LIMIT): another app or node is writing to this account; nothing was recorded`,
        'rate_limited',
        400,
        RATE_LIMIT_ID,
      );
    }
  }
}
