import { DEFAULT_CATALOG } from '../trakt/options';
import type { ResolvedSimklOptions, SimklSandboxOptions } from './types';

export function resolveSimklOptions(o: SimklSandboxOptions = {}): ResolvedSimklOptions {
  const timeScale = o.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('timeScale must be > 0');
  return {
    port: o.port ?? 0,
    clientId: o.clientId ?? 'sandbox-simkl-client-id',
    clientSecret: o.clientSecret ?? 'sandbox-simkl-client-secret',
    timeScale,
    autoApprove: o.autoApprove ?? false,
    username: o.username ?? 'sandbox-simkl-user',
    getPerSecond: o.getPerSecond ?? 10,
    postPerSecond: o.postPerSecond ?? 1,
    catalog: { ...DEFAULT_CATALOG, ...o.catalog },
    stateFile: o.stateFile,
    scrobbleDelayMs: o.scrobbleDelayMs ?? 0,
    syncDelayMs: o.syncDelayMs ?? 0,
    pinTtlSeconds: o.pinTtlSeconds ?? 900,
  };
}
