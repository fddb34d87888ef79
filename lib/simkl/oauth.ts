import type { PollOutcome } from '../core/device-poll';
import { ClawarrError } from '../core/errors';
import type { HttpClient } from '../core/http';
import type { SimklTokens } from './session';
import type { SimklPinCode, SimklPinPoll, SimklTokenResponse } from './types';

/** A Simkl API app. The PIN flow needs only the client id; the code flow also the secret. */
export interface SimklApp {
  clientId: string;
  clientSecret?: string;
}

/** Authorization happens on simkl.com, not on the API host (SIMKL-APIB "Authorize"). */
const SIMKL_AUTHORIZE_URL = 'https://simkl.com/oauth/authorize';

/**
 * Tokens as stored. V1 answers only access_token; refresh_token and expires_in are kept when a
 * future V2 flow sends them, but nothing refreshes yet.
 */
export function tokensFromResponse(body: SimklTokenResponse, username?: string): SimklTokens {
  const createdAt = Number(body.created_at) || Math.floor(Date.now() / 1000);
  const tokens: SimklTokens = { accessToken: body.access_token, createdAt };
  if (body.refresh_token) tokens.refreshToken = body.refresh_token;
  if (Number(body.expires_in) > 0) tokens.expiresAt = createdAt + Number(body.expires_in);
  if (username) tokens.username = username;
  return tokens;
}

/** The page to send the user to. Off simkl.com (a sandbox), the page lives on the API host. */
export function authorizeUrl(options: { clientId: string; redirectUri: string; state: string; apiUrl?: string }): string {
  const base = options.apiUrl && !isSimklApiHost(options.apiUrl) ? `${options.apiUrl.replace(/\/+$/, '')}/oauth/authorize` : SIMKL_AUTHORIZE_URL;
  const query = new URLSearchParams({ response_type: 'code', client_id: options.clientId, redirect_uri: options.redirectUri, state: options.state });
  return `${base}?${query.toString()}`;
}

function isSimklApiHost(apiUrl: string): boolean {
  try {
    return new URL(apiUrl).hostname === 'api.simkl.com';
  } catch {
    return false;
  }
}

/** Exchanges the code from the redirect for tokens; a bad code is a 401 grant_error (see errors.ts). */
export async function exchangeCode(http: HttpClient, app: SimklApp, code: string, redirectUri: string): Promise<SimklTokens> {
  if (!app.clientSecret) throw new ClawarrError('the Simkl code flow needs the client secret of your Simkl app', 'config');
  const response = await http.post<SimklTokenResponse>(
    '/oauth/token',
    { code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: redirectUri, grant_type: 'authorization_code' },
    { unlimited: true },
  );
  if (!response.data?.access_token) throw new ClawarrError('Simkl answered the code exchange without an access token', 'server_error', response.status);
  return tokensFromResponse(response.data);
}

export async function requestPin(http: HttpClient, app: SimklApp): Promise<SimklPinCode> {
  const response = await http.get<SimklPinCode>('/oauth/pin', { params: { client_id: app.clientId }, unlimited: true });
  const code = response.data;
  if (!code?.user_code) throw new ClawarrError('Simkl answered the PIN request without a user code', 'server_error', response.status);
  return code;
}

export type PinPollOutcome = PollOutcome<SimklTokens, 'expired' | 'error'>;

/**
 * One poll of GET /oauth/pin/{user_code}. Always HTTP 200: the body says it. The KO answers carry no
 * error id, so "Slow down" can only be told from "Authorization pending" by its message.
 */
export async function pollPin(http: HttpClient, app: SimklApp, userCode: string): Promise<PinPollOutcome> {
  let body: SimklPinPoll;
  try {
    body = (await http.get<SimklPinPoll>(`/oauth/pin/${encodeURIComponent(userCode)}`, { params: { client_id: app.clientId }, unlimited: true })).data ?? {};
  } catch (error) {
    const message = error instanceof ClawarrError ? error.message : `could not reach Simkl (${(error as { code?: string }).code ?? 'network error'})`;
    return { kind: 'failed', state: 'error', message };
  }
  if (body.result === 'OK' && body.access_token) return { kind: 'authorized', tokens: tokensFromResponse({ access_token: body.access_token }) };
  // A consumed, refused or expired code is answered with a fresh init (a new device_code): stop.
  if (body.device_code) return { kind: 'failed', state: 'expired', message: 'the code expired or was refused; start again' };
  if (body.result === 'KO' && /slow\s*down/i.test(body.message ?? '')) return { kind: 'slow_down' };
  if (body.result === 'KO') return { kind: 'pending' };
  return { kind: 'failed', state: 'error', message: 'Simkl answered the PIN check with something unexpected; start again' };
}
