// Injected failures. Each counter is consumed by the request it affects.
import type { Faults } from './types';

export const noFaults = (): Faults => ({
  status503: 0,
  status500Processed: 0,
  resetNext: 0,
  resetAfterProcessNext: 0,
  delayMs: 0,
  delayNext: 0,
  delayAfterProcessMs: 0,
  delayAfterProcessNext: 0,
  storm429: 0,
  status420Next: 0,
  status423Next: 0,
});

/** Consumes one unit of a counter; true when the fault applies to this request. */
export function takeFault(faults: Faults, name: keyof Faults): boolean {
  if (faults[name] <= 0) return false;
  faults[name]--;
  return true;
}

/** Merges a control-endpoint body into the faults, ignoring unknown keys and bad values. */
export function mergeFaults(faults: Faults, patch: unknown): void {
  if (!patch || typeof patch !== 'object') return;
  for (const [k, v] of Object.entries(patch)) {
    if (k in faults && typeof v === 'number' && Number.isFinite(v) && v >= 0) faults[k as keyof Faults] = Math.floor(v);
  }
}
