// The two latency bounds for a run's instants, computed every `everySteps` steps and shared by every
// controller's run of the same scenario (the truth's demand is the same for all of them).

import type { BoundsFn } from '../run-simulation.js';
import { searchBestDials } from './best-dial-bound.js';
import { loadHighs, solveLpBound } from './lp-bound.js';

export interface BoundsAtStep {
  readonly lpMeanMs: number;
  readonly bestDialMeanMs: number;
  readonly bestDialFeasible: boolean;
}

export class BoundsCache {
  private readonly byStep = new Map<number, BoundsAtStep>();

  constructor(private readonly everySteps: number) {}

  /** A BoundsFn for runSimulation: between computed instants it repeats the last computed bounds. */
  fn(): BoundsFn {
    return async (problem, step) => {
      const anchor = Math.floor(step / this.everySteps) * this.everySteps;
      let found = this.byStep.get(anchor);
      if (found === undefined) {
        if (step !== anchor) return undefined;
        const highs = await loadHighs();
        const lp = solveLpBound(problem, highs);
        const best = searchBestDials(problem, { stepPercent: 5 });
        found = { lpMeanMs: lp.meanMs, bestDialMeanMs: best.meanMs, bestDialFeasible: best.feasible };
        this.byStep.set(anchor, found);
      }
      return { lpMeanMs: found.lpMeanMs, bestDialMeanMs: found.bestDialMeanMs };
    };
  }
}
