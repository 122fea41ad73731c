// RTTs for N vantage points whose p50/p90/p95 ACROSS vantage points are exactly a recorded latency
// measurement's, as ga-steer's summary computes them (type-7 quantiles of the per-vantage medians):
// the vantages sit on a piecewise-linear quantile curve through (0.5, p50), (0.9, p90), (0.95, p95).

import { quantileSorted } from 'simple-statistics';

export interface LatencyQuantiles {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
}

/** At most this many vantages per group: enough for every quantile to land on a vantage. */
const MAX_VANTAGES = 61;

/**
 * The smallest count >= `atLeast` whose RTTs reproduce every measurement's quantiles (to the
 * thousandth of a millisecond, as the summary rounds), or undefined when the quantiles are not in order.
 */
export function vantageCountFor(measurements: readonly LatencyQuantiles[], atLeast: number): number | undefined {
  if (measurements.some((m) => !(m.p50Ms <= m.p90Ms && m.p90Ms <= m.p95Ms && m.p50Ms >= 0))) return undefined;
  for (let n = Math.max(3, atLeast); n <= MAX_VANTAGES; n += 1) {
    if (measurements.every((m) => reproduces(vantageRtts(m, n), m))) return n;
  }
  return undefined;
}

/** `count` RTTs, ascending, on the measurement's quantile curve. */
export function vantageRtts(m: LatencyQuantiles, count: number): number[] {
  const tail = m.p95Ms - m.p90Ms;
  const knots: [number, number][] = [
    [0, m.p50Ms * 0.7],
    [0.5, m.p50Ms],
    [0.9, m.p90Ms],
    [0.95, m.p95Ms],
    [1, m.p95Ms + (tail > 0 ? tail : m.p95Ms * 0.05)],
  ];
  return Array.from({ length: count }, (_, i) => round3(curveAt(knots, count === 1 ? 0.5 : i / (count - 1))));
}

function curveAt(knots: readonly [number, number][], p: number): number {
  for (let i = 1; i < knots.length; i += 1) {
    const [p1, v1] = knots[i] as [number, number];
    const [p0, v0] = knots[i - 1] as [number, number];
    if (p <= p1) return v0 + ((p - p0) / (p1 - p0)) * (v1 - v0);
  }
  return (knots[knots.length - 1] as [number, number])[1];
}

function reproduces(rtts: readonly number[], m: LatencyQuantiles): boolean {
  return round3(quantileSorted(rtts, 0.5)) === round3(m.p50Ms) && round3(quantileSorted(rtts, 0.9)) === round3(m.p90Ms) && round3(quantileSorted(rtts, 0.95)) === round3(m.p95Ms);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
