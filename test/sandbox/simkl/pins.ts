// PIN (device) flow records. Simkl polls by user_code (the device_code is a literal placeholder),
// so the user code is the only key.
import crypto from 'node:crypto';

export type PinStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface Pin {
  userCode: string;
  status: PinStatus;
  expiresAt: number;
  lastPollAt?: number;
}

export const PIN_INTERVAL_SECONDS = 5;
// Same look as Simkl's sample ("5G6JAH"); no 0/O or 1/I so a user can type it from a TV screen.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const normalize = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

export class PinStore {
  private pins = new Map<string, Pin>();

  create(ttlSeconds: number, approved: boolean): Pin {
    let userCode = '';
    do userCode = Array.from({ length: 6 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join('');
    while (this.pins.has(userCode));
    const pin: Pin = { userCode, status: approved ? 'approved' : 'pending', expiresAt: Date.now() + ttlSeconds * 1000 };
    this.pins.set(userCode, pin);
    return pin;
  }

  get(userCode: string): Pin | undefined {
    return this.pins.get(normalize(userCode));
  }

  /** Approve/deny only while the user could still act on the code; false otherwise. */
  decide(userCode: string, decision: 'approved' | 'denied'): boolean {
    const pin = this.get(userCode);
    if (!pin || pin.status !== 'pending' || Date.now() >= pin.expiresAt) return false;
    pin.status = decision;
    return true;
  }
}
