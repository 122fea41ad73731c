// Demand-weighted latency figures of an assignment of flows to Regions. Shared by the bounds and the
// simulator's metrics so every figure in the benchmark is computed the same way.

import type { RegionCode } from '../../domain/traffic.js';
import { MissingRttError } from './errors.js';
import type { LatencyFigures, ServiceMetro } from '../types.js';

/** Flows (same unit as demand) one metro sends to each Region; absent Regions carry none. */
export type FlowsByRegion = Readonly<Record<RegionCode, number>>;

export interface WeightedRtt {
  readonly rttMs: number;
  /** Flows seeing this RTT; zero and negative weights are ignored. */
  readonly weight: number;
}

/** Fraction of flows at or under the reported percentile. */
export const P95 = 0.95;

/**
 * Weighted mean and 95th percentile. The percentile is the lowest RTT at which the cumulative weight
 * reaches 95 % of the total (no interpolation: the figure is an RTT some flows really see). With no
 * weight at all both figures are NaN, so an empty assignment cannot pass for a fast one.
 */
export function weightedLatencyFigures(points: readonly WeightedRtt[]): LatencyFigures {
  const used = points.filter((p) => p.weight > 0);
  const total = used.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0)) return { meanMs: Number.NaN, p95Ms: Number.NaN };
  const meanMs = used.reduce((s, p) => s + p.weight * p.rttMs, 0) / total;
  return { meanMs, p95Ms: weightedPercentile(used, P95, total) };
}

function weightedPercentile(used: readonly WeightedRtt[], q: number, total: number): number {
  const sorted = [...used].sort((a, b) => a.rttMs - b.rttMs);
  // Relative slack so a cumulative sum that is 95 % up to rounding still counts as reaching it.
  const target = q * total * (1 - 1e-12);
  let cumulative = 0;
  for (const p of sorted) {
    cumulative += p.weight;
    if (cumulative >= target) return p.rttMs;
  }
  return sorted[sorted.length - 1]?.rttMs ?? Number.NaN;
}

/** The weighted points of per-metro flows (`flows[i]` belongs to `metros[i]`). */
export function weightedRttsOfFlows(metros: readonly ServiceMetro[], flows: readonly FlowsByRegion[]): WeightedRtt[] {
  const points: WeightedRtt[] = [];
  metros.forEach((metro, i) => {
    const byRegion = flows[i] ?? {};
    for (const [region, weight] of Object.entries(byRegion)) {
      if (!(weight > 0)) continue;
      const rttMs = metro.rttMs[region];
      if (rttMs === undefined) throw new MissingRttError(metro.id, region);
      points.push({ rttMs, weight });
    }
  });
  return points;
}

/** Demand-weighted mean and p95 RTT of per-metro per-Region flows. */
export function latencyFiguresOfFlows(metros: readonly ServiceMetro[], flows: readonly FlowsByRegion[]): LatencyFigures {
  return weightedLatencyFigures(weightedRttsOfFlows(metros, flows));
}

/** Flows per metro from shares of its demand (`shares[i]` sums to 1 for metro i). */
export function flowsFromShares(demand: readonly number[], shares: readonly FlowsByRegion[]): FlowsByRegion[] {
  return shares.map((byRegion, i) => {
    const d = demand[i] ?? 0;
    const out: Record<RegionCode, number> = {};
    for (const [region, share] of Object.entries(byRegion)) out[region] = d * share;
    return out;
  });
}
