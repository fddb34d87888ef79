// Device-code flow records (RFC 8628 as implemented by Trakt's /oauth/device/* endpoints).
import crypto from 'node:crypto';

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'used';

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  expiresAt: number;
  status: DeviceStatus;
  lastPollAt?: number;
}

export const POLL_INTERVAL_SECONDS = 5;

/** Users type codes loosely; compare without case, spaces or dashes. */
const normalizeUserCode = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

export class DeviceCodeStore {
  private byDevice = new Map<string, DeviceCode>();
  private byUser = new Map<string, DeviceCode>();

  create(ttlSeconds: number, approved: boolean): DeviceCode {
    const dc: DeviceCode = {
      deviceCode: crypto.randomBytes(32).toString('hex'),
      // Same look as Trakt's sample ("5055CC52").
      userCode: crypto.randomBytes(4).toString('hex').toUpperCase(),
      expiresAt: Date.now() + ttlSeconds * 1000,
      status: approved ? 'approved' : 'pending',
    };
    this.byDevice.set(dc.deviceCode, dc);
    this.byUser.set(dc.userCode, dc);
    return dc;
  }

  byDeviceCode(code: string): DeviceCode | undefined {
    return this.byDevice.get(code);
  }

  byUserCode(code: string): DeviceCode | undefined {
    return this.byUser.get(normalizeUserCode(code));
  }

  /** Approve/deny only while the user could still act on the code; false otherwise. */
  decide(userCode: string, decision: 'approved' | 'denied'): boolean {
    const dc = this.byUserCode(userCode);
    if (!dc || dc.status !== 'pending' || Date.now() >= dc.expiresAt) return false;
    dc.status = decision;
    return true;
  }
}
