import { DevicePoll, type DevicePollOptions, type IssuedCode, type PollOutcome } from '../core/device-poll';
import { pollPin, requestPin, type SimklApp } from './oauth';
import type { SimklTokens } from './session';

// The same states and status as the Trakt DeviceAuthorization: the config nodes drive both alike.
export type { DeviceState, DeviceStatus } from '../core/device-poll';

export type PinAuthorizationOptions = DevicePollOptions<SimklTokens, SimklApp>;

/**
 * One Simkl PIN authorization. The loop is DevicePoll's; this says how Simkl hands out a PIN and
 * answers a poll. Simkl polls with the user code (its device_code is a placeholder), which the loop
 * keeps out of every status anyway.
 */
export class PinAuthorization extends DevicePoll<SimklTokens, SimklApp> {
  protected readonly tokenWord = 'token';

  protected override async requestCode(): Promise<IssuedCode> {
    const code = await requestPin(this.options.http, this.options.app);
    return {
      pollCode: code.user_code,
      userCode: code.user_code,
      verificationUrl: verificationUrlOf(code.verification_url ?? code.verification_uri, code.user_code),
      // Read defensively: a missing or non-numeric value falls back to 15 minutes and 5 seconds.
      expiresIn: Number(code.expires_in) || 900,
      interval: Number(code.interval) || 5,
    };
  }

  protected override pollOnce(userCode: string): Promise<PollOutcome<SimklTokens>> {
    return pollPin(this.options.http, this.options.app, userCode);
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
