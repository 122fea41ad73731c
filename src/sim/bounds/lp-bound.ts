// The benchmark's lower bound on latency: the best fractional assignment of every metro's demand to
// healthy Regions under capacity, solved as an LP by HiGHS (model in lp-model.ts). No dial setting can
// do better, since any dial setting's steady state is one such assignment.
//
// Size: the committed world (394 metros x 32 Regions: 12,640 columns, 0.7 MB of LP text) builds, parses
// and solves in 0.15-0.2 s on the development machine (2 cores) when quiet and 0.25-0.45 s when busy,
// whether capacity is ample, binding or overflowing; building the text is 10-50 ms of that.

import type { RegionCode } from '../../domain/traffic.js';
import type { AssignmentProblem } from '../types.js';
import { assertUsableProblem, healthyRegions, usableCapacity } from './check-problem.js';
import { LpSolveError } from './errors.js';
import { flowsFromShares, latencyFiguresOfFlows, type FlowsByRegion } from './latency-figures.js';
import type { LpSolver } from './load-highs.js';
import { buildLpModel, overflowVariable, shareVariable } from './lp-model.js';

export { loadHighs, type LpSolver } from './load-highs.js';

export type LpBoundStatus =
  /** Every flow fits within the usable capacity. */
  | 'optimal'
  /** Demand exceeds usable capacity: the least possible overflow, then the least latency. */
  | 'optimal-with-overflow'
  /** Nothing is healthy: GA fails open to each metro's nearest Region, all of it overflow. */
  | 'no-healthy-region';

export interface LpBoundResult {
  /** Demand-weighted mean RTT of the optimal assignment (NaN when there is no demand). */
  readonly meanMs: number;
  /** Demand-weighted 95th percentile RTT over the fractional assignment. */
  readonly p95Ms: number;
  /** Per metro (same order as `problem.metros`), the share of its demand per Region; sums to 1. */
  readonly assignment: readonly FlowsByRegion[];
  /** Flows each Region carries in the assignment. */
  readonly loads: FlowsByRegion;
  /** Flows each Region carries above its usable capacity (0 for every Region when `optimal`). */
  readonly overflow: FlowsByRegion;
  readonly totalOverflow: number;
  readonly status: LpBoundStatus;
}

/** Solver noise under this many flows (relative to total demand) is read as zero. */
const NOISE = 1e-9;

/**
 * @throws BoundsInputError when the problem is inconsistent; LpSolveError when HiGHS does not reach an
 *   optimum (it should not: the model is always feasible and bounded).
 */
export function solveLpBound(problem: AssignmentProblem, highs: LpSolver): LpBoundResult {
  assertUsableProblem(problem);
  const healthy = healthyRegions(problem);
  const fallback = healthy[0];
  if (fallback === undefined) return failOpen(problem);

  const model = buildLpModel(problem);
  // Metros with no demand are left out of the LP; give them their nearest healthy Region.
  const assignment: Record<RegionCode, number>[] = problem.metros.map((m) => ({ [m.proximity.find((r) => healthy.includes(r)) ?? fallback]: 1 }));
  const overflow: Record<RegionCode, number> = Object.fromEntries(healthy.map((r) => [r, 0]));

  if (model.metroIndices.length > 0) {
    const solution = highs.solve(model.text, { output_flag: false });
    if (solution.Status !== 'Optimal') throw new LpSolveError(solution.Status, model.metroIndices.length, model.regionIndices.length);
    const value = (name: string): number => {
      const col = solution.Columns[name];
      return col !== undefined && 'Primal' in col ? col.Primal : 0;
    };
    for (const mi of model.metroIndices) {
      const shares: Record<RegionCode, number> = {};
      for (const ri of model.regionIndices) {
        const code = problem.regions[ri]?.code;
        const share = value(shareVariable(mi, ri));
        if (code !== undefined && share > NOISE) shares[code] = share;
      }
      if (Object.keys(shares).length > 0) assignment[mi] = normalised(shares);
    }
  }

  const flows = flowsFromShares(problem.demand, assignment);
  const loads = loadsOf(problem, flows);
  const total = problem.demand.reduce((s, d) => s + d, 0);
  let totalOverflow = 0;
  for (const r of problem.regions) {
    if (problem.unhealthy.has(r.code)) continue;
    // Read from the loads rather than the o_r columns, so overflow and assignment agree exactly.
    const over = (loads[r.code] ?? 0) - usableCapacity(problem, r.capacity);
    const o = over > NOISE * Math.max(1, total) ? over : 0;
    overflow[r.code] = o;
    totalOverflow += o;
  }
  const figures = latencyFiguresOfFlows(problem.metros, flows);
  return { ...figures, assignment, loads, overflow, totalOverflow, status: totalOverflow > 0 ? 'optimal-with-overflow' : 'optimal' };
}

/** Shares cleaned of solver noise, summing to exactly 1. */
function normalised(shares: Record<RegionCode, number>): Record<RegionCode, number> {
  const sum = Object.values(shares).reduce((s, v) => s + v, 0);
  const out: Record<RegionCode, number> = {};
  for (const [r, v] of Object.entries(shares)) out[r] = v / sum;
  return out;
}

function loadsOf(problem: AssignmentProblem, flows: readonly FlowsByRegion[]): Record<RegionCode, number> {
  const loads: Record<RegionCode, number> = Object.fromEntries(problem.regions.map((r) => [r.code, 0]));
  for (const byRegion of flows) for (const [r, f] of Object.entries(byRegion)) loads[r] = (loads[r] ?? 0) + f;
  return loads;
}

function failOpen(problem: AssignmentProblem): LpBoundResult {
  const assignment = problem.metros.map((m) => (m.proximity[0] === undefined ? {} : { [m.proximity[0]]: 1 }));
  const flows = flowsFromShares(problem.demand, assignment);
  const loads = loadsOf(problem, flows);
  const totalOverflow = Object.values(loads).reduce((s, v) => s + v, 0);
  return { ...latencyFiguresOfFlows(problem.metros, flows), assignment, loads, overflow: loads, totalOverflow, status: 'no-healthy-region' };
}
