// Controller state and its lease as one JSON object in S3 (s3-state-object.ts). Every write is a PUT
// conditional on the ETag of the object just read (If-Match, or If-None-Match on the first write) after
// checking the lease in it, so it lands only if nothing changed in between: of N processes taking the
// lease exactly one succeeds, and a holder whose lease was taken over can no longer write. Every call,
// the body of a read included, is bounded by its deadline and the cycle's.

import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ControllerState } from '../../planner/controller-state.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore } from '../../ports/state-store.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { LeaseContendedError, MAX_ACQUIRE_ATTEMPTS } from './errors.js';
import { checkAgainst, decideAcquire, leaseOf, refusalOf, released, renewed, type LeaseRecord } from './lease-record.js';
import { parseS3StateObject, s3StateObjectText, stateOf, type S3StateObject } from './s3-state-object.js';

interface ReadObject {
  /** undefined: the object does not exist. */
  readonly etag: string | undefined;
  readonly object: S3StateObject;
}

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

  async load(): Promise<ControllerState> {
    return stateOf((await this.read()).object);
  }

  async acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    for (let attempt = 1; attempt <= MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
      const current = await this.read();
      const decision = decideAcquire(current.object.lease, 0, owner, ttlMs, now);
      if ('heldBy' in decision) return { acquired: false, holder: decision.heldBy };
      const written = await this.write({ ...current.object, lease: decision.grant }, current.etag);
      // A lost response to a PUT that landed looks like a conflict: the owner is unique, so look.
      const won = written || (await this.read()).object.lease?.owner === owner;
      if (won) return { acquired: true, lease: leaseOf(decision.grant), ...(decision.tookOverFrom !== undefined ? { tookOverFrom: decision.tookOverFrom } : {}) };
    }
    throw new LeaseContendedError(this.location, MAX_ACQUIRE_ATTEMPTS);
  }

  async renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    const current = await this.read();
    const check = checkAgainst(current.object.lease, lease, now);
    if (!check.held || current.object.lease === undefined) return check;
    const record = renewed(current.object.lease, ttlMs, now);
    if (await this.write({ ...current.object, lease: record }, current.etag)) return { held: true, lease: leaseOf(record) };
    const after = (await this.read()).object.lease;
    return after !== undefined && sameRecord(after, record) ? { held: true, lease: leaseOf(record) } : checkAgainst(after, lease, now);
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst((await this.read()).object.lease, lease, now);
  }

  async save(state: ControllerState, lease: Lease, now: Date): Promise<FencedWrite> {
    const current = await this.read();
    const check = checkAgainst(current.object.lease, lease, now);
    if (!check.held) return refusalOf(check);
    const next: S3StateObject = { ...current.object, state };
    if (await this.write(next, current.etag)) return { written: true };
    const after = await this.read();
    if (s3StateObjectText(after.object) === s3StateObjectText(next)) return { written: true };
    const recheck = checkAgainst(after.object.lease, lease, now);
    return refusalOf(recheck.held ? { held: false, reason: `${this.location} changed while the state was being saved` } : recheck);
  }

  async releaseLease(lease: Lease): Promise<void> {
    const current = await this.read();
    const record = current.object.lease;
    if (record === undefined || record.token !== lease.token || record.owner !== lease.owner) return;
    // A conflict means someone else wrote since: the lease is no longer this holder's to release.
    await this.write({ ...current.object, lease: released(record) }, current.etag);
  }

  private async read(): Promise<ReadObject> {
    let out: { etag: string | undefined; text: string };
    try {
      // The body is read inside the attempt: a stalled or trickling body is bounded by the same deadline.
      out = await callWithRetry(
        'S3',
        'GetObject',
        this.retry,
        async (abortSignal) => {
          const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }), { abortSignal });
          return { etag: res.ETag, text: (await res.Body?.transformToString('utf8')) ?? '' };
        },
        this.bucket,
      );
    } catch (e) {
      if (isNoSuchKey(e)) return { etag: undefined, object: { lease: undefined, state: undefined } };
      throw e;
    }
    return { etag: out.etag, object: parseS3StateObject(out.text, this.location) };
  }

  /** PUT conditional on `etag` (or on absence); false when the condition failed. */
  private async write(object: S3StateObject, etag: string | undefined): Promise<boolean> {
    try {
      await callWithRetry(
        'S3',
        'PutObject',
        this.retry,
        (abortSignal) =>
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
        this.bucket,
      );
      return true;
    } catch (e) {
      // 412: the object changed (or appeared) since it was read; 409: a concurrent conditional write.
      if (e instanceof AwsCallError && (e.httpStatus === 412 || e.httpStatus === 409 || e.code === 'PreconditionFailed' || e.code === 'ConditionalRequestConflict')) return false;
      throw e;
    }
  }
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return a.owner === b.owner && a.token === b.token && a.expiresAt === b.expiresAt;
}

function isNoSuchKey(e: unknown): boolean {
  return e instanceof AwsCallError && (e.code === 'NoSuchKey' || e.httpStatus === 404);
}
