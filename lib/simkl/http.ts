import type { AxiosRequestConfig } from 'axios';
import { HttpClient, type HttpOptions } from '../core/http';
import type { ClawarrError } from '../core/errors';
import { PACKAGE_VERSION } from '../core/version';
import { simklError } from './errors';

/** What Simkl's app analytics show this app as (`app-name` must be short and lower case). */
export const SIMKL_APP_NAME = 'clawarr';

export interface SimklHttpOptions extends HttpOptions {
  clientId: string;
}

/**
 * The shared HTTP core plus what Simkl asks of every request: `client_id`, `app-name` and
 * `app-version` as query parameters (POSTs too), and Simkl's error envelope turned into sentences.
 * Its 10 GETs per second are the account limiter's sliding window (SIMKL_LIMITS).
 */
export class SimklHttpClient extends HttpClient {
  constructor(options: SimklHttpOptions) {
    super(options);
    const required = { client_id: options.clientId, 'app-name': SIMKL_APP_NAME, 'app-version': PACKAGE_VERSION };
    this.axios.interceptors.request.use((config) => {
      if (config.params instanceof URLSearchParams) {
        for (const [key, value] of Object.entries(required)) config.params.set(key, value);
      } else {
        config.params = { ...(config.params as Record<string, unknown> | undefined), ...required };
      }
      return config;
    });
  }

  override toClawarrError(error: unknown, config: AxiosRequestConfig): ClawarrError {
    return simklError(error, config) ?? super.toClawarrError(error, config);
  }
}
