// The bounds of src/sim/bounds/bounds-cache.ts (LP and best dial, each up to capacity and up to target,
// every `everySteps` steps, shared by every controller's run of a world), keeping beside them whether
// each instant is feasible: the best-dial bound at capacity found a dial setting (5-point grid, the
// simulator's ground-truth routing) with every healthy Region within capacity, and whether any
// assignment at all (the LP) keeps them there. And whether a dial setting keeps every healthy Region
// within the planner's capacity margin (95 %): where the only settings that avoid overload run some
// Region at 95-100 %, a controller whose predictions are a few points off cannot count on hitting
// them, and the campaign reports the overload at such thin instants apart.

import { CAPACITY_MARGIN_PERCENT } from '../../src/planner/objective.js';
import { searchBestDials, type BestDialResult } from '../../src/sim/bounds/best-dial-bound.js';
import type { AssignmentProblem } from '../../src/sim/types.js';
import { loadHighs, solveLpBound } from '../../src/sim/bounds/lp-bound.js';
import type { BoundsFn } from '../../src/sim/run-simulation.js';

export interface InstantBounds {
  readonly lpMeanMs: number;
  readonly bestDialMeanMs: number;
  readonly lpTargetMeanMs: number;
  readonly bestDialTargetMeanMs: number;
  /** Some dial setting keeps every healthy Region within capacity (the best-dial bound's search). */
  readonly dialFeasible: boolean;
  /** Some assignment keeps every healthy Region within capacity (the LP). */
  readonly lpFeasible: boolean;
  /** Some dial setting keeps every healthy Region within CAPACITY_MARGIN_PERCENT of capacity (best-dial search, same grid). */
  readonly marginFeasible: boolean;
}

export class FeasibilityBoundsCache {
  private readonly byStep = new Map<number, InstantBounds>();

  constructor(readonly everySteps: number) {}

  /** A BoundsFn for runSimulation: between computed instants it repeats the last computed bounds. */
  fn(): BoundsFn {
    return async (problems, step) => {
      const anchor = this.anchorOf(step);
      let found = this.byStep.get(anchor);
      if (found === undefined) {
        if (step !== anchor) return undefined;
        const highs = await loadHighs();
        const lp = solveLpBound(problems.atCapacity, highs);
        const bestDial = searchBestDials(problems.atCapacity, { stepPercent: 5 });
        found = {
          lpMeanMs: lp.meanMs,
          bestDialMeanMs: bestDial.meanMs,
          lpTargetMeanMs: solveLpBound(problems.atTarget, highs).meanMs,
          bestDialTargetMeanMs: searchBestDials(problems.atTarget, { stepPercent: 5 }).meanMs,
          dialFeasible: bestDial.feasible,
          lpFeasible: lp.status === 'optimal',
          marginFeasible: marginFeasible(problems.atCapacity, bestDial),
        };
        this.byStep.set(anchor, found);
      }
      return found;
    };
  }

  /** The bounds that stand for a step (its anchor's), once computed. */
  at(step: number): InstantBounds | undefined {
    return this.byStep.get(this.anchorOf(step));
  }

  /** Every computed instant, in step order. */
  instants(): InstantBounds[] {
    return [...this.byStep].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  }

  private anchorOf(step: number): number {
    return Math.floor(step / this.everySteps) * this.everySteps;
  }
}

/**
 * Whether some dial setting keeps every healthy Region within the planner's capacity margin: the best
 * setting at capacity already does, or a search with only that share of capacity usable finds one.
 */
export function marginFeasible(atCapacity: AssignmentProblem, bestAtCapacity: BestDialResult): boolean {
  if (!bestAtCapacity.feasible) return false;
  const margin = CAPACITY_MARGIN_PERCENT / 100;
  const within = atCapacity.regions.every((r) => atCapacity.unhealthy.has(r.code) || (bestAtCapacity.loads[r.code] ?? 0) <= r.capacity * atCapacity.capacityFraction * margin);
  return within || searchBestDials({ ...atCapacity, capacityFraction: atCapacity.capacityFraction * margin }, { stepPercent: 5 }).feasible;
}
