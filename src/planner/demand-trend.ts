// Where demand is heading: a least-squares line through each client group's demand over the last
// cycles (kept in the controller state), projected to the time a decision made now has taken effect.
// Only a clear rise counts (slope over twice its standard error): an evening ramp or a flash crowd is
// met before it arrives, while noise and falling demand leave the figures as measured (restoring on a
// projected fall would be the risky side).

import { linearRegression } from 'simple-statistics';
import type { CyclePoint } from './controller-state.js';

/** Demand points older than this are not part of the trend. */
export const TREND_WINDOW_SECONDS = 20 * 60;
/** A projection never adds more than this share of a group's demand. */
const MAX_GROWTH = 0.5;
const MIN_POINTS = 3;
const MIN_SPAN_SECONDS = 180;

export interface DemandTrend {
  /** Client group -> projected relative growth at the horizon (0 when no clear rise). */
  readonly growth: ReadonlyMap<string, number>;
  /** Demand-weighted mean growth over all groups. */
  readonly overallGrowth: number;
}

export function projectDemand(
  history: readonly CyclePoint[],
  current: ReadonlyMap<string, number>,
  currentAt: string | undefined,
  horizonSeconds: number,
): DemandTrend {
  const growth = new Map<string, number>();
  if (currentAt === undefined || horizonSeconds <= 0) return { growth, overallGrowth: 0 };
  const nowMs = Date.parse(currentAt);
  // One point per distinct demand reading (cycles repeat a reading when the source had nothing newer).
  const byTime = new Map<number, Readonly<Record<string, number>>>();
  for (const p of history) {
    if (p.demandAt === undefined) continue;
    const t = Date.parse(p.demandAt);
    if (t < nowMs && nowMs - t <= TREND_WINDOW_SECONDS * 1000) byTime.set(t, p.demand);
  }
  const points = [...byTime.entries()].sort(([a], [b]) => a - b);
  let weighted = 0;
  let total = 0;
  for (const [id, demand] of current) {
    total += demand;
    const series: [number, number][] = [];
    for (const [t, demand] of points) {
      const v = demand[id];
      if (v !== undefined) series.push([(t - nowMs) / 1000, v]);
    }
    series.push([0, demand]);
    const g = projectedGrowth(series, demand, horizonSeconds);
    if (g > 0) {
      growth.set(id, g);
      weighted += g * demand;
    }
  }
  return { growth, overallGrowth: total > 0 ? weighted / total : 0 };
}

function projectedGrowth(series: readonly [number, number][], demandNow: number, horizonSeconds: number): number {
  if (series.length < MIN_POINTS || demandNow <= 0) return 0;
  const span = (series.at(-1)?.[0] ?? 0) - (series[0]?.[0] ?? 0);
  if (span < MIN_SPAN_SECONDS) return 0;
  const { m, b } = linearRegression(series);
  if (!(m > 0)) return 0;
  // The slope's standard error from the residuals: a rise within the noise is no trend.
  const n = series.length;
  const meanX = series.reduce((a, [x]) => a + x, 0) / n;
  const sxx = series.reduce((a, [x]) => a + (x - meanX) ** 2, 0);
  const sse = series.reduce((a, [x, y]) => a + (y - (m * x + b)) ** 2, 0);
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Number.POSITIVE_INFINITY;
  if (m < 2 * se) return 0;
  // Project from the fitted line's value now, not from the last (noisy) point.
  const projected = b + m * horizonSeconds;
  return Math.min(MAX_GROWTH, Math.max(0, projected / demandNow - 1));
}
