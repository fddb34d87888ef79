// Shared helpers for the lib unit tests (not a spec file: mocha only loads *.spec.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountLimiter, type LimiterOptions } from '../../lib/core/limiter';
import type { HttpClient } from '../../lib/core/http';
import { traktHttp } from '../../lib/trakt/account';

export const API = 'https://api.trakt.test';
export const CLIENT_ID = 'test-client-id-0001';
export const CLIENT_SECRET = 'test-client-secret-0001';
export const APP = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

/** Fast limits: no write spacing, a generous read reservoir. */
export const FAST_LIMITS: LimiterOptions = { writeSpacingMs: 0, readsPerWindow: 1000, readWindowMs: 60_000, readConcurrency: 4 };

export function fastTraktHttp(options: { limits?: LimiterOptions; timeoutMs?: number; backoffBaseMs?: number } = {}): { http: HttpClient; limiter: AccountLimiter } {
  const limiter = new AccountLimiter({ ...FAST_LIMITS, ...options.limits });
  const http = traktHttp(API, CLIENT_ID, limiter, { timeoutMs: options.timeoutMs ?? 2000, backoffBaseMs: options.backoffBaseMs ?? 5 });
  return { http, limiter };
}

export function tempDir(prefix = 'clawarr-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Awaits a promise that must reject and returns the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** A socket-level error for nock's replyWithError (nock 14 needs a real Error instance). */
export function netError(code: string, message = `${code} socket error`): Error {
  return Object.assign(new Error(message), { code });
}
