import type { PollOutcome } from '../core/device-poll';
import type { HttpClient } from '../core/http';
import { ClawarrError } from '../core/errors';
import type { StoredTokens } from '../store/token-store';
import type { TraktDeviceCode, TraktTokenResponse } from './types';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

/** For device-flow apps Trakt expects the out-of-band redirect on refresh (api-facts §1.3). */
const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';

export function tokensFromResponse(body: TraktTokenResponse, username?: string): StoredTokens {
  const createdAt = Number(body.created_at) || Math.floor(Date.now() / 1000);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    createdAt,
    expiresAt: createdAt + (Number(body.expires_in) || 0),
    username,
  };
}

export async function requestDeviceCode(http: HttpClient, app: AppCredentials): Promise<TraktDeviceCode> {
  const response = await http.post<TraktDeviceCode>('/oauth/device/code', { client_id: app.clientId }, { unlimited: true });
  return response.data;
}

export type DevicePollOutcome = PollOutcome<StoredTokens, 'invalid' | 'used' | 'expired' | 'denied' | 'error'>;

/** One poll of POST /oauth/device/token; the status code is the answer (bodies are undocumented). */
export async function pollDeviceToken(http: HttpClient, app: AppCredentials, deviceCode: string): Promise<DevicePollOutcome> {
  try {
    const response = await http.axios.post<TraktTokenResponse>(
      '/oauth/device/token',
      { code: deviceCode, client_id: app.clientId, client_secret: app.clientSecret },
      { validateStatus: () => true, 'axios-retry': { retries: 0 } } as object,
    );
    switch (response.status) {
      case 200:
        return { kind: 'authorized', tokens: tokensFromResponse(response.data) };
      case 400:
        return { kind: 'pending' };
      case 429:
        return { kind: 'slow_down' };
      case 404:
        return { kind: 'failed', state: 'invalid', message: 'Trakt does not know this code (404); start again' };
      case 409:
        return { kind: 'failed', state: 'used', message: 'this code was already used (409); start again' };
      case 410:
        return { kind: 'failed', state: 'expired', message: 'the code expired before it was approved (410); start again' };
      case 418:
        return { kind: 'failed', state: 'denied', message: 'authorization was denied on Trakt (418)' };
      case 401:
      case 403:
        return { kind: 'failed', state: 'error', message: `Trakt refused the client id or secret (${response.status}); check them` };
      default:
        return { kind: 'failed', state: 'error', message: `Trakt answered ${response.status} while waiting for approval` };
    }
  } catch (error) {
    const message = error instanceof ClawarrError ? error.message : `could not reach Trakt (${(error as { code?: string }).code ?? 'network error'})`;
    return { kind: 'failed', state: 'error', message };
  }
}

/** Exchanges a refresh token for a new pair; Trakt revokes the used refresh token. */
export async function refreshTokens(http: HttpClient, app: AppCredentials, refreshToken: string): Promise<StoredTokens> {
  const response = await http.post<TraktTokenResponse>(
    '/oauth/token',
    {
      refresh_token: refreshToken,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: OOB_REDIRECT,
      grant_type: 'refresh_token',
    },
    { unlimited: true },
  );
  return tokensFromResponse(response.data);
}
