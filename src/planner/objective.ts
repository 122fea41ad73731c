// What the planner minimises, in this order (issue: "one joint decision"):
//  1. predicted load above 100 % of capacity: the worst Region's excess, then the total;
//  2. predicted load above each Region's threshold: its target when it runs hot (above
//     drainAbovePercent, or above capacity) at the current dials; otherwise its target or, inside the
//     hysteresis band, its current predicted level, so a warm Region is neither drained nor filled
//     further for nothing;
//  3. the latency users pay: demand-weighted mean RTT of where they land;
//  4. the size of the change.
// Each tier compares with a tolerance: a difference below it is no difference, so noise in the
// figures does not turn into dial changes.

import type { RegionCode } from '../domain/traffic.js';
import type { Policy } from '../policy/schema.js';
import type { Trial } from './dial-evaluator.js';
import type { RegionBasis } from './load-basis.js';
import type { TrafficModel } from './traffic-model.js';

export interface Score {
  readonly worstOverCapacity: number;
  readonly totalOverCapacity: number;
  readonly totalOverThreshold: number;
  readonly meanRttMs: number;
  readonly changePoints: number;
}

/** Tolerances per tier: utilization points, points, points, milliseconds, dial points. */
const TOLERANCE = { worst: 0.05, total: 0.05, threshold: 0.5, rttMs: 0.01, change: 1e-9 } as const;

export interface ObjectiveRegion {
  readonly region: RegionCode;
  readonly index: number;
  readonly coef: number;
  readonly offset: number;
  readonly targetPercent: number;
  readonly drainAbovePercent: number;
  /** Tier-2 threshold for this decision. */
  readonly thresholdPercent: number;
  /** Predicted utilization at the current dials: where the Region is heading if nothing changes. */
  readonly aheadPercent: number;
  readonly hot: boolean;
}

export class Objective {
  readonly regions: readonly ObjectiveRegion[];

  constructor(
    policy: Policy,
    private readonly model: TrafficModel,
    basis: ReadonlyMap<RegionCode, RegionBasis>,
    current: Trial,
  ) {
    const regions: ObjectiveRegion[] = [];
    for (const b of basis.values()) {
      const rp = policy.regions[b.region];
      if (rp === undefined || !b.healthy) continue;
      const ahead = b.coef * (current.routed[b.index] as number) + b.offset;
      const hot = ahead > rp.drainAbovePercent || ahead > 100;
      const threshold = hot ? rp.targetPercent : Math.max(rp.targetPercent, Math.min(rp.drainAbovePercent, ahead));
      regions.push({
        region: b.region,
        index: b.index,
        coef: b.coef,
        offset: b.offset,
        targetPercent: rp.targetPercent,
        drainAbovePercent: rp.drainAbovePercent,
        thresholdPercent: threshold,
        aheadPercent: ahead,
        hot,
      });
    }
    this.regions = regions.sort((a, b) => a.index - b.index);
  }

  utilization(trial: Trial, region: ObjectiveRegion): number {
    return region.coef * (trial.routed[region.index] as number) + region.offset;
  }

  /** Predicted utilization per Region for a trial. */
  predicted(trial: Trial): Map<RegionCode, number> {
    return new Map(this.regions.map((r) => [r.region, this.utilization(trial, r)]));
  }

  score(trial: Trial, currentDials: Float64Array): Score {
    let worst = 0;
    let total = 0;
    let overThreshold = 0;
    for (const r of this.regions) {
      const u = this.utilization(trial, r);
      const over = u - 100;
      if (over > 0) {
        worst = Math.max(worst, over);
        total += over;
      }
      if (u > r.thresholdPercent) overThreshold += u - r.thresholdPercent;
    }
    let change = 0;
    for (let v = 0; v < trial.dials.length; v += 1) change += Math.abs((trial.dials[v] as number) - (currentDials[v] as number)) * 100;
    const demand = this.model.totalDemandAhead;
    return {
      worstOverCapacity: worst,
      totalOverCapacity: total,
      totalOverThreshold: overThreshold,
      meanRttMs: demand > 0 ? trial.rttTotal / demand : 0,
      changePoints: change,
    };
  }
}

/** Negative when `a` is better than `b`, positive when worse, 0 when equal within the tolerances. */
export function compareScores(a: Score, b: Score): number {
  const tiers: [number, number, number][] = [
    [a.worstOverCapacity, b.worstOverCapacity, TOLERANCE.worst],
    [a.totalOverCapacity, b.totalOverCapacity, TOLERANCE.total],
    [a.totalOverThreshold, b.totalOverThreshold, TOLERANCE.threshold],
    [a.meanRttMs, b.meanRttMs, TOLERANCE.rttMs],
    [a.changePoints, b.changePoints, TOLERANCE.change],
  ];
  for (const [x, y, tol] of tiers) {
    if (x < y - tol) return -1;
    if (x > y + tol) return 1;
  }
  return 0;
}

/** The tier in which `a` beats `b` (the first tier where they differ), for rules and explanations. */
export function decisiveTier(a: Score, b: Score): 'capacity' | 'threshold' | 'latency' | 'change' | undefined {
  const tiers: ['capacity' | 'threshold' | 'latency' | 'change', number, number, number][] = [
    ['capacity', a.worstOverCapacity, b.worstOverCapacity, TOLERANCE.worst],
    ['capacity', a.totalOverCapacity, b.totalOverCapacity, TOLERANCE.total],
    ['threshold', a.totalOverThreshold, b.totalOverThreshold, TOLERANCE.threshold],
    ['latency', a.meanRttMs, b.meanRttMs, TOLERANCE.rttMs],
    ['change', a.changePoints, b.changePoints, TOLERANCE.change],
  ];
  for (const [name, x, y, tol] of tiers) {
    if (x < y - tol) return name;
    if (x > y + tol) return undefined;
  }
  return undefined;
}
