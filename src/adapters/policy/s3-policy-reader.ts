// A policy kept in S3 (s3://bucket/key), read on every invocation so a change needs no redeploy. A warm
// container keeps the last policy it parsed with the object's ETag and asks S3 for the object only if it
// changed (GetObject with If-None-Match): an unchanged policy costs one 304 and is not parsed again. A
// policy that cannot be read or does not validate is an error naming its place (s3://bucket/key:line:col),
// never a fallback to an older one: the cycle fails before it reads or writes anything.

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GaSteerError, InputFileError } from '../../app/errors.js';
import { isTooLarge, tooLargeIssue } from '../../input/text-size.js';
import { parsePolicyText } from '../../policy/parse-policy.js';
import type { Policy } from '../../policy/schema.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, type RetryPolicy } from '../aws/retry.js';
import { DeadlineExceededError } from '../deadline/errors.js';
import { parseS3Url } from '../synthetic/read-s3-feed.js';

/** A policy read is short: a few attempts within 20 s, well inside the function's timeout. */
export const POLICY_READ_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 20_000, baseDelayMs: 200, maxDelayMs: 2_000, attemptTimeoutMs: 5_000 };

/** The policy object could not be read (missing, refused, unreachable): nothing was done. */
export class PolicyReadError extends GaSteerError {
  override readonly name = 'PolicyReadError';
  constructor(
    readonly location: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: cannot read the policy: ${detail}`, options);
  }
}

export interface S3PolicyRead {
  readonly policy: Policy;
  /** false: S3 said the object is unchanged (304) and the policy parsed before is used. */
  readonly parsed: boolean;
  readonly etag: string;
}

type Fetched = { readonly notModified: true } | { readonly tooLarge: number } | { readonly etag: string | undefined; readonly text: string };

export function isS3PolicyLocation(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

export class S3PolicyReader {
  /** Per location: the last policy parsed and the ETag of the object it came from. */
  private readonly parsed = new Map<string, { etag: string; policy: Policy }>();

  constructor(
    private readonly client: S3Client,
    private readonly retry: RetryPolicy = POLICY_READ_RETRY,
  ) {}

  async read(location: string): Promise<S3PolicyRead> {
    const object = parseS3Url(location);
    if (object === undefined) throw new PolicyReadError(location, 'an S3 policy location must read s3://bucket/key');
    const known = this.parsed.get(location);
    let fetched: Fetched;
    try {
      fetched = await callWithRetry(
        'S3',
        'GetObject (policy)',
        this.retry,
        async (abortSignal): Promise<Fetched> => {
          try {
            const res = await this.client.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, ...(known !== undefined ? { IfNoneMatch: known.etag } : {}) }), { abortSignal });
            if (res.ContentLength !== undefined && isTooLarge('policy', res.ContentLength)) {
              discardBody(res.Body);
              return { tooLarge: res.ContentLength };
            }
            // The body is read inside the attempt: a stalled body is bounded by the same deadline.
            return { etag: res.ETag, text: (await res.Body?.transformToString('utf8')) ?? '' };
          } catch (e) {
            if (known !== undefined && isNotModified(e)) return { notModified: true };
            throw e;
          }
        },
        object.bucket,
      );
    } catch (e) {
      throw readError(location, e);
    }
    if ('notModified' in fetched) {
      if (known === undefined) throw new PolicyReadError(location, 'S3 answered 304 Not Modified to an unconditional read');
      return { policy: known.policy, parsed: false, etag: known.etag };
    }
    if ('tooLarge' in fetched) throw new InputFileError(location, [tooLargeIssue(location, 'policy', fetched.tooLarge)]);
    const result = parsePolicyText(fetched.text, location, { use: 'live' });
    if (!result.ok) throw new InputFileError(location, result.issues);
    // Without an ETag there is nothing to compare the next read with: parse every time.
    if (fetched.etag !== undefined) this.parsed.set(location, { etag: fetched.etag, policy: result.policy });
    else this.parsed.delete(location);
    return { policy: result.policy, parsed: true, etag: fetched.etag ?? '' };
  }
}

function isNotModified(e: unknown): boolean {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return err.$metadata?.httpStatusCode === 304 || err.name === 'NotModified' || err.name === '304';
}

function readError(location: string, e: unknown): GaSteerError {
  if (e instanceof DeadlineExceededError) return new PolicyReadError(location, e.message, { cause: e });
  if (!(e instanceof AwsCallError)) return new PolicyReadError(location, e instanceof Error ? e.message : String(e), { cause: e });
  if (e.code === 'NoSuchKey' || e.code === 'NoSuchBucket' || e.httpStatus === 404) return new PolicyReadError(location, `no such object (S3 ${e.code}, HTTP 404)`, { cause: e });
  // Without s3:ListBucket, S3 answers a missing object with 403: say so, or a missing policy reads as a broken grant.
  if (e.httpStatus === 403 || e.code === 'AccessDenied') {
    return new PolicyReadError(location, `S3 ${e.code} (HTTP 403): the role needs s3:GetObject on the object and s3:ListBucket on the bucket (without it a missing object is 403, not 404)`, { cause: e });
  }
  return new PolicyReadError(location, e.message, { cause: e });
}

/** Lets the connection go without reading an object that will not be used. */
function discardBody(body: { transformToWebStream: () => ReadableStream } | undefined): void {
  try {
    body?.transformToWebStream().cancel().catch(() => undefined);
  } catch {
    // The stream is gone already.
  }
}
