import type { HttpClient } from '../core/http';
import type { DeviceState, DeviceStatus } from '../trakt/device-authorization';
import { pollPin, requestPin, type SimklApp } from './oauth';
import type { SimklTokens } from './session';

export type { DeviceState, DeviceStatus };

export interface PinAuthorizationOptions {
  http: HttpClient;
  app: SimklApp;
  /** Receives the tokens once approved; returns the username to show. */
  onAuthorized: (tokens: SimklTokens) => Promise<string | undefined>;
  /** Overrides the server's poll interval (tests and the sandbox). */
  pollIntervalMs?: number;
  /** Called once when the authorization is over, whatever the outcome (to release its HTTP client). */
  onEnd?: () => void;
}

/** Simkl asks for 5 more seconds between polls after "Slow down" (the RFC 8628 rule). */
const SLOW_DOWN_MS = 5000;

/**
 * One Simkl PIN authorization, polled on the server so it completes even if the editor is closed.
 * Same surface as the Trakt DeviceAuthorization, so the config nodes drive both alike. Simkl polls
 * with the user code (its device_code is a placeholder); it is kept out of every status anyway.
 */
export class PinAuthorization {
  private status: DeviceStatus = { state: 'pending' };
  private timer?: NodeJS.Timeout;
  private userCode?: string;
  private expiresAtMs = 0;
  private intervalMs = 5000;
  private ended = false;

  constructor(private readonly options: PinAuthorizationOptions) {}

  async start(): Promise<DeviceStatus> {
    const code = await requestPin(this.options.http, this.options.app);
    this.userCode = code.user_code;
    this.expiresAtMs = Date.now() + (Number(code.expires_in) || 900) * 1000;
    this.intervalMs = this.options.pollIntervalMs ?? (Number(code.interval) || 5) * 1000;
    this.status = { state: 'pending', userCode: code.user_code, verificationUrl: verificationUrlOf(code.verification_url ?? code.verification_uri, code.user_code) };
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
    if (this.status.state !== 'pending' || !this.userCode) return;
    if (Date.now() >= this.expiresAtMs) {
      this.finish('expired', 'the code expired before it was approved; start again');
      return;
    }
    const outcome = await pollPin(this.options.http, this.options.app, this.userCode);
    if (this.status.state !== 'pending') return;
    switch (outcome.kind) {
      case 'pending':
        this.schedule();
        return;
      case 'slow_down':
        this.intervalMs += this.options.pollIntervalMs ?? SLOW_DOWN_MS;
        this.schedule();
        return;
      case 'failed':
        this.finish(outcome.state, outcome.message);
        return;
      case 'authorized':
        try {
          const username = await this.options.onAuthorized(outcome.tokens);
          this.status = { state: 'authorized', username, message: username ? `authorized as ${username}` : 'authorized' };
          this.end();
        } catch (error) {
          this.finish('error', `authorized, but the token could not be saved: ${(error as Error).message}`);
        }
    }
  }

  private finish(state: DeviceState, message: string): void {
    this.status = { state, message, userCode: this.status.userCode };
    this.end();
  }
}

/**
 * The page with the user code in its path (simkl.com/pin/5G6JAH fills it in, as Trakt's link
 * does), unless Simkl already put it there. The device code never goes into it.
 */
function verificationUrlOf(given: string | undefined, userCode: string): string {
  const base = (given || 'https://simkl.com/pin').replace(/\/+$/, '');
  return base.endsWith(`/${userCode}`) ? base : `${base}/${encodeURIComponent(userCode)}`;
}
