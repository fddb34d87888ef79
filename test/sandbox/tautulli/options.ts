import type { TautulliLibrary, TautulliSandboxOptions } from './types';

export interface ResolvedTautulliOptions {
  port: number;
  apiKey: string;
  apiEnabled: boolean;
  version: string;
  /** '' or '/path' without a trailing slash. */
  httpRoot: string;
  timezoneOffsetMinutes: number;
}

export const DEFAULT_API_KEY = 'sandbox-tautulli-key-0123456789ab';

export function resolveTautulliOptions(o: TautulliSandboxOptions): ResolvedTautulliOptions {
  const root = (o.httpRoot ?? '').replace(/\/+$/, '');
  return {
    port: o.port ?? 0,
    apiKey: o.apiKey ?? DEFAULT_API_KEY,
    apiEnabled: o.apiEnabled ?? true,
    version: o.version ?? 'v2.17.2',
    httpRoot: root === '' || root.startsWith('/') ? root : `/${root}`,
    timezoneOffsetMinutes: o.timezoneOffsetMinutes ?? 0,
  };
}

export const emptyLibrary = (): TautulliLibrary => ({ users: [], items: [], sessions: [], activity: [], expected: [] });
