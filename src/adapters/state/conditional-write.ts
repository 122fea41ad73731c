// Conditional writes of the S3 and DynamoDB stores, one attempt each. A write that failed or went
// unanswered may have landed, and the judgement behind it (the lease is this holder's, the object is as
// read) may no longer hold, so it is never sent again blindly: after the retry policy's back-off the
// store reads afresh and judges again (did it land? is the lease still current?) before writing again,
// as the Global Accelerator apply does (adapters/global-accelerator/apply-change.ts).

import { AwsCallError } from '../aws/aws-call-error.js';
import { callAwsOnce, isRetryableFailure, RetrySchedule, type AwsCallFailure, type RetryPolicy } from '../aws/retry.js';
import type { CallLabel } from '../deadline/errors.js';
import { LeaseContendedError, MAX_ACQUIRE_ATTEMPTS } from './errors.js';

export type WriteOutcome<T> =
  | { readonly status: 'written'; readonly value: T }
  /** The store's condition did not hold: nothing was written. */
  | { readonly status: 'refused' }
  /** Failed or unanswered in a way that may pass next time: it may have landed. */
  | { readonly status: 'unknown'; readonly failure: AwsCallFailure };

/**
 * One attempt of a conditional write under its deadline and the cycle's. `isRefusal` recognises the
 * store's condition failure; any other final failure (validation, access, the cycle's deadline) throws.
 */
export async function writeOnce<T>(label: CallLabel, policy: RetryPolicy, isRefusal: (e: AwsCallError) => boolean, call: (signal: AbortSignal) => Promise<T>): Promise<WriteOutcome<T>> {
  try {
    return { status: 'written', value: await callAwsOnce(label, policy, call) };
  } catch (e) {
    if (e instanceof AwsCallError && isRefusal(e)) return { status: 'refused' };
    const failure = e as AwsCallFailure;
    if (isRetryableFailure(failure)) return { status: 'unknown', failure };
    throw failure;
  }
}

/**
 * The rounds of read, judge, write of one store operation: a refused write counts as churn (past
 * MAX_ACQUIRE_ATTEMPTS the operation gives up with LeaseContendedError); an unknown one waits out the
 * retry policy's back-off. Once the policy allows no other attempt, the store still reads once more to
 * learn whether the write landed, but `mayWrite` throws the write's failure instead of writing again.
 */
export class WriteRounds {
  readonly #schedule: RetrySchedule;
  #refusals = 0;
  #unknown = 0;
  #exhausted: AwsCallFailure | undefined;

  constructor(
    policy: RetryPolicy,
    private readonly location: string,
  ) {
    this.#schedule = new RetrySchedule(policy);
  }

  /** Before each write: throws the last write's failure once no other attempt is allowed. */
  mayWrite(): void {
    if (this.#exhausted !== undefined) throw this.#exhausted;
  }

  /** After a write that did not land for sure. */
  async after(outcome: Exclude<WriteOutcome<unknown>, { status: 'written' }>): Promise<void> {
    if (outcome.status === 'refused') {
      this.#refusals += 1;
      if (this.#refusals >= MAX_ACQUIRE_ATTEMPTS) throw new LeaseContendedError(this.location, this.#refusals);
      return;
    }
    this.#unknown += 1;
    const delay = this.#schedule.nextDelay(outcome.failure, this.#unknown);
    if (delay === undefined) this.#exhausted = outcome.failure;
    else await this.#schedule.wait(delay);
  }
}
