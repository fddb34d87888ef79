// Public entry of the test sandbox (fake third-party APIs on loopback).
import { startTraktSandbox, type TraktSandbox } from './trakt/server';
import type { TraktSandboxOptions } from './trakt/types';

export { catalogFor } from './trakt/catalog';
export { TraktState } from './trakt/state';
export { startTraktSandbox } from './trakt/server';
export type { TraktSandbox } from './trakt/server';
export type {
  Catalog,
  CatalogOptions,
  Episode,
  Faults,
  ActiveCheckin,
  Movie,
  Play,
  Playback,
  RequestLogEntry,
  ScrobbleLogEntry,
  Season,
  Show,
  TokenResponse,
  TraktSandboxOptions,
} from './trakt/types';

export { startTautulliSandbox } from './tautulli/server';
export type { TautulliSandbox } from './tautulli/server';
export { TautulliState } from './tautulli/state';
export type { NewSitting } from './tautulli/state';
export { DEFAULT_API_KEY as TAUTULLI_SANDBOX_API_KEY } from './tautulli/options';
export { generateTautulliLibrary, libraryStats } from './tautulli/library';
export type { LibraryStats, TautulliLibraryOptions } from './tautulli/library';
export type {
  Device,
  ExpectedPlay,
  GuidKind,
  TautulliActivity,
  TautulliFaults,
  TautulliItem,
  TautulliLibrary,
  TautulliRequestLogEntry,
  TautulliSandboxOptions,
  TautulliSession,
  TautulliUser,
} from './tautulli/types';

export { startSimklSandbox } from './simkl/server';
export type { SimklSandbox } from './simkl/server';
export { SimklState } from './simkl/state';
export { simklCatalogFor } from './simkl/catalog';
export type { SimklActivities } from './simkl/activities';
export type {
  SimklCatalog,
  SimklFaults,
  SimklMovie,
  SimklPlay,
  SimklPlayback,
  SimklRequestLogEntry,
  SimklSandboxOptions,
  SimklScrobbleLogEntry,
  SimklShow,
} from './simkl/types';

/** Alias of startTraktSandbox (the Trakt fake; start the Tautulli one with startTautulliSandbox). */
export function startSandbox(options?: TraktSandboxOptions): Promise<TraktSandbox> {
  return startTraktSandbox(options);
}
