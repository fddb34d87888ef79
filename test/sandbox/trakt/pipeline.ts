// The order of gates mirrors the real stack: Cloudflare (UA, 503, resets, storms) before the
// app (headers, auth, account state, rate limits), then the handler, then gateway failures
// that happen after the origin already wrote.
import { destroy, html, json, parseBody, send, type Call, type Reply } from './http-io';
import { badGatewayPage, blockedPage, unavailablePage } from './pages';
import { checkRateLimit, storm429 } from './rate-limits';
import { matchRoute, type Match } from './router';
import { control } from './routes/control';
import type { TraktState } from './state';

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const gone = (call: Call): boolean => call.res.destroyed || call.req.socket.destroyed;

export async function handle(state: TraktState, call: Call): Promise<void> {
  try {
    if (call.path.startsWith('/_sandbox/')) {
      call.body = lenientBody(call);
      return send(state, call, control(state, call), false);
    }
    const ua = call.req.headers['user-agent'];
    if (!ua || ua.trim() === '') return send(state, call, html(403, blockedPage()));
    const match = matchRoute(call.method, call.path);
    if (match.kind === 'api') return await api(state, call, match);
    try {
      call.body = parseBody(call.rawBody, call.req.headers['content-type']);
    } catch {
      return send(state, call, json(400, { error: 'invalid_request', error_description: 'Malformed JSON body' }));
    }
    return send(state, call, routeReply(state, call, match));
  } catch (err) {
    send(state, call, json(500, { error: 'sandbox_error', message: String(err) }));
  }
}

function lenientBody(call: Call): Record<string, unknown> {
  try {
    return parseBody(call.rawBody, call.req.headers['content-type']);
  } catch {
    return {};
  }
}

function routeReply(state: TraktState, call: Call, match: Match): Reply {
  if (match.route) return match.route.handle(state, call, match.params);
  return match.wrongMethod ? json(405, { error: 'method_not_allowed' }) : json(404, { error: 'not_found' });
}

async function api(state: TraktState, call: Call, match: Match): Promise<void> {
  const f = state.faults;
  const { options } = state;
  if (state.takeFault('resetNext')) return destroy(state, call);
  if (state.takeFault('delayNext')) {
    await sleep(f.delayMs);
    // The client gave up while we were "slow": nothing was processed.
    if (gone(call)) return state.logRequest({ method: call.method, path: call.path, status: 0, at: call.arrivedAt });
  }
  if (state.takeFault('status503')) return send(state, call, html(503, unavailablePage()));
  if (state.takeFault('storm429')) return send(state, call, storm429(options.timeScale));

  const reject = checkHeaders(state, call, match);
  if (reject) return send(state, call, reject);

  if (state.takeFault('status423Next')) return send(state, call, json(423, {}));
  const isWrite = WRITE_METHODS.has(call.method);
  // Account limits only bite when adding data.
  if (isWrite && state.takeFault('status420Next')) {
    return send(state, call, json(420, {}, { 'X-Account-Limit': '100000', 'X-Upgrade-URL': 'https://trakt.tv/vip', 'X-VIP-User': 'false' }));
  }

  const limit = checkRateLimit(state, call.method, call.username);
  if ('blocked' in limit) return send(state, call, limit.blocked);

  let reply = routeReply(state, call, match);
  reply = { ...reply, headers: { ...limit.headers, ...reply.headers } };
  if (match.route?.writesHistory && reply.status < 300) {
    if (state.takeFault('resetAfterProcessNext')) return destroy(state, call);
    if (state.takeFault('status500Processed')) reply = html(502, badGatewayPage());
    if (state.takeFault('delayAfterProcessNext')) await sleep(f.delayAfterProcessMs);
  }
  send(state, call, reply);
}

/** API key, version, JSON content type, body and bearer token; returns the rejection if any. */
function checkHeaders(state: TraktState, call: Call, route: Match): Reply | undefined {
  const h = call.req.headers;
  if (h['trakt-api-key'] !== state.options.clientId) {
    return json(403, { error: 'forbidden', error_description: 'Invalid API key or unapproved app' });
  }
  if (h['trakt-api-version'] !== '2') {
    return json(400, { error: 'bad_request', error_description: 'trakt-api-version header must be 2' });
  }
  if (WRITE_METHODS.has(call.method)) {
    if (!h['content-type']?.toLowerCase().includes('application/json')) {
      return json(412, { error: 'precondition_failed', error_description: 'Use application/json content type' });
    }
    try {
      call.body = parseBody(call.rawBody, 'application/json');
    } catch {
      return json(400, { error: 'bad_request', error_description: 'Malformed JSON body' });
    }
  }
  return checkBearer(state, call, route.route?.auth === 'required');
}

/** A token that is sent is always validated, even where OAuth is optional. */
function checkBearer(state: TraktState, call: Call, required: boolean): Reply | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(call.req.headers.authorization ?? '');
  if (!match) return required ? unauthorized('The access token is invalid') : undefined;
  const check = state.tokens.check(match[1]);
  if (!check.ok) return unauthorized(check.reason === 'expired' ? 'The access token expired' : 'The access token was revoked or is invalid');
  call.username = check.record.username;
  return undefined;
}

function unauthorized(description: string): Reply {
  return json(401, { error: 'invalid_token' }, {
    'WWW-Authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
  });
}
