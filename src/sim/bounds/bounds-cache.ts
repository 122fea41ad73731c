// The latency bounds for a run's instants (LP and best dial, each with every Region up to its capacity
// and up to its target), computed every `everySteps` steps and shared by every
// controller's run of the same scenario (the truth's demand is the same for all of them).

import type { BoundsFn } from '../run-simulation.js';
import { searchBestDials } from './best-dial-bound.js';
import { loadHighs, solveLpBound } from './lp-bound.js';

export interface BoundsAtStep {
  readonly lpMeanMs: number;
  readonly bestDialMeanMs: number;
  readonly lpTargetMeanMs: number;
  readonly bestDialTargetMeanMs: number;
}

export class BoundsCache {
  private readonly byStep = new Map<number, BoundsAtStep>();

  constructor(private readonly everySteps: number) {}

  /** A BoundsFn for runSimulation: between computed instants it repeats the last computed bounds. */
  fn(): BoundsFn {
    return async (problems, step) => {
      const anchor = Math.floor(step / this.everySteps) * this.everySteps;
      let found = this.byStep.get(anchor);
      if (found === undefined) {
        if (step !== anchor) return undefined;
        const highs = await loadHighs();
        found = {
          lpMeanMs: solveLpBound(problems.atCapacity, highs).meanMs,
          bestDialMeanMs: searchBestDials(problems.atCapacity, { stepPercent: 5 }).meanMs,
          lpTargetMeanMs: solveLpBound(problems.atTarget, highs).meanMs,
          bestDialTargetMeanMs: searchBestDials(problems.atTarget, { stepPercent: 5 }).meanMs,
        };
        this.byStep.set(anchor, found);
      }
      return found;
    };
  }
}
