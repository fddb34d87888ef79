// Injected failures, consumed one per affected request (same semantics as the Trakt fake).
import type { SimklFaults } from './types';

export const noSimklFaults = (): SimklFaults => ({ status503: 0, resetNext: 0, delayMs: 0, delayNext: 0 });

/** Consumes one unit of a counter; true when the fault applies to this request. */
export function takeFault(faults: SimklFaults, name: 'status503' | 'resetNext' | 'delayNext'): boolean {
  if (faults[name] <= 0) return false;
  faults[name]--;
  return true;
}

/** Merges a control-endpoint body into the faults, ignoring unknown keys and bad values. */
export function mergeFaults(faults: SimklFaults, patch: unknown): void {
  if (!patch || typeof patch !== 'object') return;
  for (const [k, v] of Object.entries(patch)) {
    if (k in faults && typeof v === 'number' && Number.isFinite(v) && v >= 0) faults[k as keyof SimklFaults] = Math.floor(v);
  }
}
