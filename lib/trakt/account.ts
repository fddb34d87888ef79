import { HttpClient } from '../core/http';
import { AccountLimiter, type LimiterOptions } from '../core/limiter';
import type { StoredTokens } from '../store/token-store';
import { TraktClient } from './client';
import type { AppCredentials } from './oauth';
import { TraktSession } from './session';

export const TRAKT_API_URL = 'https://api.trakt.tv';

export interface TraktAccountOptions {
  apiUrl?: string;
  app: AppCredentials;
  tokens?: StoredTokens;
  persist: (tokens: StoredTokens) => Promise<void> | void;
  limits?: LimiterOptions;
  timeoutMs?: number;
  backoffBaseMs?: number;
}

/** Everything one Trakt account needs, wired together: limiter, HTTP core, session, client. */
export interface TraktAccount {
  http: HttpClient;
  limiter: AccountLimiter;
  session: TraktSession;
  client: TraktClient;
}

export function traktHttp(apiUrl: string | undefined, clientId: string, limiter: AccountLimiter, extra: { timeoutMs?: number; backoffBaseMs?: number } = {}): HttpClient {
  return new HttpClient({
    baseURL: apiUrl || TRAKT_API_URL,
    serviceName: 'Trakt',
    headers: { 'trakt-api-version': '2', 'trakt-api-key': clientId },
    limiter,
    ...extra,
  });
}

export function createTraktAccount(options: TraktAccountOptions): TraktAccount {
  const limiter = new AccountLimiter(options.limits);
  const http = traktHttp(options.apiUrl, options.app.clientId, limiter, { timeoutMs: options.timeoutMs, backoffBaseMs: options.backoffBaseMs });
  const session = new TraktSession(http, { app: options.app, tokens: options.tokens, persist: options.persist });
  return { http, limiter, session, client: new TraktClient(http, session) };
}
