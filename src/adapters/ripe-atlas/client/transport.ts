// One HTTP exchange with the RIPE Atlas API on undici: headers, timeouts, retries with backoff,
// the response size cap, and error mapping. undici's own errors are never rethrown, because they
// can carry request details; only their code survives into the typed errors.

import type { Dispatcher } from 'undici';
import { request } from '../../http/undici-request.js';
import { parseApiErrorBody } from './api-error-body.js';
import type { ResolvedAtlasConfig } from './config.js';
import {
  AtlasApiError,
  AtlasConnectionError,
  AtlasError,
  AtlasResponseFormatError,
  AtlasResponseTooLarge,
  AtlasTimeoutError,
} from './errors.js';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry-policy.js';
import { excerptOf } from './secret.js';

/** How much of an error body is read: enough for the API's error object, not a whole HTML page. */
const ERROR_BODY_BYTES = 64 * 1024;

const BODY_TIMEOUT_CODE = 'ATLAS_BODY_TIMEOUT';

export type ResponseBody = Dispatcher.ResponseData['body'];

export interface OpenResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: ResponseBody;
}

export interface ExchangeSpec<T> {
  readonly method: 'GET' | 'POST';
  /** Path and query, starting with /api/v2/. */
  readonly path: string;
  readonly json?: unknown;
  readonly signal?: AbortSignal;
  /**
   * What to do with a 2xx response. Timeouts and connection errors thrown while reading it are
   * retried like any other (for idempotent requests); typed client errors are not.
   */
  readonly consume: (res: OpenResponse, path: string) => Promise<T>;
}

type Outcome<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'status'; readonly error: AtlasApiError; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'failure'; readonly failure: Failure };

type Failure = { readonly kind: 'timeout'; readonly phase: 'headers' | 'body' } | { readonly kind: 'connection'; readonly code: string };

export class AtlasTransport {
  readonly #config: ResolvedAtlasConfig;
  readonly #apiKey: string | undefined;
  readonly #origin: string;

  constructor(config: ResolvedAtlasConfig, apiKey: string | undefined) {
    this.#config = config;
    this.#apiKey = apiKey;
    this.#origin = config.baseUrl.href.replace(/\/+$/, '');
  }

  get origin(): string {
    return this.#origin;
  }

  /** Server text, scrubbed of the key, cut to a short excerpt. */
  excerpt(text: string, max?: number): string {
    return excerptOf(text, this.#apiKey, max);
  }

  /**
   * Turns a `next` link into a path below the base URL, refusing links elsewhere (the key must not
   * travel there). A base URL with a path prefix keeps it: the result is relative to the prefix.
   */
  pathOfLink(link: string): string | undefined {
    const base = new URL(`${this.#origin}/`);
    let url: URL;
    try {
      url = new URL(link, base);
    } catch {
      return undefined;
    }
    if (url.origin !== base.origin || url.username !== '' || url.password !== '' || !url.pathname.startsWith(base.pathname)) return undefined;
    return url.pathname.slice(base.pathname.length - 1) + url.search;
  }

  async exchange<T>(spec: ExchangeSpec<T>): Promise<T> {
    const idempotent = spec.method === 'GET';
    const url = this.#origin + spec.path;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.#config.userAgent,
    };
    if (this.#apiKey !== undefined) headers['authorization'] = `Key ${this.#apiKey}`;
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    }

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(spec, url, headers, body, attempt);
      if (outcome.kind === 'done') return outcome.value;
      const canRetry = attempt <= this.#config.maxRetries;
      if (outcome.kind === 'status') {
        const status = outcome.error.status;
        // A POST is retried only on 429: the server refused it before doing anything.
        const retryable = isRetryableStatus(status) && (idempotent || status === 429);
        if (!retryable || !canRetry) throw outcome.error;
        const delay = retryDelayMs(attempt - 1, outcome.retryAfterMs, this.#config);
        if (delay === undefined) throw outcome.error;
        await this.#config.sleep(delay, spec.signal);
        continue;
      }
      const failure = outcome.failure;
      // A refused connection means nothing was sent, so even a POST may try again.
      const retryable = isRetryableFailure(failure) && (idempotent || (failure.kind === 'connection' && failure.code === 'ECONNREFUSED'));
      if (!retryable || !canRetry) {
        throw failure.kind === 'timeout'
          ? new AtlasTimeoutError(spec.method, spec.path, failure.phase, this.#config.timeoutMs, attempt)
          : new AtlasConnectionError(spec.method, spec.path, failure.code, attempt);
      }
      await this.#config.sleep(retryDelayMs(attempt - 1, undefined, this.#config) ?? 0, spec.signal);
    }
  }

  async #attempt<T>(spec: ExchangeSpec<T>, url: string, headers: Record<string, string>, body: string | undefined, attempt: number): Promise<Outcome<T>> {
    let res: Dispatcher.ResponseData;
    // Our own timer: undici checks its timeouts on a coarse (about one second) clock; its
    // headersTimeout/bodyTimeout stay set as a backstop.
    const headersDeadline = new AbortController();
    const timer = setTimeout(() => headersDeadline.abort(), this.#config.timeoutMs);
    try {
      res = await request(url, {
        method: spec.method,
        headers,
        body,
        headersTimeout: this.#config.timeoutMs,
        bodyTimeout: this.#config.timeoutMs,
        signal: spec.signal === undefined ? headersDeadline.signal : AbortSignal.any([spec.signal, headersDeadline.signal]),
        dispatcher: this.#config.dispatcher,
      });
    } catch (e) {
      throwIfAborted(spec.signal);
      return { kind: 'failure', failure: headersDeadline.signal.aborted ? { kind: 'timeout', phase: 'headers' } : classify(e) };
    } finally {
      clearTimeout(timer);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      try {
        return { kind: 'done', value: await spec.consume({ status: res.statusCode, headers: res.headers, body: res.body }, spec.path) };
      } catch (e) {
        res.body.destroy();
        if (e instanceof AtlasError) throw e;
        throwIfAborted(spec.signal);
        return { kind: 'failure', failure: classify(e) };
      }
    }
    const text = await readErrorText(res.body);
    const apiError = parseApiErrorBody(text, this.#apiKey);
    return {
      kind: 'status',
      error: new AtlasApiError(spec.method, spec.path, res.statusCode, apiError, excerptOf(text, this.#apiKey), attempt),
      retryAfterMs: parseRetryAfterMs(headerValue(res.headers['retry-after']), Date.now()),
    };
  }

  /** The body as chunks, stopping with AtlasResponseTooLarge once it passes maxResponseBytes. */
  async *cappedChunks(res: OpenResponse, method: string, path: string): AsyncGenerator<Buffer> {
    const limit = this.#config.maxResponseBytes;
    const announced = Number(headerValue(res.headers['content-length']) ?? Number.NaN);
    if (Number.isFinite(announced) && announced > limit) {
      res.body.destroy();
      throw new AtlasResponseTooLarge(method, path, limit, announced);
    }
    let seen = 0;
    const chunks = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      // Only time spent waiting on the network counts: a slow consumer is not a stalled server.
      const timer = setTimeout(() => res.body.destroy(new BodyIdleTimeout()), this.#config.timeoutMs);
      let step: IteratorResult<Buffer>;
      try {
        step = await chunks.next();
      } finally {
        clearTimeout(timer);
      }
      if (step.done === true) break;
      const chunk = step.value;
      seen += chunk.length;
      if (seen > limit) {
        res.body.destroy();
        throw new AtlasResponseTooLarge(method, path, limit, seen);
      }
      yield chunk;
    }
  }

  /** Reads the whole body (within the cap) and parses it as JSON. */
  async readJson(res: OpenResponse, method: string, path: string): Promise<unknown> {
    const parts: Buffer[] = [];
    for await (const chunk of this.cappedChunks(res, method, path)) parts.push(chunk);
    const text = Buffer.concat(parts).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AtlasResponseFormatError(method, path, 'body is not JSON');
    }
  }

  toJSON(): Record<string, unknown> {
    return { origin: this.#origin, apiKey: this.#apiKey === undefined ? null : '[redacted]' };
  }
}

/** Marks a body that went quiet for longer than timeoutMs. */
class BodyIdleTimeout extends Error {
  readonly code = BODY_TIMEOUT_CODE;
  constructor() {
    super('no body data within the timeout');
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function classify(e: unknown): Failure {
  const code = errorCode(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', phase: 'headers' };
  if (isBodyTimeoutCode(code)) return { kind: 'timeout', phase: 'body' };
  return { kind: 'connection', code };
}

export function isBodyTimeoutCode(code: string): boolean {
  return code === 'UND_ERR_BODY_TIMEOUT' || code === BODY_TIMEOUT_CODE;
}

/** Request-building mistakes will fail the same way again; everything else on the wire may pass. */
function isRetryableFailure(failure: Failure): boolean {
  return failure.kind === 'timeout' || !['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL'].includes(failure.code);
}

export function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name)) return name;
  }
  return 'UNKNOWN';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}

async function readErrorText(body: ResponseBody): Promise<string> {
  const parts: Buffer[] = [];
  let seen = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      parts.push(chunk);
      seen += chunk.length;
      if (seen >= ERROR_BODY_BYTES) break;
    }
  } catch {
    // A broken error body still leaves the status to report.
  } finally {
    body.destroy();
  }
  return Buffer.concat(parts).subarray(0, ERROR_BODY_BYTES).toString('utf8');
}
