// The AWS retry policy: what is retried, and a time budget that holds whether sleeps are real or
// simulated (the simulator's pass no real time).

import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/adapters/aws/aws-call-error.js';
import { callWithRetry } from '../../src/adapters/aws/retry.js';

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const invalid = Object.assign(new Error('bad dial'), { name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 } });
const quota = Object.assign(new Error('too many'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } });

function counting(error: Error) {
  let calls = 0;
  return { call: async () => { calls += 1; throw error; }, calls: () => calls };
}

describe('callWithRetry', () => {
  it('stops at the time budget even when the sleeps are simulated', async () => {
    const slept: number[] = [];
    const f = counting(throttled);
    const policy = { maxAttempts: 10, budgetMs: 1000, baseDelayMs: 400, maxDelayMs: 5000, random: () => 1, sleep: async (ms: number) => void slept.push(ms) };
    await expect(callWithRetry('GlobalAccelerator', 'UpdateEndpointGroup', policy, f.call)).rejects.toMatchObject({ kind: 'throttled', attempts: 2 });
    // 400 ms waited, then 400 + 800 would pass the 1000 ms budget.
    expect(slept).toEqual([400]);
    expect(f.calls()).toBe(2);
  });

  it('does not retry validation or quota errors', async () => {
    for (const e of [invalid, quota]) {
      const f = counting(e);
      const err = await callWithRetry('GlobalAccelerator', 'UpdateEndpointGroup', { maxAttempts: 5, budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 1 }, f.call).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(AwsCallError);
      expect(f.calls()).toBe(1);
    }
  });

  it('retries a call refused for a skewed request time once the SDK has corrected it from the answer\'s Date', async () => {
    const expired = (corrected: boolean) =>
      Object.assign(new Error('Signature expired: 20261201T055625Z is now earlier than 20261201T055500Z (20261201T060000Z - 5 min.)'), {
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 403, ...(corrected ? { clockSkewCorrected: true } : {}) },
      });
    const policy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 1 };
    let calls = 0;
    const result = await callWithRetry('GlobalAccelerator', 'DescribeAccelerator', policy, async () => {
      calls += 1;
      if (calls === 1) throw expired(true);
      return 'read';
    });
    expect(result).toBe('read');
    expect(calls).toBe(2);
    // Without the SDK's correction the same refusal is final: retrying would sign with the same time.
    const f = counting(expired(false));
    await expect(callWithRetry('GlobalAccelerator', 'DescribeAccelerator', policy, f.call)).rejects.toMatchObject({ kind: 'access' });
    expect(f.calls()).toBe(1);
  });
});
