import type { AxiosError, AxiosRequestConfig } from 'axios';
import { AuthRequiredError, ClawarrError, type ClawarrErrorCode } from '../core/errors';
import { redactUrl } from '../core/redact';
import type { SimklErrorEnvelope } from './types';

/** The 20-second per-user lock answers 400 with this id, not 429 (SIMKL-DOCS scrobble-checkin). */
export const RATE_LIMIT_ID = 'rate_limit';

/** A Simkl refusal that callers branch on: its envelope id, and for a 409 what the conflict says. */
export class SimklApiError extends ClawarrError {
  constructor(
    message: string,
    code: ClawarrErrorCode,
    status: number,
    /** The envelope's `error` identifier (stable, unlike its message). */
    readonly simklError?: string,
    /** A 409's times: the earlier scrobble's watched_at, or when a check-in ends. */
    readonly conflict?: { watchedAt?: string; expiresAt?: string },
  ) {
    super(message, code, status);
    this.name = 'SimklApiError';
  }
}

export function isRateLimitLock(error: unknown): error is SimklApiError {
  return error instanceof SimklApiError && error.status === 400 && error.simklError?.toLowerCase() === RATE_LIMIT_ID;
}

/**
 * Simkl's own refusals as sentences a person can act on, branching on the envelope's `error` id.
 * Returns undefined for what the shared HTTP core already says well (5xx, 429, 404, network).
 */
export function simklError(error: unknown, config: AxiosRequestConfig): ClawarrError | undefined {
  const response = (error as AxiosError).response;
  if (!response) return undefined;
  const status = response.status;
  const body = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as SimklErrorEnvelope & Record<string, unknown>;
  const id = typeof body.error === 'string' ? body.error.toLowerCase() : undefined;
  const what = `${(config.method ?? 'GET').toUpperCase()} ${redactUrl(config.url)}`;

  if (status === 412 || id === 'client_id_failed') {
    return new SimklApiError('Simkl refused the client id (or its request limit is used up): check the client id of the simkl-config node', 'config', status, id);
  }
  if (id === 'grant_error') {
    return new SimklApiError('Simkl refused the authorization code (grant_error): it is wrong, used or expired; authorize again', 'auth_required', status, id);
  }
  if (status === 401) {
    // V1 tokens never expire, so a 401 means the user revoked the app (or the token is not Simkl's).
    return new AuthRequiredError('Simkl refused the access token (401): Simkl tokens do not expire, so the app was revoked on Simkl; authorize again in the simkl-config node');
  }
  if (status === 400 && id === RATE_LIMIT_ID) {
    return new SimklApiError(`Simkl is busy with another request of this account (400 RATE_LIMIT, its 20-second per-user lock) on ${what}`, 'rate_limited', status, id);
  }
  if (status === 409) {
    const conflict = { watchedAt: stringOf(body.watched_at), expiresAt: stringOf(body.expires_at) };
    return new SimklApiError(`Simkl ${what}: conflict (409)${conflict.expiresAt ? `, until ${conflict.expiresAt}` : ''}`, 'bad_request', status, id, conflict);
  }
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
