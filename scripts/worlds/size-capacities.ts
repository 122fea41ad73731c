// Each Region's capacity, from what it serves under GA alone at the daily peak (ga-alone-peak.ts) and
// the utilization the world is meant to show there:
//  - hot: one or two Regions at 105-160 %, the others at 50-85 %;
//  - calm: every Region at 45-78 % (nothing above the default drain threshold of 80 %);
//  - over-capacity: sized as hot, then every capacity scaled so that all of them together are below
//    the peak demand: no dial setting (no assignment at all) avoids overload at the peak.
// A Region almost nobody is nearest to (a receiver only) gets a capacity of its own size instead of
// one sized on its handful of flows.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { Draw } from './draw.js';
import type { GaAlonePeak } from './ga-alone-peak.js';

export type WorldKind = 'hot' | 'calm' | 'over-capacity';

export interface SizedCapacities {
  readonly capacity: Readonly<Record<RegionCode, number>>;
  /** Peak utilization under GA alone that the capacities give, in percent (rounded). */
  readonly peakUtilizationPercent: Readonly<Record<RegionCode, number>>;
  /** Regions above 100 % at the peak under GA alone. */
  readonly hot: readonly RegionCode[];
}

/** A Region nearest to less than this share of peak demand is a receiver only. */
const RECEIVER_ONLY_SHARE = 0.03;

export function drawWorldKind(draw: Draw): WorldKind {
  return draw.weighted<WorldKind>([['hot', 14], ['calm', 3], ['over-capacity', 3]]);
}

export function sizeCapacities(draw: Draw, kind: WorldKind, regions: readonly RegionCode[], peak: GaAlonePeak): SizedCapacities {
  const load = (r: RegionCode): number => peak.peakLoad[r] ?? 0;
  const served = regions.filter((r) => load(r) >= RECEIVER_ONLY_SHARE * peak.peakTotal);
  const hot = kind === 'calm' ? [] : draw.sample(served, Math.min(served.length, draw.chance(0.35) ? 2 : 1));
  const capacity: Record<RegionCode, number> = {};
  for (const r of regions) {
    const utilization = hot.includes(r) ? draw.uniform(1.05, 1.6) : kind === 'calm' ? draw.uniform(0.45, 0.78) : draw.uniform(0.5, 0.85);
    capacity[r] = served.includes(r) ? load(r) / utilization : Math.max(load(r) / utilization, draw.uniform(0.08, 0.25) * peak.peakTotal);
  }
  if (kind === 'over-capacity') {
    const sum = Object.values(capacity).reduce((s, c) => s + c, 0);
    const scale = peak.peakTotal / draw.uniform(1.08, 1.3) / sum;
    for (const r of regions) capacity[r] = (capacity[r] ?? 0) * Math.min(1, scale);
  }
  for (const r of regions) capacity[r] = roundCapacity(capacity[r] ?? 0);
  const peakUtilizationPercent = Object.fromEntries(regions.map((r) => [r, Math.round((load(r) / (capacity[r] ?? 1)) * 100)]));
  return { capacity, peakUtilizationPercent, hot: regions.filter((r) => load(r) > (capacity[r] ?? 0)) };
}

/** Three significant figures, at least 100 flows. */
function roundCapacity(x: number): number {
  const unit = 10 ** Math.max(2, Math.floor(Math.log10(Math.max(1, x))) - 2);
  return Math.max(100, Math.round(x / unit) * unit);
}
