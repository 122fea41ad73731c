// Controller state and its lease as one JSON object in S3 (s3-state-object.ts). Every write is a PUT
// conditional on the ETag of the object just read (If-Match, or If-None-Match on the first write) after
// checking the lease in it, so it lands only if nothing changed in between: of N processes taking the
// lease exactly one succeeds, and a holder whose lease was taken over can no longer write. A PUT is made
// once; after one that failed or went unanswered the object is read and judged again (conditional-write.ts).
// Every call, the body of a read included, is bounded by its deadline and the cycle's.

import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTooLarge, tooLargeIssue } from '../../input/text-size.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore, StoredState } from '../../ports/state-store.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { WriteRounds, writeOnce, type WriteOutcome } from './conditional-write.js';
import { checkAgainst, decideAcquire, isLive, leaseOf, refusalOf, released, RELEASED_AT, renewed, type LeaseRecord } from './lease-record.js';
import { parseS3StateObject, s3StateObjectText, stateOf, type S3StateObject } from './s3-state-object.js';
import { corruptError } from './stored-state.js';

interface ReadObject {
  /** undefined: the object does not exist. */
  readonly etag: string | undefined;
  readonly object: S3StateObject;
}

/** What an operation makes of the object as just read: its answer, or the object to write and the answer once written. */
type Judged<T> = { readonly done: T } | { readonly write: S3StateObject; readonly then: T };

export class S3StateStore implements StateStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.location = `s3://${bucket}/${key}`;
  }

  async load(): Promise<StoredState> {
    return stateOf((await this.read()).object);
  }

  acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    return this.update('acquire', ({ object }): Judged<LeaseAttempt> => {
      // This attempt's own grant, landed unseen: the owner is unique per attempt.
      if (object.lease !== undefined && object.lease.owner === owner && isLive(object.lease, now)) return { done: { acquired: true, lease: leaseOf(object.lease) } };
      const decision = decideAcquire(object.lease, 0, owner, ttlMs, now);
      if ('heldBy' in decision) return { done: { acquired: false, holder: decision.heldBy } };
      const granted: LeaseAttempt = { acquired: true, lease: leaseOf(decision.grant), ...(decision.tookOverFrom !== undefined ? { tookOverFrom: decision.tookOverFrom } : {}) };
      return { write: { ...object, lease: decision.grant }, then: granted };
    });
  }

  renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    return this.update('renew', ({ object }): Judged<LeaseCheck> => {
      const check = checkAgainst(object.lease, lease, now);
      if (!check.held || object.lease === undefined) return { done: check };
      const record = renewed(object.lease, ttlMs, now);
      if (sameRecord(object.lease, record)) return { done: { held: true, lease: leaseOf(record) } };
      return { write: { ...object, lease: record }, then: { held: true, lease: leaseOf(record) } };
    });
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst((await this.read()).object.lease, lease, now);
  }

  save(state: StoredState, lease: Lease, now: Date): Promise<FencedWrite> {
    return this.update('save', ({ object }): Judged<FencedWrite> => {
      const check = checkAgainst(object.lease, lease, now);
      if (!check.held) return { done: refusalOf(check) };
      const next: S3StateObject = { ...object, state };
      if (s3StateObjectText(object) === s3StateObjectText(next)) return { done: { written: true } };
      return { write: next, then: { written: true } };
    });
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.update('release', ({ object }): Judged<undefined> => {
      const record = object.lease;
      // No longer this holder's to release (someone else wrote since), or released already.
      if (record === undefined || record.token !== lease.token || record.owner !== lease.owner || Date.parse(record.expiresAt) === RELEASED_AT.getTime()) return { done: undefined };
      return { write: { ...object, lease: released(record) }, then: undefined };
    });
  }

  /** Read, judge, write once conditionally; again from a fresh read after a write that did not land for sure. */
  private async update<T>(purpose: string, judge: (current: ReadObject) => Judged<T>): Promise<T> {
    const rounds = new WriteRounds(this.retry, this.location);
    for (;;) {
      const current = await this.read();
      const verdict = judge(current);
      if ('done' in verdict) return verdict.done;
      rounds.mayWrite();
      const outcome = await this.write(purpose, verdict.write, current.etag);
      if (outcome.status === 'written') return verdict.then;
      await rounds.after(outcome);
    }
  }

  private async read(): Promise<ReadObject> {
    let out: { etag: string | undefined; text: string } | { tooLarge: number };
    try {
      // The body is read inside the attempt: a stalled or trickling body is bounded by the same deadline.
      out = await callWithRetry(
        'S3',
        'GetObject',
        this.retry,
        async (abortSignal) => {
          const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }), { abortSignal });
          // Refuse an oversized object before buffering it (the state parser checks the text too).
          if (res.ContentLength !== undefined && isTooLarge('state', res.ContentLength)) {
            discardBody(res.Body);
            return { tooLarge: res.ContentLength };
          }
          return { etag: res.ETag, text: (await res.Body?.transformToString('utf8')) ?? '' };
        },
        this.bucket,
      );
    } catch (e) {
      if (isNoSuchKey(e)) return { etag: undefined, object: { lease: undefined, state: undefined } };
      throw e;
    }
    if ('tooLarge' in out) throw corruptError(this.location, [tooLargeIssue(this.location, 'state', out.tooLarge)]);
    return { etag: out.etag, object: parseS3StateObject(out.text, this.location) };
  }

  /** One PUT conditional on `etag` (or on absence). */
  private write(purpose: string, object: S3StateObject, etag: string | undefined): Promise<WriteOutcome<unknown>> {
    return writeOnce({ service: 'S3', operation: `PutObject (${purpose})`, target: this.bucket }, this.retry, isConditionFailure, (abortSignal) =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: s3StateObjectText(object),
          ContentType: 'application/json',
          ...(etag !== undefined ? { IfMatch: etag } : { IfNoneMatch: '*' }),
        }),
        { abortSignal },
      ),
    );
  }
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return a.owner === b.owner && a.token === b.token && a.expiresAt === b.expiresAt;
}

/** 412: the object changed (or appeared) since it was read; 409: a concurrent conditional write. */
function isConditionFailure(e: AwsCallError): boolean {
  return e.httpStatus === 412 || e.httpStatus === 409 || e.code === 'PreconditionFailed' || e.code === 'ConditionalRequestConflict';
}

/** Lets the connection go without reading an object that will not be used. */
function discardBody(body: { transformToWebStream: () => ReadableStream } | undefined): void {
  try {
    body?.transformToWebStream().cancel().catch(() => undefined);
  } catch {
    // Already consumed or not a stream: nothing to release.
  }
}

function isNoSuchKey(e: unknown): boolean {
  return e instanceof AwsCallError && (e.code === 'NoSuchKey' || e.httpStatus === 404);
}
