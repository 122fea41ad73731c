// The capacity margin (tier 2 of the objective): load above 95 % counts, and a Region a setting fills is
// judged against a lower line, a quarter of a point per point it adds: the model is off by a share of
// the load it moves, and a Region filled to just under 95 % reads over capacity minutes later.

import { describe, expect, it } from 'vitest';
import type { Trial } from '../../src/planner/dial-evaluator.js';
import { Objective } from '../../src/planner/objective.js';
import type { TrafficModel } from '../../src/planner/traffic-model.js';
import { makePolicy, unitBasis as basis } from '../support/planner-fixtures.js';

const policy = makePolicy();
const model = { totalDemandAhead: 200 } as unknown as TrafficModel;
const trial = (a: number, b: number): Trial => ({ routed: Float64Array.of(a, b), rttTotal: 0, dials: Float64Array.of(1, 1), rerouted: undefined as never });
const regions = new Map([
  ['eu-central-1', basis('eu-central-1', 0)],
  ['eu-west-1', basis('eu-west-1', 1)],
]);

describe('the capacity margin', () => {
  // Heading for 80 % and 97 % at the current dials.
  const objective = new Objective(policy, model, regions, trial(80, 97));
  const dials = Float64Array.of(1, 1);

  it('counts a Region heading above 95 % from 95 %, as before, when a setting does not fill it', () => {
    expect(objective.score(trial(80, 97), dials).totalInMargin).toBeCloseTo(2, 9);
  });

  it('counts a Region a setting fills from 95 % less a quarter of what it adds', () => {
    // eu-central-1 80 -> 94: 14 points added, its line at 91.5, 2.5 points counted.
    expect(objective.score(trial(94, 83), dials).totalInMargin).toBeCloseTo(2.5, 9);
    // 80 -> 90: line at 92.5, nothing counted.
    expect(objective.score(trial(90, 87), dials).totalInMargin).toBe(0);
  });

  it('so of two settings that both clear capacity, it prefers the one that leaves the filled Region further from it', () => {
    const near = objective.score(trial(94, 83), dials);
    const far = objective.score(trial(90, 87), dials);
    expect(objective.tier(far, near)).toBe('margin');
    expect(objective.compare(far, near)).toBeLessThan(0);
  });
});
