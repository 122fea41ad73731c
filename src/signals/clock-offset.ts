// The local clock against the services' own clocks, judged with the one clock-skew allowance that
// signal ages use (freshness.ts): a clock further off than that cannot judge an age or stamp a time.

import type { ServerClockCheck } from '../snapshot/schema.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS } from './freshness.js';

/** One response's server time (its `Date` header) beside the local clock's reading when it arrived. */
export interface ClockReading {
  /** Who answered: `globalaccelerator`, `cloudwatch eu-central-1`. */
  readonly source: string;
  readonly serverMs: number;
  readonly localMs: number;
}

/**
 * The reading furthest from zero stands for them all: any service whose time disagrees with the local
 * clock by more than the allowance is reason enough to hold. Undefined when nothing answered.
 * A `Date` header has whole seconds (the server's time is within the second it names): the offset is
 * taken from the middle of that second, good to half a second plus the response's transit.
 */
export function compareClocks(readings: readonly ClockReading[]): ServerClockCheck | undefined {
  let furthest: ClockReading | undefined;
  for (const r of readings) {
    if (furthest === undefined || Math.abs(offsetMs(r)) > Math.abs(offsetMs(furthest))) furthest = r;
  }
  if (furthest === undefined) return undefined;
  return {
    offsetSeconds: Math.round(offsetMs(furthest)) / 1000,
    serverTime: new Date(furthest.serverMs).toISOString(),
    localTime: new Date(furthest.localMs).toISOString(),
    source: furthest.source,
    responseCount: readings.length,
  };
}

function offsetMs(r: ClockReading): number {
  return r.localMs - (r.serverMs + 500);
}

/** Further off than the allowance, either way. */
export function isClockSkewed(offsetSeconds: number): boolean {
  return Math.abs(offsetSeconds) > CLOCK_SKEW_ALLOWANCE_SECONDS;
}
