import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LimiterOptions } from '../../lib/core/limiter';
import type { MediaItem } from '../../lib/schema/types';
import { StateStore } from '../../lib/store/state-store';
import { TokenStore, type StoredTokens } from '../../lib/store/token-store';
import { SyncLedger } from '../../lib/sync/ledger';
import { HistorySync, type HistorySyncOptions } from '../../lib/sync/history-sync';
import { createTraktAccount, type TraktAccount } from '../../lib/trakt/account';
import type { TraktSandbox } from '../sandbox';
import { expectedKey, sandboxKey, type GeneratedPlay } from '../sandbox/plays';

export const APP = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

export function tempStore(): StateStore {
  return new StateStore(join(mkdtempSync(join(tmpdir(), 'clawarr-e2e-')), 'clawarr'));
}

export function issuedTokens(sandbox: TraktSandbox): StoredTokens {
  const t = sandbox.state.issueTokens();
  return { accessToken: t.access_token, refreshToken: t.refresh_token, createdAt: t.created_at, expiresAt: t.created_at + t.expires_in, username: 'sandbox-user' };
}

/** A Trakt account wired as the config node wires it, persisting tokens to `store`. */
export function sandboxAccount(sandbox: TraktSandbox, store: StateStore, limits: LimiterOptions, extra: { timeoutMs?: number } = {}): TraktAccount {
  const tokenStore = new TokenStore(store);
  return createTraktAccount({
    apiUrl: sandbox.url,
    app: APP,
    tokens: tokenStore.get('cfg') ?? seed(tokenStore, sandbox),
    persist: (tokens) => tokenStore.set('cfg', tokens),
    limits,
    backoffBaseMs: 5,
    timeoutMs: extra.timeoutMs ?? 5000,
  });
}

function seed(tokenStore: TokenStore, sandbox: TraktSandbox): StoredTokens {
  const tokens = issuedTokens(sandbox);
  tokenStore.set('cfg', tokens);
  return tokens;
}

export async function syncAll(account: TraktAccount, store: StateStore, plays: GeneratedPlay[], options: HistorySyncOptions = {}) {
  const ledger = SyncLedger.open(store, await account.client.accountKey());
  return new HistorySync(account.client, ledger, options).sync(plays as MediaItem[]);
}

/** Compares the fake Trakt's history with the plays: every play exactly once, nothing else. */
export function historyDiff(sandbox: TraktSandbox, plays: GeneratedPlay[]): { missing: string[]; extra: string[]; duplicates: string[] } {
  const expected = new Set(plays.map((p) => expectedKey(sandbox.state.catalog, p)));
  const seen = new Map<string, number>();
  for (const play of sandbox.state.plays) seen.set(sandboxKey(play), (seen.get(sandboxKey(play)) ?? 0) + 1);
  return {
    missing: [...expected].filter((k) => !seen.has(k)),
    extra: [...seen.keys()].filter((k) => !expected.has(k)),
    duplicates: [...seen.entries()].filter(([, n]) => n > 1).map(([k]) => k),
  };
}

export function countRequests(sandbox: TraktSandbox, method: string, pathPrefix: string): number {
  return sandbox.state.requestLog.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
}
