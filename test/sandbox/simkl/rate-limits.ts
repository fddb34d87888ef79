// Simkl's limits (api-facts §2.7): GET and POST per second, per access token (per client_id when
// unauthenticated). A rejected POST extends the block ("throttling block that extends on repeat").
import { retryHeaders } from '../trakt/rate-limits';

/** Retry-After in whole real seconds, plus the precise scaled wait when timeScale ≠ 1 (as the Trakt fake). */
export const retryAfter = retryHeaders;
import { simklError, type Call, type Reply } from './http';
import type { SimklState } from './state';

interface Window {
  start: number;
  count: number;
}

export class SecondLimiter {
  private windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private extendOnReject: boolean,
  ) {}

  /** ok, or the epoch ms when the caller may try again. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; until: number } {
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count < this.limit) {
      w.count++;
      return { ok: true };
    }
    // Restarting the full window on each rejected attempt is what makes hammering counter-productive.
    if (this.extendOnReject) w.start = now;
    return { ok: false, until: w.start + this.windowMs };
  }

  clear(): void {
    this.windows.clear();
  }
}

export function bearerOf(call: Call): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(call.req.headers.authorization ?? '')?.[1];
}

/** Undefined when the request may proceed; a 429 otherwise. */
export function checkRateLimit(state: SimklState, call: Call): Reply | undefined {
  const isRead = call.method === 'GET' || call.method === 'HEAD';
  const limiter = isRead ? state.getLimiter : state.postLimiter;
  // The bearer was validated before this gate, so an unknown token never gets here.
  const token = call.username ? bearerOf(call) : undefined;
  const now = Date.now();
  const r = limiter.take(token ? `token:${token}` : `client:${state.options.clientId}`, now);
  if (r.ok) return undefined;
  const what = isRead ? `${limiter.limit} GET` : `${limiter.limit} POST`;
  return simklError(429, 'too_many_requests', `Rate limit exceeded: ${what} requests per second`, retryHeaders(r.until - now, state.options.timeScale));
}
