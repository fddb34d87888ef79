/**
 * The server-side poll loop of a device/PIN authorization (RFC 8628 style), shared by Trakt's device
 * flow and Simkl's PIN flow. The trackers differ only in how a code is asked for and how one poll is
 * read; the schedule, "slow down", expiry and the status the editor sees are the same, so they live
 * here once. This module knows no tracker: each one subclasses DevicePoll.
 */

import type { HttpClient } from './http';

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

/** What one poll says. `F` narrows the failure states a tracker can report. */
export type PollOutcome<T, F extends DeviceState = DeviceState> =
  | { kind: 'authorized'; tokens: T }
  | { kind: 'pending' }
  | { kind: 'slow_down' }
  | { kind: 'failed'; state: F; message: string };

/** A code as a tracker issued it, already read into what the loop needs. */
export interface IssuedCode {
  /** What each poll sends. It never goes into a status (for Trakt it is the secret device code). */
  pollCode: string;
  userCode: string;
  verificationUrl: string;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** Seconds between polls, as the tracker asks. */
  interval: number;
}

/** The options of an authorization: the tracker's HTTP client and app, and what to do with the outcome. */
export interface DevicePollOptions<T, App> {
  http: HttpClient;
  app: App;
  /** Receives the tokens once approved; returns the username to show. */
  onAuthorized: (tokens: T) => Promise<string | undefined>;
  /** Overrides the server's poll interval (tests and the sandbox). */
  pollIntervalMs?: number;
  /** Called once when the authorization is over, whatever the outcome (to release its HTTP client). */
  onEnd?: () => void;
}

/** After "slow down", RFC 8628 says to wait 5 more seconds between polls (Trakt and Simkl follow it). */
const SLOW_DOWN_MS = 5000;

/**
 * One authorization, polled on the server so it completes even if the editor is closed. The poll code
 * never leaves this object; the editor only sees the user code, the link and the state.
 */
export abstract class DevicePoll<T, App> {
  private status: DeviceStatus = { state: 'pending' };
  private timer?: NodeJS.Timeout;
  private pollCode?: string;
  private expiresAtMs = 0;
  private intervalMs = 5000;
  private ended = false;

  constructor(protected readonly options: DevicePollOptions<T, App>) {}

  /** What failed to save, in the error message: "token" (Simkl's one) or "tokens" (Trakt's pair). */
  protected abstract readonly tokenWord: 'token' | 'tokens';

  /** Asks the tracker for a code to show the user. */
  protected abstract requestCode(): Promise<IssuedCode>;

  /** Asks the tracker once whether the code was approved. */
  protected abstract pollOnce(pollCode: string): Promise<PollOutcome<T>>;

  async start(): Promise<DeviceStatus> {
    const code = await this.requestCode();
    // Cancelled (editor closed, node deleted) while the code was being asked for: do not start polling.
    if (this.ended) return this.current();
    this.pollCode = code.pollCode;
    this.expiresAtMs = Date.now() + code.expiresIn * 1000;
    this.intervalMs = this.options.pollIntervalMs ?? code.interval * 1000;
    this.status = { state: 'pending', userCode: code.userCode, verificationUrl: code.verificationUrl };
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
    if (this.status.state !== 'pending' || !this.pollCode) return;
    if (Date.now() >= this.expiresAtMs) {
      this.finish('expired', 'the code expired before it was approved; start again');
      return;
    }
    const outcome = await this.pollOnce(this.pollCode);
    // Cancelled while the poll was out: its answer no longer counts.
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
          this.pollCode = undefined;
          this.status = { state: 'authorized', username, message: username ? `authorized as ${username}` : 'authorized' };
          this.end();
        } catch (error) {
          this.finish('error', `authorized, but the ${this.tokenWord} could not be saved: ${(error as Error).message}`);
        }
    }
  }

  private finish(state: DeviceState, message: string): void {
    // The code is spent: drop it so nothing can poll with it or show it later.
    this.pollCode = undefined;
    this.status = { state, message, userCode: this.status.userCode };
    this.end();
  }
}
