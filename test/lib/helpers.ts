// Shared helpers for the lib unit tests (not a spec file: mocha only loads *.spec.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { AccountLimiter, type LimiterOptions } from '../../lib/core/limiter';
import type { HttpClient } from '../../lib/core/http';
import { StateStore } from '../../lib/store/state-store';
import { SyncLedger } from '../../lib/sync/ledger';
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

/**
 * Mocha hooks for the enclosing describe: no network but loopback while it runs, and every nock
 * interceptor dropped after each test. Call it before any afterEach that must run after the clean-up.
 */
export function useOfflineNock(): void {
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());
}

export function tempDir(prefix = 'clawarr-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface TempState {
  /** This test's temporary directory. */
  readonly dir: string;
  /** A StateStore on `dir` (or on the sub-directory asked for). */
  readonly store: StateStore;
}

/**
 * Mocha hooks for the enclosing describe: a fresh temporary directory and a StateStore in it for
 * every test, removed after it. `closeLedgers`: every SyncLedger is closed before the test and
 * before its directory goes (ledgers are shared per directory within the process).
 */
export function useTempState(options: { storeIn?: string; closeLedgers?: boolean } = {}): TempState {
  const state = {} as { dir: string; store: StateStore };
  beforeEach(() => {
    state.dir = tempDir();
    state.store = new StateStore(options.storeIn === undefined ? state.dir : join(state.dir, options.storeIn));
    if (options.closeLedgers) SyncLedger.closeAll();
  });
  afterEach(() => {
    if (options.closeLedgers) SyncLedger.closeAll();
    removeDir(state.dir);
  });
  return state;
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
