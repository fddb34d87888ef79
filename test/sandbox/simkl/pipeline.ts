// Gate order mirrors the real stack: network faults and Cloudflare first, then Simkl's own checks
// (gates.ts), the rate limits, the per-user /sync lock, and finally the handler.
import { unavailablePage } from '../trakt/pages';
import { takeFault } from './faults';
import { gate } from './gates';
import { destroy, html, parseBody, send, simklError, type Call, type Reply } from './http';
import { checkRateLimit, retryAfter } from './rate-limits';
import { matchRoute, type SimklRoute } from './router';
import { control } from './routes/control';
import type { SimklState } from './state';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
const gone = (call: Call): boolean => call.res.destroyed || call.req.socket.destroyed;

function lenientBody(call: Call): Record<string, unknown> {
  try {
    return parseBody(call.rawBody, call.req.headers['content-type']);
  } catch {
    return {};
  }
}

export async function handle(state: SimklState, call: Call): Promise<void> {
  try {
    if (call.path.startsWith('/_sandbox/')) {
      call.body = lenientBody(call);
      return send(state, call, control(state, call), false);
    }
    const match = matchRoute(call.method, call.path);
    if (match.route?.kind === 'page') {
      call.body = lenientBody(call);
      return send(state, call, await match.route.handle(state, call, match.params));
    }
    await api(state, call, match.route, match.params, match.wrongMethod);
  } catch (err) {
    send(state, call, simklError(500, 'server_error', String(err)));
  }
}

async function api(state: SimklState, call: Call, route: SimklRoute | undefined, params: string[], wrongMethod: boolean): Promise<void> {
  const f = state.faults;
  if (takeFault(f, 'resetNext')) return destroy(state, call);
  if (takeFault(f, 'delayNext')) {
    await sleep(f.delayMs);
    // The client gave up while we were "slow": nothing was processed.
    if (gone(call)) return state.logRequest({ method: call.method, path: call.path, status: 0, at: call.arrivedAt });
  }
  if (takeFault(f, 'status503')) return send(state, call, html(503, unavailablePage()));

  const reject = gate(state, call, route) ?? checkRateLimit(state, call);
  if (reject) return send(state, call, reject);
  if (!route) return send(state, call, wrongMethod ? simklError(405, 'method_not_allowed', 'Method not allowed') : simklError(404, 'not_found', 'Not found'));
  send(state, call, route.syncWrite ? await withSyncLock(state, call, route, params) : await route.handle(state, call, params));
}

/**
 * Simkl forbids parallel /sync writes of one user. The fake answers the overlapping one 429 (back
 * off and retry, like any rate limit) rather than queueing it, so a client that overlaps is caught.
 */
async function withSyncLock(state: SimklState, call: Call, route: SimklRoute, params: string[]): Promise<Reply> {
  const user = call.username ?? '';
  if (state.syncBusy.has(user)) {
    return simklError(429, 'too_many_requests', 'Another /sync request of this user is still running', retryAfter(1000 * state.options.timeScale, state.options.timeScale));
  }
  state.syncBusy.add(user);
  try {
    if (state.options.syncDelayMs > 0) await sleep(state.options.syncDelayMs);
    return await route.handle(state, call, params);
  } finally {
    state.syncBusy.delete(user);
  }
}
