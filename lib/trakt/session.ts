import { AuthRequiredError, ClawarrError } from '../core/errors';
import type { HttpClient } from '../core/http';
import { registerSecret } from '../core/redact';
import { TokenSession, type SessionState } from '../store/token-session';
import type { StoredTokens } from '../store/token-store';
import { refreshTokens, type AppCredentials } from './oauth';

export type AuthState = SessionState | 'refreshing';

export interface SessionOptions {
  app: AppCredentials;
  tokens?: StoredTokens;
  /** Must persist durably before it resolves: the old refresh token is already revoked. */
  persist: (tokens: StoredTokens) => Promise<void> | void;
  /** Refresh this long before expiry (Trakt access tokens now live 24 h). */
  refreshMarginSeconds?: number;
}

/**
 * The token lifecycle of one Trakt account: proactive refresh from created_at + expires_in, one
 * refresh at a time (concurrent refreshes with a rotating token revoke each other), a single retry
 * after a 401, and a hard stop once Trakt rejects the refresh token.
 */
export class TraktSession extends TokenSession<StoredTokens, 'refreshing'> {
  private refreshing?: Promise<StoredTokens>;
  private readonly margin: number;

  constructor(
    private readonly http: HttpClient,
    private readonly options: SessionOptions,
  ) {
    super(options, options.app.clientSecret);
    this.margin = options.refreshMarginSeconds ?? 3600;
  }

  /** Runs `call` with a valid access token; after a 401 refreshes once and retries once. */
  async withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.validAccessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof ClawarrError) || error.status !== 401) throw error;
      const fresh = await this.refresh(token);
      return call(fresh.accessToken);
    }
  }

  private async validAccessToken(): Promise<string> {
    if (this.state === 'reauth_required') throw new AuthRequiredError();
    if (!this.tokens) throw new AuthRequiredError('not authorized yet: open the Trakt config node and press "Authorize with Trakt"');
    const expiresAt = this.tokens.expiresAt;
    if (expiresAt !== undefined && expiresAt - this.margin <= Date.now() / 1000 && this.tokens.refreshToken) {
      return (await this.refresh(this.tokens.accessToken)).accessToken;
    }
    return this.tokens.accessToken;
  }

  /**
   * Single flight: callers that saw the same stale token share one refresh; a caller whose token was
   * already replaced gets the new one without another refresh.
   */
  private refresh(staleAccessToken: string): Promise<StoredTokens> {
    if (this.tokens && this.tokens.accessToken !== staleAccessToken && !this.refreshing) return Promise.resolve(this.tokens);
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<StoredTokens> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) {
      this.setState('reauth_required');
      throw new AuthRequiredError('Trakt rejected the access token and there is no refresh token: authorize again');
    }
    this.setState('refreshing');
    let fresh: StoredTokens;
    try {
      fresh = await refreshTokens(this.http, this.options.app, refreshToken);
    } catch (error) {
      if (error instanceof ClawarrError && (error.status === 400 || error.status === 401)) {
        this.setState('reauth_required');
        throw new AuthRequiredError();
      }
      this.setState('authorized');
      throw error;
    }
    fresh.username ??= this.tokens?.username;
    registerSecret(fresh.accessToken);
    registerSecret(fresh.refreshToken);
    // Persist before use: if the process dies now, the next start must hold the only valid refresh token.
    await this.persist(fresh);
    this.tokens = fresh;
    this.setState('authorized');
    this.emit('refreshed', fresh);
    return fresh;
  }
}
