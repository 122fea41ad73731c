// CloudWatch statistics over one period's datapoints.

import type { Datum } from './metric-store.js';

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

export function isSupportedStat(stat: string): boolean {
  return ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].includes(stat) || PERCENTILE.test(stat);
}

/** The statistic's value, or undefined when it cannot be computed (no data, or no raw values). */
export function statisticOf(stat: string, data: readonly Datum[]): number | undefined {
  if (data.length === 0) return undefined;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const d of data) {
    count += d.sampleCount;
    sum += d.sum;
    if (d.minimum < min) min = d.minimum;
    if (d.maximum > max) max = d.maximum;
  }
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count > 0 ? sum / count : undefined;
    case 'Minimum':
      return min;
    case 'Maximum':
      return max;
  }
  const m = PERCENTILE.exec(stat);
  if (m === null) return undefined;
  // Percentiles need raw values; statistic sets alone cannot give them (as in CloudWatch).
  const values: number[] = [];
  for (const d of data) {
    if (d.values === undefined) return undefined;
    values.push(...d.values);
  }
  values.sort((a, b) => a - b);
  const p = Number(m[1]) / 100;
  // Nearest rank.
  const rank = Math.max(1, Math.ceil(p * values.length));
  return values[rank - 1];
}
