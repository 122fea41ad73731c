import { describe, expect, it } from 'vitest';
import { compareClocks, isClockSkewed } from '../../src/signals/clock-offset.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS } from '../../src/signals/freshness.js';

const T = Date.UTC(2026, 11, 1, 6, 0, 0);

describe('the local clock against the servers\' clocks', () => {
  it('is skewed only beyond the one clock-skew allowance, either way', () => {
    expect(CLOCK_SKEW_ALLOWANCE_SECONDS).toBe(60);
    for (const offset of [0, 59.9, -59.9, 60, -60]) expect(isClockSkewed(offset), `${offset} s`).toBe(false);
    for (const offset of [60.1, -60.1, 235, -604]) expect(isClockSkewed(offset), `${offset} s`).toBe(true);
  });

  it('compares nothing when no response was read', () => {
    expect(compareClocks([])).toBeUndefined();
  });

  it('reads a local clock within the Date header\'s second as right', () => {
    expect(compareClocks([{ source: 'globalaccelerator', serverMs: T, localMs: T + 999 }])?.offsetSeconds).toBe(0.499);
    expect(compareClocks([{ source: 'globalaccelerator', serverMs: T, localMs: T }])?.offsetSeconds).toBe(-0.5);
  });

  it('takes the response furthest from the local clock, and says who answered', () => {
    // A Date header names a whole second: the server's time is taken as its middle.
    const check = compareClocks([
      { source: 'globalaccelerator', serverMs: T, localMs: T + 400 },
      { source: 'cloudwatch eu-west-1', serverMs: T + 1_000, localMs: T + 1_000 - 235_000 },
      { source: 'cloudwatch eu-central-1', serverMs: T + 2_000, localMs: T + 2_000 + 30_000 },
    ]);
    expect(check).toEqual({
      offsetSeconds: -235.5,
      serverTime: '2026-12-01T06:00:01.000Z',
      localTime: '2026-12-01T05:56:06.000Z',
      source: 'cloudwatch eu-west-1',
      responseCount: 3,
    });
  });
});
