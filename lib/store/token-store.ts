import { createHash } from 'node:crypto';
import type { StateStore } from './state-store';

/** A tracker token set as clawarr keeps it (times as epoch seconds, like Trakt's created_at). */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch seconds when the access token expires (created_at + expires_in). */
  expiresAt?: number;
  /** Epoch seconds when the pair was issued; the newer pair wins at start-up. */
  createdAt?: number;
  username?: string;
  /** Short hashes of access tokens this entry held before (to recognise stale copies in the flow's credentials). */
  previous?: string[];
}

type TokenFile = Record<string, StoredTokens>;

const FILE = 'tokens.json';

/**
 * Tokens survive restarts here, because Node-RED writes runtime-added credentials to disk only on
 * the next deploy (node-red#1055) and Trakt refresh tokens are single-use.
 */
export class TokenStore {
  constructor(private readonly store: StateStore) {}

  get(key: string): StoredTokens | undefined {
    return this.store.readJson<TokenFile>(FILE, {})[key];
  }

  set(key: string, tokens: StoredTokens): void {
    const all = this.store.readJson<TokenFile>(FILE, {});
    const before = all[key];
    const previous = [...(before?.previous ?? [])];
    if (before?.accessToken && before.accessToken !== tokens.accessToken) previous.push(tokenHash(before.accessToken));
    all[key] = { ...tokens, previous: previous.slice(-50) };
    this.store.writeJson(FILE, all);
  }

  delete(key: string): void {
    const all = this.store.readJson<TokenFile>(FILE, {});
    if (!(key in all)) return;
    delete all[key];
    this.store.writeJson(FILE, all);
  }
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * Chooses the tokens to start with. The token store is written on every refresh; the flow's
 * credentials only on deploy, so they are usually an older copy. They win only when they hold a
 * token the store never had: the user pasted new tokens in the editor.
 */
export function startupTokens(fromCredentials: StoredTokens | undefined, stored: StoredTokens | undefined): StoredTokens | undefined {
  if (!fromCredentials?.accessToken) return stored?.accessToken ? stored : undefined;
  if (!stored?.accessToken) return fromCredentials;
  if (fromCredentials.accessToken === stored.accessToken) return stored;
  if (stored.previous?.includes(tokenHash(fromCredentials.accessToken))) return stored;
  return fromCredentials;
}
