// Period rules and bucketing shared by GetMetricData and GetMetricStatistics: StartTime is rounded
// down to the period, EndTime is exclusive, each datapoint falls in the period that holds it.

import type { Datum, MetricSeries } from './metric-store.js';

/** Regular resolution: multiples of 60; high resolution also 1, 5, 10, 20 and 30 seconds. */
export function isValidPeriod(periodSeconds: number): boolean {
  return [1, 5, 10, 20, 30].includes(periodSeconds) || periodSeconds % 60 === 0;
}

/** Period start (epoch seconds) -> the datapoints in it, for datapoints in [start rounded down, end). */
export function bucketsOf(series: MetricSeries | undefined, periodSeconds: number, startS: number, endS: number): Map<number, Datum[]> {
  const buckets = new Map<number, Datum[]>();
  if (series === undefined) return buckets;
  const first = Math.floor(startS / periodSeconds) * periodSeconds;
  for (const d of series.points) {
    const t = d.atMs / 1000;
    if (t < first || t >= endS) continue;
    const b = Math.floor(t / periodSeconds) * periodSeconds;
    const list = buckets.get(b);
    if (list === undefined) buckets.set(b, [d]);
    else list.push(d);
  }
  return buckets;
}

/** How many periods [start rounded down, end) spans: what the service counts against its datapoint limits. */
export function periodCount(periodSeconds: number, startS: number, endS: number): number {
  const first = Math.floor(startS / periodSeconds) * periodSeconds;
  return Math.ceil((endS - first) / periodSeconds);
}
