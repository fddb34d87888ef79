// The user's side of both flows, served by the fake itself (on Simkl it is simkl.com/pin and
// simkl.com/oauth/authorize), so a browser test can click Approve.
import { html, type Call, type Reply } from '../http';
import { authorizePage, messagePage, pinCodePage, pinFormPage } from '../pages';
import type { SimklState } from '../state';

export function pinForm(_state: SimklState, call: Call): Reply {
  const code = call.query.get('code');
  if (code) return html(302, '', { Location: `/pin/${encodeURIComponent(code.trim())}` });
  return html(200, pinFormPage());
}

export function pinPage(state: SimklState, _call: Call, userCode: string): Reply {
  const pin = state.pins.get(userCode);
  if (!pin || Date.now() >= pin.expiresAt) return html(404, messagePage('This code is invalid or has expired.'));
  if (pin.status !== 'pending') return html(200, messagePage(`This code was already ${pin.status === 'denied' ? 'denied' : 'approved'}.`));
  return html(200, pinCodePage(pin.userCode));
}

export function pinDecision(state: SimklState, call: Call, userCode: string): Reply {
  const decision = call.body.decision;
  if (decision !== 'approve' && decision !== 'deny') return html(400, messagePage('Choose Approve or Deny.'));
  const ok = decision === 'approve' ? state.approvePin(userCode) : state.denyPin(userCode);
  if (!ok) return html(404, messagePage('This code is invalid or has expired.'));
  return html(200, messagePage(decision === 'approve' ? 'Approved. You can close this window.' : 'Denied. You can close this window.'));
}

/** redirect_uri plus the params, keeping any query the client put in redirect_uri itself. */
function redirectTo(redirectUri: string, params: Record<string, string | undefined>): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return html(302, '', { Location: url.toString() });
}

interface AuthorizeParams {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  state: string;
}

/** Validates the authorize parameters; returns them or the error page. */
function authorizeParams(state: SimklState, get: (k: string) => string | undefined): AuthorizeParams | Reply {
  const p = { response_type: get('response_type') ?? '', client_id: get('client_id') ?? '', redirect_uri: get('redirect_uri') ?? '', state: get('state') ?? '' };
  if (p.response_type !== 'code') return html(400, messagePage('response_type must be "code".'));
  if (p.client_id !== state.options.clientId) return html(400, messagePage('Unknown client_id.'));
  if (!URL.canParse(p.redirect_uri)) return html(400, messagePage('redirect_uri is missing or invalid.'));
  return p;
}

export function authorizeForm(state: SimklState, call: Call): Reply {
  const p = authorizeParams(state, (k) => call.query.get(k) ?? undefined);
  if ('status' in p) return p;
  if (state.options.autoApprove) return redirectTo(p.redirect_uri, { code: state.issueAuthCode(p.redirect_uri), state: p.state });
  return html(200, authorizePage({ ...p }));
}

export function authorizeDecision(state: SimklState, call: Call): Reply {
  const p = authorizeParams(state, (k) => (typeof call.body[k] === 'string' ? (call.body[k] as string) : undefined));
  if ('status' in p) return p;
  if (call.body.decision !== 'approve') return redirectTo(p.redirect_uri, { error: 'access_denied', state: p.state });
  return redirectTo(p.redirect_uri, { code: state.issueAuthCode(p.redirect_uri), state: p.state });
}
