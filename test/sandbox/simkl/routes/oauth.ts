// GET /oauth/pin, GET /oauth/pin/:user_code and POST /oauth/token (api-facts §2.2–2.3). PIN polls
// always answer 200; the body says what happened.
import { json, type Call, type Reply } from '../http';
import { PIN_INTERVAL_SECONDS } from '../pins';
import type { SimklState } from '../state';

const GRANT_ERROR = { error: 'grant_error' };
// New docs advertise 5 years; the token never actually expires.
const TOKEN_EXPIRES_IN = 157_680_000;

function pinInitBody(state: SimklState): Record<string, unknown> {
  const ttl = state.options.pinTtlSeconds;
  const pin = state.pins.create(ttl, state.options.autoApprove);
  return {
    result: 'OK',
    // A literal placeholder on Simkl too: clients poll with the user_code.
    device_code: 'DEVICE_CODE',
    user_code: pin.userCode,
    verification_uri: `${state.baseUrl}/pin`,
    verification_url: `${state.baseUrl}/pin`,
    expires_in: ttl,
    interval: PIN_INTERVAL_SECONDS,
  };
}

export function pinInit(state: SimklState, _call: Call): Reply {
  return json(200, pinInitBody(state));
}

/**
 * The documented gotcha: a consumed, denied, expired or unknown code answers a fresh init response
 * (new user_code), so a client must stop on any body carrying device_code.
 */
export function pinPoll(state: SimklState, _call: Call, userCode: string): Reply {
  const pin = state.pins.get(userCode);
  const now = Date.now();
  if (!pin || pin.status === 'consumed' || pin.status === 'denied' || now >= pin.expiresAt) return json(200, pinInitBody(state));
  // The advertised interval stays 5 s; scaled runs accept proportionally faster polling.
  const minGapMs = PIN_INTERVAL_SECONDS * 1000 * state.options.timeScale;
  if (pin.lastPollAt !== undefined && now - pin.lastPollAt < minGapMs) return json(200, { result: 'KO', message: 'Slow down' });
  pin.lastPollAt = now;
  if (pin.status === 'pending') return json(200, { result: 'KO', message: 'Authorization pending' });
  pin.status = 'consumed';
  return json(200, { result: 'OK', access_token: state.issueToken() });
}

/** Code exchange; Simkl documents a single failure body for every bad grant. */
export function token(state: SimklState, call: Call): Reply {
  const b = call.body;
  if (b.grant_type !== 'authorization_code') return json(401, GRANT_ERROR);
  if (b.client_id !== state.options.clientId || b.client_secret !== state.options.clientSecret) return json(401, GRANT_ERROR);
  if (!state.tokens.redeemCode(String(b.code ?? ''), b.redirect_uri)) return json(401, GRANT_ERROR);
  return json(200, { access_token: state.issueToken(), token_type: 'bearer', scope: 'public', expires_in: TOKEN_EXPIRES_IN });
}
