// The lease as a record (owner, token, expiry) and the rules every store applies to it. Stores that
// write the record with a compare-and-swap (memory, file, S3) decide with these functions; DynamoDB
// states the same rules as condition expressions.

import * as z from 'zod';
import type { Lease, LeaseCheck, LeaseHolder } from '../../ports/lease.js';

export const leaseRecordSchema = z.strictObject({
  owner: z.string().min(1),
  token: z.int().min(1),
  expiresAt: z.iso.datetime(),
  acquiredAt: z.iso.datetime(),
});

export type LeaseRecord = z.output<typeof leaseRecordSchema>;

/** A released lease expires at the epoch: free at once, its token kept so the next one is greater. */
export const RELEASED_AT = new Date(0);

export function holderOf(record: LeaseRecord): LeaseHolder {
  return { owner: record.owner, token: record.token, expiresAt: new Date(record.expiresAt) };
}

export function leaseOf(record: LeaseRecord): Lease {
  return holderOf(record);
}

export function isLive(record: LeaseRecord | undefined, now: Date): boolean {
  return record !== undefined && Date.parse(record.expiresAt) > now.getTime();
}

export type AcquireDecision = { readonly grant: LeaseRecord; readonly tookOverFrom?: LeaseHolder } | { readonly heldBy: LeaseHolder };

/** A lease is granted when none is live; the new token is one more than the last one granted. */
export function decideAcquire(current: LeaseRecord | undefined, lastToken: number, owner: string, ttlMs: number, now: Date): AcquireDecision {
  if (current !== undefined && isLive(current, now)) return { heldBy: holderOf(current) };
  const grant: LeaseRecord = {
    owner,
    token: Math.max(lastToken, current?.token ?? 0) + 1,
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    acquiredAt: now.toISOString(),
  };
  const tookOver = current !== undefined && current.owner !== owner && Date.parse(current.expiresAt) > RELEASED_AT.getTime();
  return tookOver ? { grant, tookOverFrom: holderOf(current) } : { grant };
}

/** Whether `lease` is the current record's and unexpired at `now`. */
export function checkAgainst(current: LeaseRecord | undefined, lease: Lease, now: Date): LeaseCheck {
  if (current === undefined) return { held: false, reason: `lease token ${lease.token} is not current: no lease is recorded` };
  if (current.token !== lease.token || current.owner !== lease.owner) {
    return { held: false, reason: `lease token ${lease.token} was superseded by token ${current.token} of ${current.owner}`, holder: holderOf(current) };
  }
  if (Date.parse(current.expiresAt) <= now.getTime()) return { held: false, reason: `lease token ${lease.token} expired at ${current.expiresAt}` };
  return { held: true, lease: leaseOf(current) };
}

export function renewed(record: LeaseRecord, ttlMs: number, now: Date): LeaseRecord {
  return { ...record, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
}

export function released(record: LeaseRecord): LeaseRecord {
  return { ...record, expiresAt: RELEASED_AT.toISOString() };
}

/** The refusal of a write whose lease check failed. */
export function refusalOf(check: Extract<LeaseCheck, { held: false }>): { readonly written: false; readonly reason: string; readonly holder?: LeaseHolder } {
  return { written: false, reason: check.reason, ...(check.holder !== undefined ? { holder: check.holder } : {}) };
}
