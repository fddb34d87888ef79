import type { ResolvedOptions, TraktSandboxOptions } from './types';

export const DEFAULT_CATALOG = { movies: 2000, shows: 100, seasonsPerShow: 5, episodesPerSeason: 10 };

export function resolveOptions(o: TraktSandboxOptions = {}): ResolvedOptions {
  const timeScale = o.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('timeScale must be > 0');
  return {
    port: o.port ?? 0,
    clientId: o.clientId ?? 'sandbox-client-id',
    clientSecret: o.clientSecret ?? 'sandbox-client-secret',
    accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 86400,
    // Trakt staff: the real GET ceiling is 500 per 5 minutes, not the documented 1000.
    getLimit: o.getLimit ?? 500,
    getWindowSeconds: o.getWindowSeconds ?? 300,
    postPerSecond: o.postPerSecond ?? 1,
    timeScale,
    autoApprove: o.autoApprove ?? false,
    username: o.username ?? 'sandbox-user',
    catalog: { ...DEFAULT_CATALOG, ...o.catalog },
    stateFile: o.stateFile,
    deviceCodeTtlSeconds: o.deviceCodeTtlSeconds ?? 600,
    watchlistLimit: o.watchlistLimit ?? 250,
  };
}
