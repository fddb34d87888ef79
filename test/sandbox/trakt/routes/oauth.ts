// /oauth/* endpoints. Device-token poll errors carry no body: Trakt documents only the codes.
import { POLL_INTERVAL_SECONDS } from '../device-codes';
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';

const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};

const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};

const clientOk = (state: TraktState, body: Record<string, unknown>, needSecret: boolean): boolean =>
  body.client_id === state.options.clientId && (!needSecret || body.client_secret === state.options.clientSecret);

export function deviceCode(state: TraktState, call: Call): Reply {
  if (!clientOk(state, call.body, false)) return json(401, INVALID_CLIENT);
  const ttl = state.options.deviceCodeTtlSeconds;
  const dc = state.deviceCodes.create(ttl, state.options.autoApprove);
  return json(200, {
    device_code: dc.deviceCode,
    user_code: dc.userCode,
    verification_url: `${state.baseUrl}/activate`,
    expires_in: ttl,
    interval: POLL_INTERVAL_SECONDS,
  });
}

export function deviceToken(state: TraktState, call: Call): Reply {
  if (!clientOk(state, call.body, true)) return json(401, INVALID_CLIENT);
  const dc = state.deviceCodes.byDeviceCode(String(call.body.code ?? ''));
  if (!dc) return json(404);
  if (dc.status === 'used') return json(409);
  const now = Date.now();
  if (now >= dc.expiresAt) return json(410);
  // The advertised interval stays 5 s; scaled runs accept proportionally faster polling.
  const minGapMs = POLL_INTERVAL_SECONDS * 1000 * state.options.timeScale;
  if (dc.lastPollAt !== undefined && now - dc.lastPollAt < minGapMs) return json(429);
  dc.lastPollAt = now;
  if (dc.status === 'denied') return json(418);
  if (dc.status === 'pending') return json(400);
  dc.status = 'used';
  return json(200, state.issueTokens());
}

export function token(state: TraktState, call: Call): Reply {
  if (call.body.grant_type !== 'refresh_token') return json(400, { error: 'unsupported_grant_type' });
  if (!clientOk(state, call.body, true)) return json(401, INVALID_CLIENT);
  const pair = state.tokens.rotate(String(call.body.refresh_token ?? ''));
  return pair ? json(200, pair) : json(401, INVALID_GRANT);
}

export function revoke(state: TraktState, call: Call): Reply {
  state.tokens.revoke(String(call.body.token ?? ''));
  return json(200, {});
}
