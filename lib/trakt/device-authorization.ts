import type { HttpClient } from '../core/http';
import type { StoredTokens } from '../store/token-store';
import { pollDeviceToken, requestDeviceCode, type AppCredentials } from './oauth';

export type DeviceState = 'pending' | 'authorized' | 'denied' | 'expired' | 'invalid' | 'used' | 'error' | 'cancelled';

export interface DeviceStatus {
  state: DeviceState;
  userCode?: string;
  verificationUrl?: string;
  /** Seconds left before the code expires. */
  expiresIn?: number;
  username?: string;
  message?: string;
}

export interface DeviceAuthorizationOptions {
  http: HttpClient;
  app: AppCredentials;
  /** Receives the tokens once approved; returns the username to show. */
  onAuthorized: (tokens: StoredTokens) => Promise<string | undefined>;
  /** Overrides the server's poll interval (tests and the sandbox). */
  pollIntervalMs?: number;
  /** Called once when the authorization is over, whatever the outcome (to release its HTTP client). */
  onEnd?: () => void;
}

/**
 * One device-code authorization, polled on the server so it completes even if the editor is closed.
 * The device code never leaves this object; the editor only sees the user code and the state.
 */
export class DeviceAuthorization {
  private status: DeviceStatus = { state: 'pending' };
  private timer?: NodeJS.Timeout;
  private deviceCode?: string;
  private expiresAtMs = 0;
  private intervalMs = 5000;

  constructor(private readonly options: DeviceAuthorizationOptions) {}

  async start(): Promise<DeviceStatus> {
    const code = await requestDeviceCode(this.options.http, this.options.app);
    this.deviceCode = code.device_code;
    this.expiresAtMs = Date.now() + code.expires_in * 1000;
    this.intervalMs = this.options.pollIntervalMs ?? code.interval * 1000;
    const base = code.verification_url.replace(/\/+$/, '');
    this.status = { state: 'pending', userCode: code.user_code, verificationUrl: `${base}/${code.user_code}` };
    this.schedule();
    return this.current();
  }

  current(): DeviceStatus {
    const status = { ...this.status };
    if (status.state === 'pending' && this.expiresAtMs) status.expiresIn = Math.max(0, Math.round((this.expiresAtMs - Date.now()) / 1000));
    return status;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status.state === 'pending') this.status = { ...this.status, state: 'cancelled', message: 'cancelled' };
    this.end();
  }

  private ended = false;

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd?.();
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.status.state !== 'pending' || !this.deviceCode) return;
    if (Date.now() >= this.expiresAtMs) {
      this.finish('expired', 'the code expired before it was approved; start again');
      return;
    }
    const outcome = await pollDeviceToken(this.options.http, this.options.app, this.deviceCode);
    if (this.status.state !== 'pending') return;
    switch (outcome.kind) {
      case 'pending':
        this.schedule();
        return;
      case 'slow_down':
        // Trakt asks us to poll less often; RFC 8628 says add 5 seconds.
        this.intervalMs += this.options.pollIntervalMs ?? 5000;
        this.schedule();
        return;
      case 'failed':
        this.finish(outcome.state, outcome.message);
        return;
      case 'authorized':
        try {
          const username = await this.options.onAuthorized(outcome.tokens);
          this.deviceCode = undefined;
          this.status = { state: 'authorized', username, message: username ? `authorized as ${username}` : 'authorized' };
          this.end();
        } catch (error) {
          this.finish('error', `authorized, but the tokens could not be saved: ${(error as Error).message}`);
        }
    }
  }

  private finish(state: DeviceState, message: string): void {
    this.deviceCode = undefined;
    this.status = { state, message, userCode: this.status.userCode };
    this.end();
  }
}
