// Maps a request onto Trakt's named limits and renders the X-Ratelimit / Retry-After headers.
import { json, type Reply } from './http-io';
import type { TraktState } from './state';

type LimitName = 'AUTHED_API_GET_LIMIT' | 'AUTHED_API_POST_LIMIT' | 'UNAUTHED_API_GET_LIMIT';

export type LimitOutcome = { blocked: Reply } | { headers: Record<string, string> };

/** Real Trakt prints whole seconds; scaled runs need ms so clients can wait precisely. */
function formatUntil(until: number, timeScale: number): string {
  if (timeScale !== 1) return new Date(until).toISOString();
  return new Date(Math.ceil(until / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Retry-After is always whole real seconds (min 1); the scaled precise value rides along. */
export function retryHeaders(waitMs: number, timeScale: number): Record<string, string> {
  const headers: Record<string, string> = { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) };
  if (timeScale !== 1) headers['X-Sandbox-Retry-After-Ms'] = String(Math.max(1, Math.ceil(waitMs)));
  return headers;
}

export function checkRateLimit(state: TraktState, method: string, username: string | undefined): LimitOutcome {
  const { timeScale, clientId } = state.options;
  const isRead = method === 'GET' || method === 'HEAD';
  const limiter = isRead ? state.getLimiter : state.postLimiter;
  const name: LimitName = !isRead ? 'AUTHED_API_POST_LIMIT' : username ? 'AUTHED_API_GET_LIMIT' : 'UNAUTHED_API_GET_LIMIT';
  const now = Date.now();
  const r = limiter.take(username ? `user:${username}` : `client:${clientId}`, now);
  const header = JSON.stringify({
    name,
    period: limiter.windowMs / 1000,
    limit: limiter.limit,
    remaining: r.remaining,
    until: formatUntil(r.until, timeScale),
  });
  if (r.ok) return { headers: { 'X-Ratelimit': header } };
  return { blocked: json(429, undefined, { 'X-Ratelimit': header, ...retryHeaders(r.until - now, timeScale) }) };
}

/** A 429 from the "security layer": no X-Ratelimit, Retry-After 1 (scaled). */
export function storm429(timeScale: number): Reply {
  return json(429, undefined, retryHeaders(1000 * timeScale, timeScale));
}
