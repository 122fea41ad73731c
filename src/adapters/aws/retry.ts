// Retries of AWS calls: throttling, 5xx, network failures and attempts that ran out of time, with
// exponential backoff and full jitter, within an attempt count, a time budget and the cycle's
// deadline. Quota, validation, access and not-found errors are final. The SDK's own retries are off
// (maxAttempts 1) so this is the one policy, and it is testable.
//
// Reads retry through callWithRetry. Writes do not: a write that failed or went unanswered may have
// landed, and the request was built from a read that may no longer hold, so its caller makes one
// attempt (callAwsOnce), reads afresh and judges again before writing (see
// global-accelerator/apply-change.ts and state/conditional-write.ts).

import { setTimeout as sleepMs } from 'node:timers/promises';
import { callWithDeadline, fitsBeforeDeadline } from '../deadline/call-deadline.js';
import { DeadlineExceededError, type CallLabel } from '../deadline/errors.js';
import { AwsCallError, toAwsCallError } from './aws-call-error.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** No new attempt starts after this much time has passed since the first. */
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Each attempt's own deadline, body included (default 10 s); the cycle's deadline applies too. */
  readonly attemptTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, budgetMs: 30_000, baseDelayMs: 200, maxDelayMs: 5_000, attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS };

/** What an AWS call can fail with, once classified. */
export type AwsCallFailure = AwsCallError | DeadlineExceededError;

export function isRetryableFailure(failure: AwsCallFailure): boolean {
  // An attempt that ran out of its own time may pass next time; the cycle's deadline is final.
  return failure instanceof DeadlineExceededError ? failure.limit === 'call' : failure.retryable;
}

/** One attempt under its deadline; any failure comes out as an AwsCallFailure. */
export async function callAwsOnce<T>(label: CallLabel, policy: RetryPolicy, call: (signal: AbortSignal) => Promise<T>, attempt = 1): Promise<T> {
  try {
    return await callWithDeadline(label, policy.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS, call);
  } catch (e) {
    if (e instanceof DeadlineExceededError) throw attempt > 1 ? e.withAttempts(attempt) : e;
    throw toAwsCallError(label.service, label.operation, e, attempt);
  }
}

/** The waits between attempts, and when to stop. */
export class RetrySchedule {
  readonly #policy: RetryPolicy;
  readonly #started = Date.now();
  // Time spent counts the waits themselves too: a simulated sleep passes no real time.
  #waited = 0;

  constructor(policy: RetryPolicy) {
    this.#policy = policy;
  }

  /** The wait before the attempt after `attempt`, or undefined when there is to be no other attempt. */
  nextDelay(failure: AwsCallFailure, attempt: number): number | undefined {
    const p = this.#policy;
    if (!isRetryableFailure(failure) || attempt >= p.maxAttempts) return undefined;
    const delay = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1)) * (p.random ?? Math.random)();
    const elapsed = Math.max(Date.now() - this.#started, this.#waited);
    if (elapsed + delay > p.budgetMs || !fitsBeforeDeadline(delay)) return undefined;
    return delay;
  }

  async wait(ms: number): Promise<void> {
    await (this.#policy.sleep ?? ((x: number) => sleepMs(x)))(ms);
    this.#waited += ms;
  }
}

/**
 * An idempotent call (a read) with retries. `call` receives the attempt's AbortSignal: pass it on
 * (`client.send(command, { abortSignal: signal })`) so a stalled connection is really closed.
 * `target` is the Region (or host) the call goes to, for messages.
 */
export async function callWithRetry<T>(service: string, operation: string, policy: RetryPolicy, call: (signal: AbortSignal) => Promise<T>, target = ''): Promise<T> {
  const label: CallLabel = { service, operation, target };
  const schedule = new RetrySchedule(policy);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await callAwsOnce(label, policy, call, attempt);
    } catch (e) {
      const failure = e as AwsCallFailure;
      const delay = schedule.nextDelay(failure, attempt);
      if (delay === undefined) throw failure;
      await schedule.wait(delay);
    }
  }
}
