// OAuth token bookkeeping with Trakt's rotation rule: a refresh token works exactly once and
// using it also revokes the access token it was issued with.
import crypto from 'node:crypto';
import type { TokenResponse } from './types';

export interface AccessRecord {
  token: string;
  refreshToken: string;
  username: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshRecord {
  token: string;
  accessToken: string;
  used: boolean;
}

export interface TokenSnapshot {
  access: AccessRecord[];
  refresh: RefreshRecord[];
}

export type AccessCheck = { ok: true; record: AccessRecord } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

const randomToken = (): string => crypto.randomBytes(32).toString('hex');

export class TokenStore {
  readonly access = new Map<string, AccessRecord>();
  readonly refresh = new Map<string, RefreshRecord>();

  constructor(
    private ttlSeconds: number,
    private onChange: () => void,
  ) {}

  issue(username: string): TokenResponse {
    // Whole seconds, because created_at + expires_in is how clients compute expiry.
    const createdAt = Math.floor(Date.now() / 1000) * 1000;
    const record: AccessRecord = {
      token: randomToken(),
      refreshToken: randomToken(),
      username,
      createdAt,
      expiresAt: createdAt + this.ttlSeconds * 1000,
      revoked: false,
    };
    this.access.set(record.token, record);
    this.refresh.set(record.refreshToken, { token: record.refreshToken, accessToken: record.token, used: false });
    this.onChange();
    return {
      access_token: record.token,
      token_type: 'bearer',
      expires_in: this.ttlSeconds,
      refresh_token: record.refreshToken,
      scope: 'public',
      created_at: createdAt / 1000,
    };
  }

  check(token: string): AccessCheck {
    const record = this.access.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (Date.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  /** Returns undefined when the refresh token is unknown or already used. */
  rotate(refreshToken: string): TokenResponse | undefined {
    const r = this.refresh.get(refreshToken);
    if (!r || r.used) return undefined;
    r.used = true;
    const old = this.access.get(r.accessToken);
    if (old) old.revoked = true;
    return this.issue(old?.username ?? '');
  }

  revoke(token: string): void {
    const a = this.access.get(token);
    if (a) a.revoked = true;
    const r = this.refresh.get(token);
    if (r) r.used = true;
    this.onChange();
  }

  expireAll(): void {
    const past = Date.now() - 1;
    for (const a of this.access.values()) a.expiresAt = Math.min(a.expiresAt, past);
    this.onChange();
  }

  snapshot(): TokenSnapshot {
    return { access: [...this.access.values()], refresh: [...this.refresh.values()] };
  }

  load(s: TokenSnapshot): void {
    for (const a of s.access) this.access.set(a.token, a);
    for (const r of s.refresh) this.refresh.set(r.token, r);
  }
}
