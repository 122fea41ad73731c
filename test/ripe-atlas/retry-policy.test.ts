import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs, retryDelayMs } from '../../src/adapters/ripe-atlas/client/retry-policy.js';

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 409, 410, 422].some(isRetryableStatus)).toBe(false);
  });

  it('doubles the step, keeps half fixed and half jittered, and caps it', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, 500, 60_000, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, 500, 60_000, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(40, 500, 60_000, () => 1)).toBe(60_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it('uses Retry-After when given, and refuses one longer than the longest wait', () => {
    const config = { retryBaseDelayMs: 100, maxRetryDelayMs: 10_000, random: () => 0 };
    expect(retryDelayMs(0, 3000, config)).toBe(3000);
    expect(retryDelayMs(0, 20_000, config)).toBeUndefined();
    expect(retryDelayMs(2, undefined, config)).toBe(200);
  });
});
