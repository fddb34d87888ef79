import { AuthRequiredError, ClawarrError } from '../core/errors';
import { TokenSession, type SessionState } from '../store/token-session';
import type { StoredTokens } from '../store/token-store';
import type { SimklApp } from './oauth';

/** Only the shared states: with nothing to refresh, Simkl has no 'refreshing' (nodes show both trackers alike). */
export type SimklAuthState = SessionState;

/**
 * The stored token set. V1 has only the access token (it lasts years); the refresh fields of
 * StoredTokens stay free for Simkl's announced V2 flow. `accountId` keys the ledger by account.
 */
export interface SimklTokens extends StoredTokens {
  accountId?: number;
}

export interface SimklSessionOptions {
  app?: SimklApp;
  tokens?: SimklTokens;
  /** Persists the token set (a new authorization, or the account's name and id once learnt). */
  persist: (tokens: SimklTokens) => Promise<void> | void;
}

/**
 * The token of one Simkl account. Nothing refreshes: Simkl tokens do not expire, so a 401 means the
 * app was revoked and only the user can fix it. It goes straight to 'reauth_required', no retry.
 */
export class SimklSession extends TokenSession<SimklTokens> {
  constructor(options: SimklSessionOptions) {
    super(options, options.app?.clientSecret);
  }

  get accountId(): number | undefined {
    return this.tokens?.accountId;
  }

  /** Keeps the account's name and id with the token, so the ledger key needs no request next time. */
  async rememberAccount(account: { username?: string; accountId?: number }): Promise<void> {
    if (!this.tokens) return;
    const next = { ...this.tokens };
    if (account.username !== undefined) next.username = account.username;
    if (account.accountId !== undefined) next.accountId = account.accountId;
    if (next.username === this.tokens.username && next.accountId === this.tokens.accountId) return;
    this.tokens = next;
    await this.persist(next);
  }

  /** Runs `call` with the access token; a 401 ends the authorization at once (no refresh exists). */
  async withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    if (this.state === 'reauth_required') throw new AuthRequiredError('Simkl re-authorization required: open the simkl-config node and authorize again');
    if (!this.tokens) throw new AuthRequiredError('not authorized yet: open the simkl-config node and authorize with Simkl');
    const token = this.tokens.accessToken;
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof ClawarrError) || error.status !== 401) throw error;
      // A new authorization may have replaced the token while this call was out: it stands.
      if (this.tokens?.accessToken === token) this.setState('reauth_required');
      throw error instanceof AuthRequiredError ? error : new AuthRequiredError();
    }
  }
}
