import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import axiosRetry, { type IAxiosRetryConfigExtended } from 'axios-retry';
import { backoffDelay } from './backoff';
import { ClawarrError, UncertainWriteError } from './errors';
import { AccountLimiter, parseRateLimitHeader } from './limiter';
import { redact, redactUrl } from './redact';
import { USER_AGENT } from './version';

export interface HttpOptions {
  baseURL: string;
  /** Extra headers on every request (api keys, api version). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Base of the 5xx / network back-off (1 s, 2 s, 4 s …). */
  backoffBaseMs?: number;
  /** Tries for 5xx and network errors on reads (the first try included). */
  maxTries?: number;
  /** Retries after a 429 before giving up (each waits what the server asked). */
  max429Retries?: number;
  limiter: AccountLimiter;
  /** Which service this is, for error messages ("Trakt", "Simkl"). */
  serviceName: string;
}

export interface RequestOptions {
  params?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Skip the account limiter (OAuth endpoints have their own rules). */
  unlimited?: boolean;
}

const SERVER_ERRORS = new Set([500, 502, 503, 504, 520, 521, 522, 524]);
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The HTTP core every provider uses: User-Agent, timeouts, per-account limits and the retry rules
 * of the reference (429 waits as told, 5xx and network errors back off on reads only; a write is
 * never re-sent blindly after it may have reached the server).
 */
export class HttpClient {
  readonly axios: AxiosInstance;
  readonly limiter: AccountLimiter;
  private readonly serviceName: string;

  constructor(options: HttpOptions) {
    this.limiter = options.limiter;
    this.serviceName = options.serviceName;
    const maxTries = options.maxTries ?? 3;
    const max429 = options.max429Retries ?? 12;
    const backoffBase = options.backoffBaseMs ?? 1000;
    this.axios = axios.create({
      baseURL: options.baseURL.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      headers: { 'User-Agent': USER_AGENT, 'Content-Type': 'application/json', ...options.headers },
      // Status handling is ours: axios must not throw before retry rules and error mapping run.
      validateStatus: (status) => status >= 200 && status < 300,
    });
    this.axios.interceptors.request.use(async (config) => {
      await this.limiter.gate.wait();
      return config;
    });
    // Reads are counted in the transport, after every interceptor and on each retry: what the tracker sees arrive.
    const transport = axios.getAdapter(this.axios.defaults.adapter);
    this.axios.defaults.adapter = async (config) => {
      if ((config.method ?? 'get').toLowerCase() === 'get') await this.limiter.takeReadSlot();
      return transport(config);
    };
    this.axios.interceptors.response.use((response) => {
      void this.limiter.observe(parseRateLimitHeader(response.headers['x-ratelimit']), isRead(response.config.method));
      return response;
    });
    axiosRetry(this.axios, {
      retries: Math.max(max429, maxTries - 1),
      shouldResetTimeout: true,
      retryCondition: (error) => {
        const tries = retryCountOf(error) + 1;
        const status = error.response?.status;
        if (status === 429) return tries <= max429;
        if (tries >= maxTries) return false;
        if (!error.response) {
          // A refused connection never reached the server: safe to resend, even a write.
          return NOT_SENT_CODES.has(error.code ?? '') || isRead(error.config?.method);
        }
        return status !== undefined && SERVER_ERRORS.has(status) && isRead(error.config?.method);
      },
      retryDelay: (retryCount, error) => {
        if (error.response?.status === 429) {
          const wait = retryAfterMs(error.response);
          this.limiter.gate.pauseUntil(Date.now() + wait);
          return wait;
        }
        return backoffDelay(retryCount, backoffBase);
      },
    });
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<AxiosResponse<T>> {
    return this.send<T>({ method: 'GET', url: path, params: options.params, headers: options.headers }, options);
  }

  async post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<AxiosResponse<T>> {
    return this.send<T>({ method: 'POST', url: path, data: body, params: options.params, headers: options.headers }, options);
  }

  async delete<T>(path: string, options: RequestOptions = {}): Promise<AxiosResponse<T>> {
    return this.send<T>({ method: 'DELETE', url: path, params: options.params, headers: options.headers }, options);
  }

  private async send<T>(config: AxiosRequestConfig, options: RequestOptions): Promise<AxiosResponse<T>> {
    const run = async (): Promise<AxiosResponse<T>> => {
      try {
        return await this.axios.request<T>(config);
      } catch (error) {
        throw this.toClawarrError(error, config);
      }
    };
    if (options.unlimited) return run();
    return isRead(config.method) ? this.limiter.read(run) : this.limiter.write(run);
  }

  /** Turns an axios error into a plain, redacted error (axios errors carry headers and bodies with secrets). */
  toClawarrError(error: unknown, config: AxiosRequestConfig): ClawarrError {
    if (error instanceof ClawarrError) return error;
    const e = error as AxiosError;
    const what = `${(config.method ?? 'GET').toUpperCase()} ${redactUrl(config.url)}`;
    const service = this.serviceName;
    const response = e.response;
    if (!response) {
      const reason = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? 'timed out' : `failed (${e.code ?? redact(String(e.message))})`;
      const message = `${service} ${what} ${reason}`;
      if (!isRead(config.method) && !NOT_SENT_CODES.has(e.code ?? '')) return new UncertainWriteError(`${message}; the write may have reached ${service}`);
      return new ClawarrError(message, 'network');
    }
    const status = response.status;
    const contentType = String(response.headers['content-type'] ?? '');
    const detail = describeBody(response.data, contentType);
    switch (true) {
      case status === 429:
        return new ClawarrError(`${service} rate limit: still refused after waiting as told (${what})`, 'rate_limited', status);
      case status === 403 && contentType.includes('text/html'):
        return new ClawarrError(`${service} blocked the request (403 from its firewall, ${what}); check the API URL and that requests carry a User-Agent`, 'blocked', status);
      case status === 403:
        return new ClawarrError(`${service} refused the API key (403): check the client id of the config node${detail}`, 'config', status);
      case status === 420:
        return new ClawarrError(`${service} account limit reached (420${limitOf(response)}): the account is over its free limits; remove items or upgrade`, 'account_limit', status);
      case status === 423:
        return new ClawarrError(`${service} account is locked (423): contact ${service} support; clawarr stops writing to it`, 'account_locked', status);
      case SERVER_ERRORS.has(status):
        if (!isRead(config.method)) return new UncertainWriteError(`${service} answered ${status} to ${what}; the write may have been applied`, status);
        return new ClawarrError(`${service} is having trouble (${status} on ${what}), tried ${retryCountOf(e) + 1} times`, 'server_error', status);
      case status === 404:
        return new ClawarrError(`${service} ${what}: not found (404)${detail}`, 'not_found', status);
      default:
        return new ClawarrError(`${service} ${what} failed with ${status}${detail}`, 'bad_request', status);
    }
  }
}

function isRead(method: string | undefined): boolean {
  return (method ?? 'get').toUpperCase() === 'GET';
}

function retryCountOf(error: AxiosError): number {
  const state = (error.config as (AxiosRequestConfig & { 'axios-retry'?: IAxiosRetryConfigExtended }) | undefined)?.['axios-retry'];
  return state?.retryCount ?? 0;
}

/** Retry-After is seconds (Trakt staff, trakt-api#219); X-Ratelimit.until is the fallback. */
export function retryAfterMs(response: AxiosResponse): number {
  // Only clawarr's loopback sandbox sends this (its time can run faster for tests); Trakt never does.
  const precise = Number(response.headers['x-sandbox-retry-after-ms']);
  if (Number.isFinite(precise) && precise > 0) return precise + 20;
  const seconds = Number(response.headers['retry-after']);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000 + 250;
  const info = parseRateLimitHeader(response.headers['x-ratelimit']);
  const until = info?.until ? Date.parse(info.until) : NaN;
  if (!Number.isNaN(until)) return Math.max(1000, until - Date.now() + 250);
  return 60_000;
}

function limitOf(response: AxiosResponse): string {
  const limit = response.headers['x-account-limit'];
  return limit ? `, limit ${String(limit)}` : '';
}

function describeBody(data: unknown, contentType: string): string {
  if (!data || contentType.includes('text/html')) return '';
  if (typeof data === 'object') {
    const d = data as Record<string, unknown>;
    const text = [d.error, d.error_description, d.message].filter((v) => typeof v === 'string').join(': ');
    return text ? `: ${redact(text)}` : '';
  }
  return typeof data === 'string' && data.length < 200 ? `: ${redact(data)}` : '';
}
