// When demand is more than the Regions can take, load above capacity is contained, not spread: a setting
// that leaves fewer Regions over capacity wins, as long as it predicts no more overload than the current
// dials (no higher worst Region, and no more in total at the same worst). Pulling a Region just under
// capacity is a gain, but not one the latency budget gives way to; evening out Regions that all stay
// over capacity is no gain at all (it serves no one more, and the users moved pay the latency).

import { describe, expect, it } from 'vitest';
import type { Trial } from '../../src/planner/dial-evaluator.js';
import { Objective } from '../../src/planner/objective.js';
import type { TrafficModel } from '../../src/planner/traffic-model.js';
import { makePolicy, unitBasis as basis } from '../support/planner-fixtures.js';

const policy = makePolicy();
const NAMES = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
const model = { totalDemandAhead: 300 } as unknown as TrafficModel;
const trial = (...routed: number[]): Trial => ({ routed: Float64Array.from(routed), rttTotal: 0, dials: Float64Array.from(routed, () => 1), rerouted: undefined as never });
/** A trial whose users pay `meanMs` on average (the model's total demand is 300). */
const costing = (meanMs: number, t: Trial): Trial => ({ ...t, rttTotal: meanMs * 300 });
const objectiveAt = (...heading: number[]): Objective =>
  new Objective(policy, model, new Map(heading.map((_, i) => [NAMES[i] as string, basis(NAMES[i] as string, i)])), trial(...heading));

describe('load above capacity, contained', () => {
  const dials = Float64Array.of(1, 1, 1);

  it('fills a receiver to capacity, not past it, when the hot Region cannot be relieved in full', () => {
    // 150 % and 60 %: 210 points for two Regions of 100.
    const objective = objectiveAt(150, 60, 0);
    const contained = objective.score(trial(110, 100, 0), dials);
    const spread = objective.score(trial(105, 105, 0), dials);
    expect(spread.worstOverCapacity).toBeLessThan(contained.worstOverCapacity);
    expect(objective.compare(contained, spread)).toBeLessThan(0);
    expect(objective.tier(contained, spread)).toBe('capacity');
  });

  it('never buys fewer Regions over capacity with a worse worst Region than doing nothing', () => {
    // 101 % and 150 %: moving the first one's excess onto the second clears one Region.
    const objective = objectiveAt(101, 150, 0);
    const unchanged = objective.score(trial(101, 150, 0), dials);
    const cleared = objective.score(trial(99, 152, 0), dials);
    expect(cleared.regionsOverCapacity).toBeLessThan(unchanged.regionsOverCapacity);
    expect(cleared.moreOverloadThanUnchanged).toBe(1);
    expect(objective.compare(cleared, unchanged)).toBeGreaterThan(0);
  });

  it('nor with more load above capacity in total at the same worst Region', () => {
    // The worst (200 %) stays; 101 % moved onto 150 % adds to the total.
    const objective = objectiveAt(101, 150, 200);
    const unchanged = objective.score(trial(101, 150, 200), dials);
    const cleared = objective.score(trial(98, 153, 200), dials);
    expect(cleared.moreOverloadThanUnchanged).toBe(1);
    expect(objective.compare(cleared, unchanged)).toBeGreaterThan(0);
  });

  it('does not move load between two Regions that both stay over capacity: no user more is served, and the users moved pay the latency', () => {
    // 150 % and 120 %: 270 points for two Regions of 100 whatever the dials; evening them out serves no one more.
    const objective = objectiveAt(150, 120, 0);
    const unchanged = objective.score(costing(20, trial(150, 120, 0)), dials);
    const evened = objective.score(costing(45, trial(135, 135, 0)), dials);
    expect(evened.worstOverCapacity).toBeLessThan(unchanged.worstOverCapacity);
    expect(evened.totalOverCapacity).toBeCloseTo(unchanged.totalOverCapacity, 9);
    expect(objective.compare(unchanged, evened)).toBeLessThan(0);
    expect(objective.tier(unchanged, evened)).not.toBe('capacity');
    expect(objective.relievesOverload(evened, unchanged)).toBe(false);
  });

  it('prefers a Region pulled just under capacity, but that is no relief the latency budget yields to', () => {
    const objective = objectiveAt(100.4, 60, 0);
    const unchanged = objective.score(trial(100.4, 60, 0), dials);
    const under = objective.score(trial(99.4, 61, 0), dials);
    expect(objective.compare(under, unchanged)).toBeLessThan(0);
    expect(objective.relievesOverload(under, unchanged)).toBe(false);
    // Less load above capacity is.
    const hot = objectiveAt(120, 60, 0);
    expect(hot.relievesOverload(hot.score(trial(105, 75, 0), dials), hot.score(trial(120, 60, 0), dials))).toBe(true);
  });
});
