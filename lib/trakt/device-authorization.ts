import { DevicePoll, type DevicePollOptions, type IssuedCode, type PollOutcome } from '../core/device-poll';
import type { StoredTokens } from '../store/token-store';
import { pollDeviceToken, requestDeviceCode, type AppCredentials } from './oauth';

// The states and status live with the shared poll loop; re-exported here, where nodes and tests import them.
export type { DeviceState, DeviceStatus } from '../core/device-poll';

export type DeviceAuthorizationOptions = DevicePollOptions<StoredTokens, AppCredentials>;

/**
 * One Trakt device-code authorization. The loop is DevicePoll's; this says how Trakt hands out a code
 * and answers a poll. The device code is what each poll sends, so it never reaches a status.
 */
export class DeviceAuthorization extends DevicePoll<StoredTokens, AppCredentials> {
  protected readonly tokenWord = 'tokens';

  protected override async requestCode(): Promise<IssuedCode> {
    const code = await requestDeviceCode(this.options.http, this.options.app);
    const base = code.verification_url.replace(/\/+$/, '');
    return {
      pollCode: code.device_code,
      userCode: code.user_code,
      verificationUrl: `${base}/${code.user_code}`,
      expiresIn: code.expires_in,
      interval: code.interval,
    };
  }

  protected override pollOnce(deviceCode: string): Promise<PollOutcome<StoredTokens>> {
    return pollDeviceToken(this.options.http, this.options.app, deviceCode);
  }
}
