// A feed served over HTTP(S), read with undici: one deadline for the whole transfer (the cycle's
// applies too), a size cap, and no redirects (a redirect is answered as a non-2xx status). undici's
// own errors can quote the URL, so only their codes are kept.

import { request } from '../http/undici-request.js';
import { openCallScope } from '../deadline/call-deadline.js';
import { FeedFetchError, type FeedFetchFailure } from './feed-fetch-error.js';
import { guardBody } from './guard-body.js';

export interface HttpFeedTarget {
  readonly feedName: string;
  readonly url: string;
  readonly shown: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

export async function readHttpFeed(target: HttpFeedTarget): Promise<AsyncIterable<Uint8Array>> {
  const fail = (failure: FeedFetchFailure, detail: string, status?: number): FeedFetchError =>
    new FeedFetchError(target.feedName, target.shown, failure, detail, status);
  const scope = openCallScope({ service: 'synthetic feed', operation: `GET ${target.feedName}`, target: hostOf(target.url) }, target.timeoutMs);
  const transportError = (e: unknown): FeedFetchError => {
    const code = errorCode(e);
    const ranOut = scope.ranOut();
    if (ranOut?.limit === 'cycle') return fail('timeout', ranOut.message);
    if (ranOut !== undefined || TIMEOUT_CODES.has(code)) return fail('timeout', `no complete answer within ${target.timeoutMs} ms`);
    if (UNREACHABLE_CODES.has(code)) return fail('unreachable', `cannot connect (${code})`);
    return fail('read-failed', code);
  };

  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(target.url, {
      method: 'GET',
      headers: { accept: 'application/x-ndjson, application/jsonl, text/csv, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'ga-steer' },
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      signal: scope.signal,
    });
  } catch (e) {
    scope.end();
    throw transportError(e);
  }
  const release = (): void => {
    // undici reports a destroyed body as an AbortError event; nobody reads it any more.
    res.body.on('error', () => undefined);
    res.body.destroy();
    scope.end();
  };
  if (res.statusCode < 200 || res.statusCode > 299) {
    release();
    throw fail(res.statusCode === 404 ? 'not-found' : res.statusCode === 401 || res.statusCode === 403 ? 'access-denied' : 'http-status', `HTTP ${res.statusCode}`, res.statusCode);
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > target.maxBytes) {
    release();
    throw fail('too-large', `${declared} bytes, more than the ${target.maxBytes}-byte limit`);
  }
  return guardBody(res.body, {
    maxBytes: target.maxBytes,
    fail: transportError,
    tooLarge: () => fail('too-large', `more than the ${target.maxBytes}-byte limit`),
    release,
    end: () => scope.end(),
  });
}

/** The host alone: a feed URL's path or query may carry a token. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'feed';
  }
}

function errorCode(e: unknown): string {
  if (typeof e !== 'object' || e === null) return 'unknown error';
  const { code, name, cause } = e as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  const inner = (cause as { code?: unknown } | undefined)?.code;
  if (typeof inner === 'string') return inner;
  return typeof name === 'string' ? name : 'unknown error';
}
