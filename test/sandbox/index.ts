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
  Movie,
  Play,
  RequestLogEntry,
  Season,
  Show,
  TokenResponse,
  TraktSandboxOptions,
} from './trakt/types';

/** Alias of startTraktSandbox; Trakt is the only fake service so far. */
export function startSandbox(options?: TraktSandboxOptions): Promise<TraktSandbox> {
  return startTraktSandbox(options);
}
