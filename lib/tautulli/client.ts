import { ClawarrError } from '../core/errors';
import { HttpClient } from '../core/http';
import { AccountLimiter, type LimiterOptions } from '../core/limiter';
import { registerSecret } from '../core/redact';
import { envelopeError, isEnvelope, MESSAGES, tautulliError } from './errors';
import type { HistoryQuery, TautulliHistoryData, TautulliHistoryRow, TautulliInfo, TautulliMetadata } from './types';
import { displayUrl, normalizeTautulliUrl } from './url';
import { toNumber } from './values';

export interface TautulliClientOptions {
  /** Base URL including Tautulli's HTTP root, e.g. http://host:8181/tautulli. */
  url: string;
  apiKey: string;
  timeoutMs?: number;
  backoffBaseMs?: number;
  /** Share one limiter between clients of the same server; a private one otherwise. */
  limiter?: AccountLimiter;
}

export interface HistoryPage {
  /** Every row Tautulli has (recordsTotal ignores filters). */
  total: number;
  /** Rows matching the query, all pages together. */
  filtered: number;
  rows: TautulliHistoryRow[];
}

/**
 * Tautulli is local and publishes no limits: these only keep a large backfill from flooding it,
 * while letting metadata look-ups run a few at a time.
 */
export const TAUTULLI_LIMITS: LimiterOptions = { readsPerWindow: 6000, readWindowMs: 60_000, readConcurrency: 4, writeSpacingMs: 0 };

/** Read-only client of Tautulli's API v2 (`GET <url>/api/v2?apikey=…&cmd=…`, api-facts §3). */
export class TautulliClient {
  readonly url: string;
  /** The URL as errors and statuses may show it. */
  readonly displayUrl: string;
  readonly http: HttpClient;
  private readonly apiKey: string;
  private readonly ownLimiter?: AccountLimiter;

  constructor(options: TautulliClientOptions) {
    this.url = normalizeTautulliUrl(options.url ?? '');
    this.displayUrl = displayUrl(this.url);
    this.apiKey = (options.apiKey ?? '').trim();
    if (!this.url) throw new ClawarrError('Tautulli URL is missing: set it in the tautulli-config node (like http://localhost:8181)', 'config');
    if (!this.apiKey) throw new ClawarrError(MESSAGES.noKey, 'config');
    registerSecret(this.apiKey);
    if (!options.limiter) this.ownLimiter = new AccountLimiter(TAUTULLI_LIMITS);
    this.http = new HttpClient({
      baseURL: this.url,
      serviceName: 'Tautulli',
      limiter: options.limiter ?? this.ownLimiter!,
      timeoutMs: options.timeoutMs,
      backoffBaseMs: options.backoffBaseMs,
    });
    // Runs after axios-retry gave up, while the body is still at hand: Tautulli puts its reason in the
    // envelope of a 400, which the generic mapping of HttpClient cannot read.
    this.http.axios.interceptors.response.use(undefined, (error: unknown) => Promise.reject(tautulliError(error, this.displayUrl)));
  }

  /** One API command; resolves with the envelope's `data`. */
  async call<T>(cmd: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
    const response = await this.http.get<unknown>('/api/v2', { params: { apikey: this.apiKey, cmd, ...params } });
    const body = response.data;
    const html = String(response.headers['content-type'] ?? '').includes('text/html');
    if (html || !isEnvelope(body)) throw new ClawarrError(MESSAGES.webPage(this.displayUrl), 'config', response.status);
    if (body.response.result !== 'success') throw envelopeError(body, response.status);
    return body.response.data as T;
  }

  async getHistory(query: HistoryQuery): Promise<HistoryPage> {
    const data = await this.call<Partial<TautulliHistoryData> | undefined>('get_history', { ...query });
    if (!data || !Array.isArray(data.data)) throw new ClawarrError('Tautulli get_history answered without a list of rows; is this Tautulli v2?', 'bad_request');
    const rows = data.data;
    return { total: toNumber(data.recordsTotal) ?? rows.length, filtered: toNumber(data.recordsFiltered) ?? rows.length, rows };
  }

  /** Metadata of a library item; undefined when Plex no longer has it (Tautulli answers `{}`). */
  async getMetadata(ratingKey: string | number): Promise<TautulliMetadata | undefined> {
    const data = await this.call<TautulliMetadata | undefined>('get_metadata', { rating_key: String(ratingKey) });
    if (!data || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) return undefined;
    return data;
  }

  async info(): Promise<{ version: string }> {
    const data = await this.call<TautulliInfo | undefined>('get_tautulli_info');
    return { version: String(data?.tautulli_version ?? 'unknown') };
  }

  /** For the config node's "test" button: "Tautulli v2.17.2, 5321 plays". */
  async testConnection(): Promise<{ version: string; plays: number; message: string }> {
    const { version } = await this.info();
    const page = await this.getHistory({ start: 0, length: 1, order_column: 'stopped', order_dir: 'desc', grouping: 0, include_activity: 0 });
    const shown = /^v/i.test(version) ? version : `v${version}`;
    return { version, plays: page.total, message: `Tautulli ${shown}, ${page.total} ${page.total === 1 ? 'play' : 'plays'}` };
  }

  async close(): Promise<void> {
    await this.ownLimiter?.stop();
  }
}
