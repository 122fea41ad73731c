// Configuration of the RIPE Atlas client, with the defaults a production run uses.

import type { Dispatcher } from 'undici';
import { AtlasConfigError } from './errors.js';

export interface AtlasClientConfig {
  /** Origin of the API; default https://atlas.ripe.net. */
  readonly baseUrl?: string;
  /** Sent as `Authorization: Key <apiKey>`; public measurements and probes need none. */
  readonly apiKey?: string;
  /** Applies separately to waiting for response headers and to each gap between body chunks. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, timeouts and connection errors. */
  readonly maxRetries?: number;
  /** Any response body larger than this is aborted with AtlasResponseTooLarge, streams included. */
  readonly maxResponseBytes?: number;
  /** A results line longer than this becomes an AtlasLineError; keeps streaming memory bounded. */
  readonly maxLineBytes?: number;
  /** First backoff step; later steps double, with full jitter. */
  readonly retryBaseDelayMs?: number;
  /** Longest single wait; a Retry-After asking for more is not honoured and the 429 is thrown. */
  readonly maxRetryDelayMs?: number;
  readonly dispatcher?: Dispatcher;
  readonly userAgent?: string;
  /** Seams for tests: how to wait and where jitter comes from. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export interface ResolvedAtlasConfig {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxResponseBytes: number;
  readonly maxLineBytes: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly dispatcher: Dispatcher | undefined;
  readonly userAgent: string;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export const ATLAS_DEFAULTS = {
  baseUrl: 'https://atlas.ripe.net',
  timeoutMs: 30_000,
  maxRetries: 4,
  // A year of one-minute results from one probe is about 525,600 lines; leave room for that.
  maxResponseBytes: 512 * 1024 * 1024,
  maxLineBytes: 4 * 1024 * 1024,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 60_000,
  userAgent: 'ga-steer-atlas-client/0.1',
} as const;

/** Validates the configuration; the API key is checked but never quoted. */
export function resolveAtlasConfig(config: AtlasClientConfig): ResolvedAtlasConfig {
  let baseUrl: URL;
  try {
    baseUrl = new URL(config.baseUrl ?? ATLAS_DEFAULTS.baseUrl);
  } catch {
    throw new AtlasConfigError('baseUrl', 'is not a URL');
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') throw new AtlasConfigError('baseUrl', 'must be http(s)');
  if (baseUrl.username !== '' || baseUrl.password !== '') throw new AtlasConfigError('baseUrl', 'must not carry credentials');
  if (config.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(config.apiKey)) {
    throw new AtlasConfigError('apiKey', 'must be non-empty printable ASCII without spaces');
  }
  return {
    baseUrl: new URL(baseUrl.origin + baseUrl.pathname.replace(/\/+$/, '')),
    timeoutMs: positiveInt('timeoutMs', config.timeoutMs ?? ATLAS_DEFAULTS.timeoutMs),
    maxRetries: nonNegativeInt('maxRetries', config.maxRetries ?? ATLAS_DEFAULTS.maxRetries),
    maxResponseBytes: positiveInt('maxResponseBytes', config.maxResponseBytes ?? ATLAS_DEFAULTS.maxResponseBytes),
    maxLineBytes: positiveInt('maxLineBytes', config.maxLineBytes ?? ATLAS_DEFAULTS.maxLineBytes),
    retryBaseDelayMs: nonNegativeInt('retryBaseDelayMs', config.retryBaseDelayMs ?? ATLAS_DEFAULTS.retryBaseDelayMs),
    maxRetryDelayMs: nonNegativeInt('maxRetryDelayMs', config.maxRetryDelayMs ?? ATLAS_DEFAULTS.maxRetryDelayMs),
    dispatcher: config.dispatcher,
    userAgent: config.userAgent ?? ATLAS_DEFAULTS.userAgent,
    sleep: config.sleep ?? abortableSleep,
    random: config.random ?? Math.random,
  };
}

function positiveInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new AtlasConfigError(field, 'must be a positive integer');
  return value;
}

function nonNegativeInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new AtlasConfigError(field, 'must be a non-negative integer');
  return value;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
