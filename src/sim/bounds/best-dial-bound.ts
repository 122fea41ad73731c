// The benchmark's best-dial bound: the lowest demand-weighted mean latency any setting of the Regions'
// traffic dials reaches in steady state with every Region within its usable capacity, routing by the
// simulator's ground truth. It sits between the LP bound (any assignment) and what a controller that
// can only turn dials could hope for.
//
// Search, on a grid of dials (default every 5 points from 100 down to 0):
//  - only healthy Regions' dials matter (the truth skips unhealthy Regions whatever their dial);
//  - a Region that is no metro's first healthy Region only receives spill, and its dial only matters
//    as zero or not: it is searched at 100 and 0 alone;
//  - when the remaining grid is small (<= 200,000 settings by default) every setting is tried, so the
//    result is exact on the grid; otherwise coordinate descent (one dial at a time, best grid value,
//    until a pass improves nothing) from several starts: all dials at 100, the dials that would shed
//    each Region's overload in proportion, and a greedy walk lowering the most overloaded Region's
//    dial a step at a time; while Regions stay overloaded, paired moves (see pairedMove) get past
//    the stalls single moves hit. The result is then the best setting found, not proven best: on 300
//    random problems of 3-4 Regions and 3-8 metros (10-point grid) it matched the exhaustive optimum
//    on 289. On the committed world (394 metros x 32 Regions) a search takes about 0.4 s with ample
//    capacity (642 evaluations) and 2-3 s when capacity binds or overflows (8,000-12,000), on the
//    development machine (2 cores, busy).
// Settings compare by total overload first, then mean latency; ties keep the earlier setting, and
// values are tried from 100 down, so the search is deterministic and prefers dials left at 100.

import type { RegionCode } from '../../domain/traffic.js';
import type { AssignmentProblem } from '../types.js';
import { assertUsableProblem } from './check-problem.js';
import { DialSteadyState, type DialEvaluation, type DialVector, type SteadyState } from './dial-steady-state.js';
import { BestDialOptionsError } from './errors.js';
import { flowsFromShares, latencyFiguresOfFlows, type FlowsByRegion } from './latency-figures.js';

export { BestDialOptionsError } from './errors.js';

export interface BestDialOptions {
  /** Grid step in dial points (default 5). */
  readonly stepPercent?: number;
  /** Largest number of settings searched exhaustively (default 200,000). */
  readonly exhaustiveLimit?: number;
  /** Coordinate-descent passes (or paired moves) per start at most (default 50). */
  readonly maxPasses?: number;
}

export type BestDialMethod = 'exhaustive' | 'coordinate-descent' | 'no-healthy-region';

export interface BestDialResult {
  /** Dial per Region in percent (unhealthy Regions at 100: their dial changes nothing). */
  readonly dials: Readonly<Record<RegionCode, number>>;
  readonly meanMs: number;
  readonly p95Ms: number;
  /** Every healthy Region within its usable capacity. */
  readonly feasible: boolean;
  /** Flows over usable capacity, summed over Regions (0 when feasible). */
  readonly overloadFlows: number;
  /** Per metro (same order as `problem.metros`), the share of its demand per Region. */
  readonly shares: readonly FlowsByRegion[];
  readonly loads: Readonly<Record<RegionCode, number>>;
  /** Dial settings evaluated. */
  readonly evaluations: number;
  readonly method: BestDialMethod;
}

/** Grid values from 100 down to 0 (0 included even when the step does not divide 100). */
export function dialGrid(stepPercent: number): number[] {
  if (!(Number.isFinite(stepPercent) && stepPercent > 0 && stepPercent <= 100)) throw new BestDialOptionsError('stepPercent', stepPercent);
  const values: number[] = [];
  for (let k = 0; 100 - k * stepPercent > 1e-9; k++) values.push(Math.round((100 - k * stepPercent) * 1e9) / 1e9);
  values.push(0);
  return values;
}

interface Scored {
  readonly state: SteadyState;
  readonly score: DialEvaluation;
}

class Search {
  evaluations = 0;
  private readonly overloadTolerance: number;

  constructor(readonly model: DialSteadyState) {
    this.overloadTolerance = 1e-9 * Math.max(1, model.totalDemand);
  }

  private scored(state: SteadyState): Scored {
    this.evaluations += 1;
    const e = this.model.evaluation(state);
    return { state, score: { overload: e.overload <= this.overloadTolerance ? 0 : e.overload, meanMs: e.meanMs } };
  }

  score(dials: DialVector): Scored {
    return this.scored(this.model.steadyState(dials));
  }

  /** `base` with one dial moved, evaluated incrementally. */
  move(base: Scored, h: number, value: number): Scored {
    return this.scored(this.model.moved(base.state, h, value));
  }

  /** Strictly better: less overload, or the same overload and a lower mean. */
  better(a: Scored, b: Scored): boolean {
    if (a.score.overload < b.score.overload - this.overloadTolerance) return true;
    if (a.score.overload > b.score.overload + this.overloadTolerance) return false;
    return a.score.meanMs < b.score.meanMs - 1e-9;
  }
}

export function searchBestDials(problem: AssignmentProblem, options: BestDialOptions = {}): BestDialResult {
  assertUsableProblem(problem);
  const grid = dialGrid(options.stepPercent ?? 5);
  const exhaustiveLimit = options.exhaustiveLimit ?? 200_000;
  const maxPasses = options.maxPasses ?? 50;
  if (!(exhaustiveLimit >= 0)) throw new BestDialOptionsError('exhaustiveLimit', exhaustiveLimit);
  if (!(Number.isInteger(maxPasses) && maxPasses >= 1)) throw new BestDialOptionsError('maxPasses', maxPasses);

  const state = new DialSteadyState(problem);
  const search = new Search(state);
  const values = state.regions.map((r) => (state.firstRegions.has(r) ? grid : [100, 0]));
  const allHundred = state.regions.map(() => 100);

  if (state.regions.length === 0) return result(problem, state, search.score(allHundred), search.evaluations, 'no-healthy-region');
  // Nothing to route: every setting is as good, keep the dials at 100.
  if (!(state.totalDemand > 0)) return result(problem, state, search.score(allHundred), search.evaluations, 'exhaustive');
  const combinations = values.reduce((n, v) => n * v.length, 1);
  if (combinations <= exhaustiveLimit) return result(problem, state, exhaustive(search, values), search.evaluations, 'exhaustive');

  let best: Scored | undefined;
  const seen = new Set<string>();
  for (const start of [allHundred, proportionalStart(state, grid), greedyStart(search, values)]) {
    const key = start.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const found = descend(search, values, start, maxPasses);
    if (best === undefined || search.better(found, best)) best = found;
  }
  return result(problem, state, best ?? search.score(allHundred), search.evaluations, 'coordinate-descent');
}

/** Every combination, first Region's value varying slowest, values in grid order (100 first). */
function exhaustive(search: Search, values: readonly (readonly number[])[]): Scored {
  const digits = values.map(() => 0);
  let best: Scored | undefined;
  for (;;) {
    const candidate = search.score(digits.map((d, h) => values[h]?.[d] ?? 100));
    if (best === undefined || search.better(candidate, best)) best = candidate;
    let h = digits.length - 1;
    while (h >= 0 && (digits[h] ?? 0) + 1 >= (values[h]?.length ?? 1)) digits[h--] = 0;
    if (h < 0) return best;
    digits[h] = (digits[h] ?? 0) + 1;
  }
}

/**
 * Coordinate passes until one improves nothing; then, while Regions are still overloaded, one paired
 * move, and passes again. Single moves stall when two neighbouring Regions are each other's spill
 * target: sending one's spill past the other means turning the other's dial to 0, which alone
 * overloads the first until its own dial comes down too.
 */
function descend(search: Search, values: readonly (readonly number[])[], start: DialVector, maxPasses: number): Scored {
  let current = search.score(start);
  for (let pass = 0; pass < maxPasses; pass++) {
    const next = coordinatePass(search, values, current) ?? (current.score.overload > 0 ? pairedMove(search, values, current) : undefined);
    if (next === undefined) break;
    // Rebuilt in full so incremental rounding cannot build up over many moves.
    current = search.score(next.state.dials);
  }
  return current;
}

/** Each dial in turn set to its best grid value; undefined when no dial improves. */
function coordinatePass(search: Search, values: readonly (readonly number[])[], start: Scored): Scored | undefined {
  let current = start;
  values.forEach((candidates, h) => {
    for (const candidate of candidates.map((v) => (v === current.state.dials[h] ? current : search.move(current, h, v)))) {
      if (search.better(candidate, current)) current = candidate;
    }
  });
  return current === start ? undefined : current;
}

/**
 * The best of: one dial switched between 0 and 100 (whether it takes spill), then the dial of a Region
 * this overloads further set to its best grid value. Undefined when no such pair improves.
 */
function pairedMove(search: Search, values: readonly (readonly number[])[], start: Scored): Scored | undefined {
  let best = start;
  const before = search.model.overloads(start.state);
  values.forEach((_, h1) => {
    const first = search.move(start, h1, (start.state.dials[h1] ?? 100) > 0 ? 0 : 100);
    if (search.better(first, best)) best = first;
    search.model.overloads(first.state).forEach((over, h2) => {
      if (!(over > (before[h2] ?? 0) + 1e-9 * search.model.totalDemand) || h2 === h1) return;
      for (const v of values[h2] ?? []) {
        if (v === first.state.dials[h2]) continue;
        const candidate = search.move(first, h2, v);
        if (search.better(candidate, best)) best = candidate;
      }
    });
  });
  return best === start ? undefined : best;
}

/** Each first Region's dial cut to the grid value that would shed its overload at all-100. */
function proportionalStart(state: DialSteadyState, grid: readonly number[]): number[] {
  const base = state.steadyState(state.regions.map(() => 100));
  const loads = base.loads;
  const overloads = state.overloads(base);
  return state.regions.map((r, h) => {
    const load = loads[h] ?? 0;
    const over = overloads[h] ?? 0;
    if (!state.firstRegions.has(r) || !(over > 0) || !(load > 0)) return 100;
    const wanted = (100 * (load - over)) / load;
    return grid.find((v) => v <= wanted) ?? 0;
  });
}

/** From all-100, lower the most overloaded Region's dial one grid value at a time until nothing is over. */
function greedyStart(search: Search, values: readonly (readonly number[])[]): number[] {
  const position = values.map(() => 0);
  const dials = (): number[] => position.map((p, h) => values[h]?.[p] ?? 100);
  const steps = values.reduce((n, v) => n + v.length, 0);
  for (let i = 0; i < steps; i++) {
    search.evaluations += 1;
    const overloads = search.model.overloads(search.model.steadyState(dials()));
    let pick = -1;
    overloads.forEach((over, h) => {
      const canLower = (position[h] ?? 0) + 1 < (values[h]?.length ?? 0);
      if (over > 0 && canLower && (pick < 0 || over > (overloads[pick] ?? 0))) pick = h;
    });
    if (pick < 0) break;
    position[pick] = (position[pick] ?? 0) + 1;
  }
  return dials();
}

function result(problem: AssignmentProblem, state: DialSteadyState, best: Scored, evaluations: number, method: BestDialMethod): BestDialResult {
  const shares = state.metroShares(best.state.dials);
  const flows = flowsFromShares(problem.demand, shares);
  const loads: Record<RegionCode, number> = Object.fromEntries(problem.regions.map((r) => [r.code, 0]));
  for (const byRegion of flows) for (const [r, f] of Object.entries(byRegion)) loads[r] = (loads[r] ?? 0) + f;
  // With nothing healthy every flow fails open onto a Region that serves nothing: all of it is overload.
  const overloadFlows = method === 'no-healthy-region' ? state.totalDemand : best.score.overload;
  return {
    dials: state.dialRecord(best.state.dials),
    ...latencyFiguresOfFlows(problem.metros, flows),
    feasible: overloadFlows === 0,
    overloadFlows,
    shares,
    loads,
    evaluations,
    method,
  };
}
