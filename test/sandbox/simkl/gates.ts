// The checks every API request passes before its handler (api-facts §2.1): User-Agent, client_id,
// app-name/app-version, a parseable body, and the bearer token where one is sent or needed.
import { html, parseBody, simklError, type Call, type Reply } from './http';
import { blockedPage } from './pages';
import { bearerOf } from './rate-limits';
import type { SimklRoute } from './router';
import type { SimklState } from './state';

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Query first (Simkl's preferred form), then the older simkl-api-key header. */
export function clientIdOf(call: Call): string | undefined {
  const header = call.req.headers['simkl-api-key'];
  return call.query.get('client_id') ?? (typeof header === 'string' ? header : undefined);
}

export function gate(state: SimklState, call: Call, route: SimklRoute | undefined): Reply | undefined {
  const ua = call.req.headers['user-agent'];
  // Cloudflare in front of the API blocks agent-less clients with an HTML page, as on Trakt.
  if (!ua || ua.trim() === '') return html(403, blockedPage());
  if (clientIdOf(call) !== state.options.clientId) return simklError(412, 'client_id_failed', 'Your client_id is wrong. Try another one');
  for (const param of ['app-name', 'app-version']) {
    if ((call.query.get(param) ?? '').trim() === '') return simklError(400, 'empty_field', `Missed "${param}" parameter`);
  }
  if (WRITE_METHODS.has(call.method)) {
    try {
      // JSON whatever the Content-Type says; form bodies only where Simkl accepts them (/oauth/token).
      const form = call.path === '/oauth/token' && call.req.headers['content-type']?.includes('application/x-www-form-urlencoded');
      call.body = parseBody(call.rawBody, form ? 'application/x-www-form-urlencoded' : 'application/json');
    } catch {
      return simklError(400, 'bad_request', 'Malformed JSON body');
    }
  }
  return checkBearer(state, call, route?.auth);
}

/** Routes without an auth need (OAuth) ignore a token; elsewhere a sent token must be valid. */
function checkBearer(state: SimklState, call: Call, auth: SimklRoute['auth']): Reply | undefined {
  if (auth === undefined) return undefined;
  const token = bearerOf(call);
  if (!token) return auth === 'required' ? simklError(401, 'user_token_failed', 'Authorization token is required') : undefined;
  const record = state.tokens.check(token);
  if (!record) return simklError(401, 'user_token_failed', 'Authorization token is wrong or was revoked');
  call.username = record.username;
  return undefined;
}
