import { EventEmitter } from 'node:events';
import { registerSecret } from '../core/redact';
import type { StoredTokens } from './token-store';

/** The states every tracker session reports; a tracker may add its own (Trakt: 'refreshing'). */
export type SessionState = 'unauthorized' | 'authorized' | 'reauth_required';

/** The part of a session's options this class reads (both trackers' options have it). */
export interface TokenSessionStore<T> {
  tokens?: T;
  persist: (tokens: T) => Promise<void> | void;
}

/**
 * What Trakt and Simkl sessions hold alike: one account's token set, its persistence, and a 'state'
 * event whenever the state changes (the config nodes redraw on it). How a token is used, refreshed or
 * given up is the tracker's: each subclass has its own withToken.
 */
export abstract class TokenSession<T extends StoredTokens, ExtraState extends string = never> extends EventEmitter {
  protected tokens?: T;
  private stateValue: SessionState | ExtraState;

  protected constructor(
    private readonly store: TokenSessionStore<T>,
    clientSecret: string | undefined,
  ) {
    super();
    this.tokens = store.tokens?.accessToken ? store.tokens : undefined;
    this.stateValue = this.tokens ? 'authorized' : 'unauthorized';
    registerSecret(clientSecret);
    registerSecret(this.tokens?.accessToken);
    registerSecret(this.tokens?.refreshToken);
  }

  get state(): SessionState | ExtraState {
    return this.stateValue;
  }

  get username(): string | undefined {
    return this.tokens?.username;
  }

  /** Replaces the tokens (a new authorization from the editor). */
  async setTokens(tokens: T): Promise<void> {
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
    await this.persist(tokens);
    this.tokens = tokens;
    this.setState('authorized');
  }

  async rememberUsername(username: string): Promise<void> {
    if (!this.tokens || this.tokens.username === username) return;
    this.tokens = { ...this.tokens, username };
    await this.persist(this.tokens);
  }

  /** Stores a token set through the caller's persist option. */
  protected persist(tokens: T): Promise<void> | void {
    return this.store.persist(tokens);
  }

  protected setState(state: SessionState | ExtraState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit('state', state);
  }
}
