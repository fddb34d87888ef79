// The user's side of the device flow (trakt.tv/activate), so a browser test can click Approve.
import { html, type Call, type Reply } from '../http-io';
import { activateCodePage, activateFormPage, messagePage } from '../pages';
import type { TraktState } from '../state';

export function activateForm(_state: TraktState, call: Call): Reply {
  const code = call.query.get('code');
  if (code) return html(302, '', { Location: `/activate/${encodeURIComponent(code.trim())}` });
  return html(200, activateFormPage());
}

export function activateCode(state: TraktState, _call: Call, userCode: string): Reply {
  const dc = state.deviceCodes.byUserCode(userCode);
  if (!dc || Date.now() >= dc.expiresAt) return html(404, messagePage('This code is invalid or has expired.'));
  if (dc.status !== 'pending') return html(200, messagePage(`This code was already ${dc.status === 'denied' ? 'denied' : 'approved'}.`));
  return html(200, activateCodePage(dc.userCode));
}

export function activateDecision(state: TraktState, call: Call, userCode: string): Reply {
  const decision = call.body.decision;
  if (decision !== 'approve' && decision !== 'deny') return html(400, messagePage('Choose Approve or Deny.'));
  const ok = decision === 'approve' ? state.approve(userCode) : state.deny(userCode);
  if (!ok) return html(404, messagePage('This code is invalid or has expired.'));
  return html(200, messagePage(decision === 'approve' ? 'Approved. You can close this window.' : 'Denied. You can close this window.'));
}
