// Retries of AWS calls: throttling, 5xx and network failures, with exponential backoff and full jitter,
// within an attempt count and a time budget. Quota, validation, access and not-found errors are final.
// The SDK's own retries are off (maxAttempts 1) so this is the one policy, and it is testable.

import { setTimeout as sleepMs } from 'node:timers/promises';
import { AwsCallError, toAwsCallError } from './aws-call-error.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** No new attempt starts after this much time has passed since the first. */
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, budgetMs: 30_000, baseDelayMs: 200, maxDelayMs: 5_000 };

export async function callWithRetry<T>(service: string, operation: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const sleep = policy.sleep ?? ((ms: number) => sleepMs(ms));
  const random = policy.random ?? Math.random;
  // Time spent counts the waits themselves too: a simulated sleep passes no real time.
  let waited = 0;
  const elapsed = (): number => Math.max(Date.now() - started, waited);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (e) {
      const error = toAwsCallError(service, operation, e, attempt);
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * random();
      const outOfBudget = elapsed() + delay > policy.budgetMs;
      if (!error.retryable || attempt >= policy.maxAttempts || outOfBudget) {
        throw attempt === error.attempts ? error : new AwsCallError(error.service, error.operation, error.code, error.kind, error.httpStatus, error.requestId, error.message, attempt);
      }
      await sleep(delay);
      waited += delay;
    }
  }
}
