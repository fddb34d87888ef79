// Access tokens and OAuth authorization codes. Simkl tokens never expire and have no refresh
// token; a 401 means the user revoked the app (revoke() simulates that).
import crypto from 'node:crypto';

export interface SimklTokenRecord {
  token: string;
  username: string;
  createdAt: number;
  revoked: boolean;
}

interface AuthCode {
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

// OAuth codes are short-lived everywhere; Simkl does not document its value.
const CODE_TTL_MS = 10 * 60_000;

const randomHex = (): string => crypto.randomBytes(32).toString('hex');

export class SimklTokenStore {
  readonly access = new Map<string, SimklTokenRecord>();
  private codes = new Map<string, AuthCode>();

  constructor(private onChange: () => void) {}

  issue(username: string): string {
    const record: SimklTokenRecord = { token: randomHex(), username, createdAt: Date.now(), revoked: false };
    this.access.set(record.token, record);
    this.onChange();
    return record.token;
  }

  check(token: string): SimklTokenRecord | undefined {
    const record = this.access.get(token);
    return record && !record.revoked ? record : undefined;
  }

  revoke(token: string): void {
    const record = this.access.get(token);
    if (record) record.revoked = true;
    this.onChange();
  }

  issueCode(redirectUri: string): string {
    const code = randomHex();
    this.codes.set(code, { redirectUri, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** A code works once, before it expires, with the redirect_uri it was issued for. */
  redeemCode(code: string, redirectUri: unknown): boolean {
    const c = this.codes.get(code);
    if (!c || c.used || Date.now() >= c.expiresAt || c.redirectUri !== redirectUri) return false;
    c.used = true;
    return true;
  }

  snapshot(): SimklTokenRecord[] {
    return [...this.access.values()];
  }

  load(records: SimklTokenRecord[]): void {
    for (const r of records) this.access.set(r.token, r);
  }
}
