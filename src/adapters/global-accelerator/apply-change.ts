// One planned change, applied safely. A write that failed or went unanswered (throttled, 5xx,
// connection lost after sending, timed out) may have landed, and it was built from a read that may no
// longer hold, so it is never sent again as it was: after the back-off the group is read afresh and
// judged again. The change landed: done, verified by that read. The group is exactly as first read:
// write again, built from the fresh read (for weights, the whole endpoint list as just read). Anything
// else changed: someone else is editing the group, so nothing more is written. Before writing again,
// the write guard (the lease) is asked again: the back-off may have outlasted it.

import type { PlannedChange } from '../../plan/types.js';
import type { ChangeApplyOutcome, WriteGuard } from '../../ports/accelerator-gateway.js';
import type { RanOutCall } from '../../ports/ran-out-call.js';
import type { EndpointGroupTopology } from '../../snapshot/schema.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { RetrySchedule, isRetryableFailure, type AwsCallFailure } from '../aws/retry.js';
import { DeadlineExceededError } from '../deadline/errors.js';
import type { GaApi } from './ga-api.js';
import { judgeChange, rejudgeChange, verifyWrite, weightIn } from './judge-group.js';
import { UnexpectedResponseError } from './wire-to-topology.js';

export interface ChangeResult {
  readonly outcome: ChangeApplyOutcome;
  /** Someone else changed the group meanwhile: the rest of the plan is left to them. */
  readonly concurrentEdit: boolean;
  /** The cycle's deadline cut a call of this change off. */
  readonly ranOut?: RanOutCall;
  /** The write guard refused a write again after a failed one: why (nothing more is to be written). */
  readonly guardRefusal?: string;
}

export async function applyChange(api: GaApi, change: PlannedChange, guard?: WriteGuard): Promise<ChangeResult> {
  const arn = change.address.endpointGroupArn;
  let found: EndpointGroupTopology;
  try {
    found = await api.describeEndpointGroup(arn);
  } catch (e) {
    return failed(change, describe(e), e);
  }
  const verdict = judgeChange(change, found);
  if (verdict.status !== 'write') return { outcome: { change, status: verdict.status, message: verdict.message }, concurrentEdit: false };

  const schedule = new RetrySchedule(api.retry);
  const earlier: string[] = [];
  let live = found;
  for (let attempt = 1; ; attempt += 1) {
    let written: EndpointGroupTopology;
    try {
      written = await write(api, change, live, attempt);
    } catch (e) {
      const next = await afterFailedWrite(api, change, found, e, schedule, attempt);
      if ('result' in next) return next.result;
      earlier.push(next.failure);
      live = next.fresh;
      const permit = guard !== undefined ? await guard.beforeWrite() : undefined;
      if (permit !== undefined && !permit.allowed) {
        const message = `${next.failure}; a fresh read shows it did not land, and it was not written again: ${permit.reason}`;
        return { outcome: { change, status: 'failed', message }, concurrentEdit: false, guardRefusal: permit.reason };
      }
      continue;
    }
    return verified(api, change, live, written, earlier);
  }
}

/**
 * After a write that failed: done (a result), or write again from `fresh`, the group as just read,
 * unchanged since it was first `found`.
 */
async function afterFailedWrite(
  api: GaApi,
  change: PlannedChange,
  found: EndpointGroupTopology,
  e: unknown,
  schedule: RetrySchedule,
  attempt: number,
): Promise<{ result: ChangeResult } | { failure: string; fresh: EndpointGroupTopology }> {
  const failure = classifyWriteFailure(e);
  if (failure === undefined) return { result: failed(change, describe(e), e) };
  if (failure.refused) return { result: failed(change, `${failure.message}; refused, nothing was written`, e) };
  if (failure.cycleDeadline) {
    return { result: failed(change, `${failure.message}; whether it landed is unknown (the next cycle reads the group, and treats the new value as someone else's if it did)`, e) };
  }
  const delay = failure.retryable !== undefined ? schedule.nextDelay(failure.retryable, attempt) : undefined;
  if (delay !== undefined) await schedule.wait(delay);
  // Whether or not another attempt is allowed, a fresh read says what landed.
  let fresh: EndpointGroupTopology;
  try {
    fresh = await api.describeEndpointGroup(change.address.endpointGroupArn);
  } catch (readError) {
    return { result: failed(change, `${failure.message}; then the group could not be read to learn whether it landed: ${describe(readError)}`, readError) };
  }
  const judged = rejudgeChange(change, found, fresh);
  if (judged.kind === 'landed') {
    const others = judged.others.length > 0 ? `; concurrent edit by someone else: ${judged.others.join('; ')}` : '';
    return { result: { outcome: { change, status: 'applied', message: `the write's outcome was unknown (${failure.message}); a fresh read shows it landed${others}` }, concurrentEdit: judged.others.length > 0 } };
  }
  if (judged.kind === 'moved') {
    const message = `the write failed (${failure.message}); then a fresh read showed ${judged.what}: someone else is editing the group, nothing more was written`;
    return { result: { outcome: { change, status: 'stale', message }, concurrentEdit: true } };
  }
  if (delay === undefined) return { result: failed(change, `${failure.message}; a fresh read shows it did not land`, e) };
  return { failure: failure.message, fresh };
}

/** The write, built from `live`: a dial alone, or every endpoint as just read with the new weights. */
function write(api: GaApi, change: PlannedChange, live: EndpointGroupTopology, attempt: number): Promise<EndpointGroupTopology> {
  const arn = change.address.endpointGroupArn;
  if (change.kind === 'dial') return api.setDial(arn, change.after.trafficDialPercent, attempt);
  const endpoints = live.endpoints.map((e) => ({ endpointId: e.endpointId, weight: weightIn(change.after.endpoints, e.endpointId) ?? e.weight, clientIpPreservation: e.clientIpPreservation }));
  return api.setEndpoints(arn, endpoints, attempt);
}

/** Checks the response and a fresh read: the intended values, and nothing else changed since `live`. */
async function verified(api: GaApi, change: PlannedChange, live: EndpointGroupTopology, written: EndpointGroupTopology, earlier: readonly string[]): Promise<ChangeResult> {
  let readBack: EndpointGroupTopology;
  try {
    readBack = await api.describeEndpointGroup(change.address.endpointGroupArn);
  } catch (e) {
    return failed(change, `written, but the read-back failed: ${describe(e)}`, e);
  }
  const checks = [verifyWrite(change, live, written, 'the response'), verifyWrite(change, live, readBack, 'a read-back')];
  const failures = [...new Set(checks.flatMap((c) => c.failures))];
  const others = [...new Set(checks.flatMap((c) => c.otherChanges))];
  const retried = earlier.length > 0 ? `written on attempt ${earlier.length + 1}, after ${earlier.join('; ')} (each time a fresh read showed the group unchanged)` : undefined;
  if (failures.length > 0) {
    return { outcome: { change, status: 'failed', message: `written, but verification found: ${[...failures, ...others].join('; ')}` }, concurrentEdit: others.length > 0 };
  }
  const message = [retried, others.length > 0 ? `applied and verified; concurrent edit by someone else: ${others.join('; ')}` : undefined].filter((m) => m !== undefined).join('; ');
  return { outcome: { change, status: 'applied', ...(message !== '' ? { message } : {}) }, concurrentEdit: others.length > 0 };
}

function failed(change: PlannedChange, message: string, cause: unknown): ChangeResult {
  const ranOut = cause instanceof DeadlineExceededError && cause.limit === 'cycle' ? cause.toRanOutCall() : undefined;
  return { outcome: { change, status: 'failed', message }, concurrentEdit: false, ...(ranOut !== undefined ? { ranOut } : {}) };
}

interface WriteFailure {
  readonly message: string;
  /** The service refused the request (validation, access, quota, not found): nothing landed. */
  readonly refused: boolean;
  /** The cycle's deadline cut the write off: no time is left to find out or try again. */
  readonly cycleDeadline: boolean;
  /** Set when another attempt may be made (after a fresh read). */
  readonly retryable: AwsCallFailure | undefined;
}

/** What a failed write tells: undefined for a fault that is no answer from GA at all (a bug). */
function classifyWriteFailure(e: unknown): WriteFailure | undefined {
  if (e instanceof DeadlineExceededError) return { message: e.message, refused: false, cycleDeadline: e.limit === 'cycle', retryable: isRetryableFailure(e) ? e : undefined };
  if (e instanceof AwsCallError) return { message: e.message, refused: !e.retryable, cycleDeadline: false, retryable: e.retryable ? e : undefined };
  // A 200 without the group in it: the write may well have landed; read, but do not write again.
  if (e instanceof UnexpectedResponseError) return { message: e.message, refused: false, cycleDeadline: false, retryable: undefined };
  return undefined;
}

function describe(e: unknown): string {
  return e instanceof AwsCallError || e instanceof DeadlineExceededError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
