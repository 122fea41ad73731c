// What ga-steer's own plans said while a Region was over capacity (after the third cycle of its stress):
// per Region, how long (and how much of it at instants where some dial setting avoids overload), how far over in truth,
// what the plans measured and predicted there, the dials they set, and the holds they gave. One line
// per Region, for the lead to start a trace from.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { Plan } from '../../src/plan/types.js';
import type { SeriesPoint } from '../../src/sim/run-simulation.js';

export interface PlanTrace {
  readonly tMs: number;
  readonly regions: readonly { region: RegionCode; measured: number | null; ifUnchanged: number | null; predicted: number | null; dialBefore: number; dialAfter: number }[];
  readonly holds: readonly { reason: string; region: RegionCode | null; message: string }[];
  /** Whether the plan judged the load heading over capacity absorbable by the other Regions (undefined: none heading over, or no search). */
  readonly absorbable: boolean | undefined;
}

/** The parts of a plan the trace reads (plans themselves are large). */
export function tracePlan(plan: Plan): PlanTrace {
  return {
    tMs: Date.parse(plan.generatedAt),
    regions: plan.regions.map((r) => ({
      region: r.region,
      measured: r.utilizationPercent,
      ifUnchanged: r.predictedIfUnchangedPercent,
      predicted: r.predictedUtilizationPercent,
      dialBefore: r.dialBeforePercent,
      dialAfter: r.dialAfterPercent,
    })),
    holds: plan.holds.map((h) => ({
      reason: h.reason,
      region: h.scope.kind === 'region' ? h.scope.region : h.scope.kind === 'endpoint-group' ? h.scope.address.region : null,
      message: h.message,
    })),
    absorbable: plan.decision?.overload?.absorbable,
  };
}

export interface OverloadTrace {
  /** One line per Region. */
  readonly lines: readonly string[];
  /**
   * The Region-minutes at feasible instants by what the latest plan said of that Region: the hold that
   * stopped it (LatencyBudgetExceeded: an offload the policy forbids, which the bounds do not know;
   * NoData: no fresh latency or load, e.g. before the first probe results arrive), or `Acted` when it
   * held nothing there (it changed dials, or predicted the Region under capacity).
   */
  readonly causes: Readonly<Record<string, number>>;
  /**
   * Of those Region-minutes, the ones where the latest plan judged the overload not absorbable (more
   * users over capacity than room below the margin elsewhere): at a feasible instant, the model's
   * picture was wrong about the room, and the planner worked to contain rather than relieve.
   */
  readonly unabsorbableMinutes: number;
}

/** When a plan gives several holds for a Region, the one that explains it best (first in this list). */
const CAUSE_ORDER = ['LatencyBudgetExceeded', 'NoData', 'StaleData', 'ReceiverAtCapacity', 'InsufficientCapacity', 'DialFloorReached', 'LastHealthyRegion', 'MinRegionsServing', 'CoolingDown', 'AwaitingEffect'];

function causeOf(plan: PlanTrace | undefined, region: RegionCode): string {
  if (plan === undefined) return 'NoPlanYet';
  const reasons = plan.holds.filter((h) => h.region === null || h.region === region).map((h) => h.reason);
  if (reasons.length === 0) return 'Acted';
  return CAUSE_ORDER.find((c) => reasons.includes(c)) ?? reasons[0] ?? 'Acted';
}

/**
 * @param late the instants (series indices) and Regions counted as over capacity late, in order.
 * @param feasible whether some dial setting avoids overload at an instant.
 */
export function traceOverload(
  series: readonly SeriesPoint[],
  late: readonly { index: number; region: RegionCode }[],
  plans: readonly PlanTrace[],
  stepMinutes: number,
  feasible: (index: number) => boolean,
): OverloadTrace {
  const latestPlan = (index: number): PlanTrace | undefined => {
    const t = Date.parse(series[index]?.t ?? '');
    return plans.findLast((p) => p.tMs <= t);
  };
  const causes: Record<string, number> = {};
  let unabsorbableMinutes = 0;
  for (const l of late.filter((x) => feasible(x.index))) {
    const plan = latestPlan(l.index);
    const cause = causeOf(plan, l.region);
    causes[cause] = (causes[cause] ?? 0) + stepMinutes;
    if (plan?.absorbable === false) unabsorbableMinutes += stepMinutes;
  }
  const byRegion = new Map<RegionCode, number[]>();
  for (const l of late) byRegion.set(l.region, [...(byRegion.get(l.region) ?? []), l.index]);
  const lines = [...byRegion].map(([region, indices]) => {
    const truth = indices.map((i) => series[i]?.utilizationPercent[region] ?? 0);
    const seen = indices.flatMap((i) => {
      const plan = latestPlan(i);
      return plan === undefined ? [] : [plan];
    });
    const unique = [...new Set(seen)];
    const view = unique.flatMap((p) => p.regions.filter((r) => r.region === region));
    const holdCounts = new Map<string, { n: number; message: string }>();
    for (const p of unique) {
      for (const h of p.holds) {
        if (h.region !== null && h.region !== region) continue;
        const prev = holdCounts.get(h.reason);
        holdCounts.set(h.reason, { n: (prev?.n ?? 0) + 1, message: prev?.message ?? h.message });
      }
    }
    const holds = [...holdCounts].sort((a, b) => b[1].n - a[1].n);
    const first = new Date(Date.parse(series[indices[0] ?? 0]?.t ?? '')).toISOString().slice(11, 16);
    const parts = [
      `${region} over capacity ${round(indices.length * stepMinutes)} min from ${first} (${round(indices.filter(feasible).length * stepMinutes)} at feasible instants; truth ${range(truth)} %)`,
      `${unique.length} plans there measured ${range(view.map((v) => v.measured))} %, predicted ${range(view.map((v) => v.ifUnchanged))} % unchanged and ${range(view.map((v) => v.predicted))} % with the plan`,
      `dial ${range(view.map((v) => v.dialAfter))}`,
      holds.length === 0 ? 'no holds' : `holds ${holds.map(([reason, h]) => `${reason} x${h.n}`).join(', ')} (first: "${holds[0]?.[1].message ?? ''}")`,
    ];
    return parts.join('; ');
  });
  return { lines, causes, unabsorbableMinutes };
}

function range(xs: readonly (number | null)[]): string {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return '-';
  const lo = Math.round(Math.min(...v));
  const hi = Math.round(Math.max(...v));
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
