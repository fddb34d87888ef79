import type { AxiosError } from 'axios';
import { ClawarrError } from '../core/errors';
import { redact } from '../core/redact';
import type { TautulliEnvelope } from './types';

/** Sentences for Tautulli failures: what went wrong and where to fix it, never the API key. */
export const MESSAGES = {
  badKey: 'Tautulli refused the API key: copy it from Tautulli → Settings → Web Interface → API key',
  noKey: 'Tautulli API key is missing: copy it from Tautulli → Settings → Web Interface → API key',
  apiOff: "Tautulli's API is turned off: enable it in Settings → Web Interface",
  internal: 'Tautulli had an internal error (check its logs)',
  webPage: (url: string) => `${url} answered with a web page, not Tautulli's API: check the URL (and the HTTP root if Tautulli has one)`,
  unreachable: (url: string, why: string) => `Tautulli is not reachable at ${url} (${why})`,
  other: (message: string) => `Tautulli: ${message}`,
};

export function isEnvelope(data: unknown): data is TautulliEnvelope<unknown> {
  if (typeof data !== 'object' || data === null) return false;
  const response = (data as { response?: unknown }).response;
  return typeof response === 'object' && response !== null && 'result' in response;
}

/** The error for an envelope with result "error" (Tautulli answers those with HTTP 400, exceptions with 500). */
export function envelopeError(envelope: TautulliEnvelope<unknown>, status?: number): ClawarrError {
  const message = String(envelope.response.message ?? '');
  if (/invalid api\s*key/i.test(message)) return new ClawarrError(MESSAGES.badKey, 'config', status);
  if (/api not enabled/i.test(message)) return new ClawarrError(MESSAGES.apiOff, 'config', status);
  if (status === 500) return new ClawarrError(MESSAGES.internal, 'server_error', status);
  // "Unknown command: x. Possible commands are: …" lists every command; the first sentence is the news.
  const short = message.replace(/\.\s*Possible commands are:.*$/s, '').slice(0, 300) || 'unknown error';
  return new ClawarrError(MESSAGES.other(redact(short)), 'bad_request', status);
}

/** Maps whatever axios threw (after its retries) to one of the sentences above. */
export function tautulliError(error: unknown, url: string): ClawarrError {
  if (error instanceof ClawarrError) return error;
  const e = error as AxiosError;
  const response = e.response;
  if (!response) return new ClawarrError(MESSAGES.unreachable(url, networkReason(e)), 'network');
  const status = response.status;
  if (isEnvelope(response.data)) return envelopeError(response.data, status);
  if (status === 500) return new ClawarrError(MESSAGES.internal, 'server_error', status);
  if (status > 500) return new ClawarrError(`Tautulli at ${url} is having trouble (HTTP ${status}); try again later`, 'server_error', status);
  return new ClawarrError(MESSAGES.webPage(url), 'config', status);
}

function networkReason(error: AxiosError): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused: is Tautulli running, and is the port right?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return redact(error.code ?? error.message ?? 'network error');
  }
}
