import type { HttpClient } from '../core/http';
import { AccountLimiter, type LimiterOptions } from '../core/limiter';
import { SimklClient } from './client';
import { SimklHttpClient } from './http';
import type { SimklApp } from './oauth';
import { SimklSession, type SimklTokens } from './session';

export const SIMKL_API_URL = 'https://api.simkl.com';

/**
 * Simkl: 10 GETs per second, 1 POST per second and no parallel writes (api-facts §2.7). The read
 * window has 50 ms of slack: Simkl counts arrivals, and requests travel at different speeds.
 */
export const SIMKL_LIMITS: Required<LimiterOptions> = {
  readsPerWindow: 10,
  readWindowMs: 1050,
  writeSpacingMs: 1000,
  readConcurrency: 2,
};

export interface SimklHttpExtra {
  timeoutMs?: number;
  backoffBaseMs?: number;
}

export interface SimklAccountOptions {
  apiUrl?: string;
  app: SimklApp;
  tokens?: SimklTokens;
  persist: (tokens: SimklTokens) => Promise<void> | void;
  limits?: LimiterOptions;
  timeoutMs?: number;
  backoffBaseMs?: number;
  /** Wait before the one retry of a scrobble refused by Simkl's 20-second lock (default 2 s). */
  scrobbleRetryDelayMs?: number;
}

/** Everything one Simkl account needs, wired together: limiter, HTTP core, session, client. */
export interface SimklAccount {
  http: HttpClient;
  limiter: AccountLimiter;
  session: SimklSession;
  client: SimklClient;
}

export function simklHttp(apiUrl: string | undefined, clientId: string, limiter: AccountLimiter, extra: SimklHttpExtra = {}): HttpClient {
  return new SimklHttpClient({
    baseURL: apiUrl || SIMKL_API_URL,
    serviceName: 'Simkl',
    clientId,
    limiter,
    timeoutMs: extra.timeoutMs,
    backoffBaseMs: extra.backoffBaseMs,
  });
}

export function createSimklAccount(options: SimklAccountOptions): SimklAccount {
  const limits = { ...SIMKL_LIMITS, ...options.limits };
  const limiter = new AccountLimiter(limits);
  const http = simklHttp(options.apiUrl, options.app.clientId, limiter, { timeoutMs: options.timeoutMs, backoffBaseMs: options.backoffBaseMs });
  const session = new SimklSession({ app: options.app, tokens: options.tokens, persist: options.persist });
  const client = new SimklClient(http, session, { scrobbleRetryDelayMs: options.scrobbleRetryDelayMs });
  return { http, limiter, session, client };
}
