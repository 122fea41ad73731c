// A feed in S3 (s3://bucket/key), read with GetObject. With an endpoint override (an S3-compatible
// store, or a local server in tests) requests are path-style: such endpoints rarely resolve
// bucket.host names.

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { openCallScope, type CallScope } from '../deadline/call-deadline.js';
import { FeedFetchError, type FeedFetchFailure } from './feed-fetch-error.js';
import { guardBody } from './guard-body.js';

export interface S3FeedTarget {
  readonly feedName: string;
  readonly url: string;
  readonly shown: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/?#]+)\/([^?#]+)$/i.exec(url);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  try {
    return { bucket: m[1], key: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}

export async function readS3Feed(client: S3Client, target: S3FeedTarget): Promise<AsyncIterable<Uint8Array>> {
  const fail = (failure: FeedFetchFailure, detail: string, status?: number): FeedFetchError =>
    new FeedFetchError(target.feedName, target.shown, failure, detail, status);
  const object = parseS3Url(target.url);
  if (object === undefined) throw fail('unsupported-location', 'an S3 location must read s3://bucket/key');

  // One deadline for the whole transfer, body included; the cycle's applies too.
  const scope = openCallScope({ service: 'S3', operation: `GetObject ${target.feedName}`, target: object.bucket }, target.timeoutMs);
  let body: unknown;
  let length: number | undefined;
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: scope.signal });
    body = res.Body;
    length = res.ContentLength;
  } catch (e) {
    scope.end();
    throw s3Error(e, scope, target.timeoutMs, fail);
  }
  if (!isByteStream(body)) {
    scope.end();
    throw fail('read-failed', 'S3 returned no body');
  }
  const stream = body as { destroy?: () => void; on?: (event: string, listener: () => void) => void };
  const release = (): void => {
    stream.on?.('error', () => undefined);
    stream.destroy?.();
    scope.end();
  };
  if (length !== undefined && length > target.maxBytes) {
    release();
    throw fail('too-large', `${length} bytes, more than the ${target.maxBytes}-byte limit`);
  }
  return guardBody(body, {
    maxBytes: target.maxBytes,
    fail: (e) => s3Error(e, scope, target.timeoutMs, fail),
    tooLarge: () => fail('too-large', `more than the ${target.maxBytes}-byte limit`),
    release,
    end: () => scope.end(),
  });
}

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

function s3Error(e: unknown, scope: CallScope, timeoutMs: number, fail: (failure: FeedFetchFailure, detail: string, status?: number) => FeedFetchError): FeedFetchError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : undefined;
  const name = typeof err.name === 'string' ? err.name : 'unknown error';
  const code = typeof err.code === 'string' ? err.code : undefined;
  const ranOut = scope.ranOut();
  if (ranOut?.limit === 'cycle') return fail('timeout', ranOut.message);
  if (ranOut !== undefined || name === 'TimeoutError' || code === 'ETIMEDOUT') return fail('timeout', `no complete answer within ${timeoutMs} ms`);
  if (status !== undefined) {
    const failure: FeedFetchFailure = name === 'NoSuchKey' || name === 'NoSuchBucket' || status === 404 ? 'not-found' : status === 403 ? 'access-denied' : 'http-status';
    // Without s3:ListBucket, S3 answers a missing object with 403: say so, or a missing feed reads as a broken grant.
    const hint = name === 'AccessDenied' ? ': the role needs s3:GetObject on the object and s3:ListBucket on the bucket (without it a missing object is 403, not 404)' : '';
    return fail(failure, `S3 ${name} (HTTP ${status})${hint}`, status);
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail('unreachable', `cannot connect (${code})`);
  return fail('read-failed', code ?? name);
}
