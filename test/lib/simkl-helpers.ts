// Shared set-up for the Simkl unit tests (not a spec file: mocha only loads *.spec.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpClient } from '../../lib/core/http';
import { AccountLimiter, type LimiterOptions } from '../../lib/core/limiter';
import { PACKAGE_VERSION } from '../../lib/core/version';
import { simklHttp } from '../../lib/simkl/account';
import { SimklClient, type SimklClientOptions } from '../../lib/simkl/client';
import type { SimklApp } from '../../lib/simkl/oauth';
import { SimklSession } from '../../lib/simkl/session';
import { FAST_LIMITS, useOfflineNock } from './helpers';

export const SIMKL_API = 'https://api.simkl.test';

/** The query Simkl wants on every call: client_id, app-name and app-version. */
export function simklRequired(clientId: string): Record<string, string> {
  return { client_id: clientId, 'app-name': 'clawarr', 'app-version': PACKAGE_VERSION };
}

/** A JSON sample from test/fixtures/simkl. */
export function simklFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'simkl', name), 'utf8')) as Record<string, unknown>;
}

export interface SimklTestClientOptions extends SimklClientOptions {
  /** The access token the session holds; none: not authorized. */
  token?: string;
  app?: SimklApp;
  limits?: LimiterOptions;
}

export interface SimklTestbed {
  /** Limiters to stop after the current test (the ones made here are in already). */
  limiters: AccountLimiter[];
  /** The HTTP core against SIMKL_API, on a fresh limiter (fast limits unless told). */
  http(limits?: LimiterOptions): HttpClient;
  /** A client on a fresh HTTP core, with a session that persists nothing. */
  client(options?: SimklTestClientOptions): SimklClient;
}

/**
 * For the enclosing describe: no network but loopback and nock, interceptors dropped and limiters
 * stopped after each test. Returns the factories for the app with `clientId`.
 */
export function simklTestbed(clientId: string): SimklTestbed {
  const limiters: AccountLimiter[] = [];
  useOfflineNock();
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.stop()));
  });

  function http(limits: LimiterOptions = FAST_LIMITS): HttpClient {
    const limiter = new AccountLimiter(limits);
    limiters.push(limiter);
    return simklHttp(SIMKL_API, clientId, limiter, { timeoutMs: 2000, backoffBaseMs: 5 });
  }

  function client({ token, app, limits, ...clientOptions }: SimklTestClientOptions = {}): SimklClient {
    const session = new SimklSession({ app, tokens: token === undefined ? undefined : { accessToken: token }, persist: () => undefined });
    return new SimklClient(http(limits), session, clientOptions);
  }

  return { limiters, http, client };
}
