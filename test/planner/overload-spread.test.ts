// When demand is more than the Regions can take, load above capacity is contained, not spread: a setting
// that leaves fewer Regions over capacity wins, as long as it predicts no more overload than the current
// dials (no higher worst Region, and no more in total at the same worst). The one exception is a lowered
// dial given back (none lowered) when the other Regions cannot take the overload: the worst Region takes
// its own users home, and no more Regions, and fewer users in the one least over capacity, are over it.
// Pulling a Region just under capacity is a gain, but not one the latency budget gives way to; evening
// out Regions that all stay over capacity is no gain at all (it serves no one more, and the users moved
// pay the latency).

import { describe, expect, it } from 'vitest';
import type { Trial } from '../../src/planner/dial-evaluator.js';
import { Objective } from '../../src/planner/objective.js';
import type { TrafficModel } from '../../src/planner/traffic-model.js';
import type { Policy } from '../../src/policy/schema.js';
import { DEFAULT_REGIONS, makePolicy, unitBasis as basis } from '../support/planner-fixtures.js';

const policy = makePolicy();
const NAMES = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
const model = { totalDemandAhead: 300 } as unknown as TrafficModel;
const trial = (...routed: number[]): Trial => ({ routed: Float64Array.from(routed), rttTotal: 0, dials: Float64Array.from(routed, () => 1), rerouted: undefined as never });
/** A trial whose users pay `meanMs` on average (the model's total demand is 300). */
const costing = (meanMs: number, t: Trial): Trial => ({ ...t, rttTotal: meanMs * 300 });
/** A trial at the given dials (fractions). */
const at = (dials: readonly number[], ...routed: number[]): Trial => ({ ...trial(...routed), dials: Float64Array.from(dials) });
/** The objective of the policy's Regions (the first of NAMES onwards, one per routed value) at the `current` trial. */
const objectiveOf = (p: Policy, current: Trial): Objective =>
  new Objective(p, model, new Map(Array.from(current.routed, (_, i) => [NAMES[i] as string, basis(NAMES[i] as string, i)])), current);
const objectiveAt = (...heading: number[]): Objective => objectiveOf(policy, trial(...heading));
/** The same with a third Region in the policy. */
const threeRegions = makePolicy({}, [...DEFAULT_REGIONS, { region: 'eu-north-1', full: 1000, load: 0 }]);
const objectiveOfThreeAt = (...heading: number[]): Objective => objectiveOf(threeRegions, trial(...heading));
/** Three Regions heading for `heading` at the current `dials`. */
const objectiveOfThreeWith = (dials: readonly number[], ...heading: number[]): Objective => objectiveOf(threeRegions, at(dials, ...heading));

describe('load above capacity, contained', () => {
  const dials = Float64Array.of(1, 1, 1);

  it('fills a receiver to its capacity margin, not to capacity, when the overload exceeds the room', () => {
    // 150 % and 60 %: 210 points for two Regions of 100. Filled by 25 points, the receiver's margin
    // line is 95 - 25 / 4 = 88.75 %: at 85 % it is clear of it; at 100 % it is over capacity half of the time.
    const objective = objectiveAt(150, 60);
    expect(objective.overloadExceedsRoom).toBe(true);
    const contained = objective.score(trial(125, 85), dials);
    const toCapacity = objective.score(trial(110, 100), dials);
    const spread = objective.score(trial(105, 105), dials);
    expect(contained.regionsOverCapacity).toBe(1);
    expect(toCapacity.regionsOverCapacity).toBe(2);
    expect(toCapacity.totalOverCapacity).toBeLessThan(contained.totalOverCapacity);
    expect(objective.compare(contained, toCapacity)).toBeLessThan(0);
    expect(objective.tier(contained, toCapacity)).toBe('capacity');
    expect(objective.compare(contained, spread)).toBeLessThan(0);
    expect(objective.tier(contained, spread)).toBe('capacity');
  });

  it('fills receivers as far as capacity where the overload fits elsewhere (relief over several steps goes through them)', () => {
    // The same two Regions, and a third one empty: room for the 50 points over capacity.
    const objective = objectiveOfThreeAt(150, 60, 0);
    expect(objective.overloadExceedsRoom).toBe(false);
    const toCapacity = objective.score(trial(110, 100, 0), dials);
    const contained = objective.score(trial(125, 85, 0), dials);
    expect(toCapacity.regionsOverCapacity).toBe(1);
    expect(objective.compare(toCapacity, contained)).toBeLessThan(0);
    expect(objective.tier(toCapacity, contained)).toBe('capacity');
    // 130 % and 60 %: 99 % and 91 % relieves the hot Region in full, the receiver in its margin.
    const fits = objectiveAt(130, 60);
    expect(fits.overloadExceedsRoom).toBe(false);
    const relieved = fits.score(trial(99, 91), dials);
    expect(relieved.regionsOverCapacity).toBe(0);
    expect(fits.compare(relieved, fits.score(trial(110, 80), dials))).toBeLessThan(0);
  });

  it('never buys fewer Regions over capacity with a worse worst Region than doing nothing', () => {
    // 101 % and 150 %: lowering the first one's dial moves its excess onto the second and clears one
    // Region, but sends users away to a Region over capacity (giving back is below).
    const objective = objectiveAt(101, 150, 0);
    const unchanged = objective.score(trial(101, 150, 0), dials);
    const cleared = objective.score(at([0.95, 1, 1], 99, 152, 0), dials);
    expect(cleared.regionsOverCapacity).toBeLessThan(unchanged.regionsOverCapacity);
    expect(cleared.moreOverloadThanUnchanged).toBe(1);
    expect(objective.compare(cleared, unchanged)).toBeGreaterThan(0);
  });

  it('nor with more load above capacity in total at the same worst Region', () => {
    // The worst (200 %) stays; 101 % moved onto 150 % adds to the total.
    const objective = objectiveAt(101, 150, 200);
    const unchanged = objective.score(trial(101, 150, 200), dials);
    const cleared = objective.score(at([0.9, 1, 1], 98, 153, 200), dials);
    expect(cleared.moreOverloadThanUnchanged).toBe(1);
    expect(objective.compare(cleared, unchanged)).toBeGreaterThan(0);
  });

  it('gives a lowered dial back to the Region most over capacity when no setting can relieve it, so that another Region comes back under capacity', () => {
    // Two Regions and no room (a third one down): 140 % and 117 %, each dial lowered to 70 % and passing
    // spill to the other. Raising the first dial takes its own users home: it rises to 150 %, the second
    // comes back under capacity at 99 %.
    const current = [0.7, 0.7];
    const objective = objectiveOf(policy, at(current, 140, 117));
    expect(objective.overloadExceedsRoom).toBe(true);
    const cur = Float64Array.from(current);
    const unchanged = objective.score(at(current, 140, 117), cur);
    const givenBack = objective.score(at([1, 0.7], 150, 99), cur);
    expect(givenBack.worstOverCapacity).toBeGreaterThan(unchanged.worstOverCapacity);
    expect(givenBack.moreOverloadThanUnchanged).toBe(0);
    expect(givenBack.regionsOverCapacity).toBe(1);
    expect(objective.compare(givenBack, unchanged)).toBeLessThan(0);
    expect(objective.tier(givenBack, unchanged)).toBe('capacity');
    // The same levels reached by lowering the second Region's dial send its users away to a Region over
    // capacity: no gain buys that.
    const sentAway = objective.score(at([0.7, 0.5], 150, 99), cur);
    expect(sentAway.moreOverloadThanUnchanged).toBe(1);
    expect(objective.compare(sentAway, unchanged)).toBeGreaterThan(0);
  });

  it('gives back step by step: less load over capacity in the Region least over it counts before the total', () => {
    // 150 %, 115 % and 82 %: 65 points over capacity, 13 of room. A step that brings the worst Region's
    // users home takes 5 points off the second Region, and 3 points from the third (which had room):
    // more in total over capacity, but the second Region is nearer to coming back under capacity.
    const current = [0.2, 0.65, 1];
    const objective = objectiveOfThreeWith(current, 150, 115, 82);
    expect(objective.overloadExceedsRoom).toBe(true);
    const cur = Float64Array.from(current);
    const unchanged = objective.score(at(current, 150, 115, 82), cur);
    const step = objective.score(at([0.3, 0.65, 1], 158, 110, 79), cur);
    expect(step.totalOverCapacity).toBeGreaterThan(unchanged.totalOverCapacity);
    expect(step.moreOverloadThanUnchanged).toBe(0);
    expect(objective.compare(step, unchanged)).toBeLessThan(0);
    expect(step.leastOverCapacity).toBeLessThan(unchanged.leastOverCapacity);
    // Raising the worst Region for none relieved elsewhere is still more overload.
    const forNothing = objective.score(at([0.3, 0.65, 1], 158, 115, 74), cur);
    expect(forNothing.moreOverloadThanUnchanged).toBe(1);
  });

  it('gives nothing back past the worst Region where the overload fits in the other Regions', () => {
    // 130 % and 110 %, with room for both excesses in the third Region (20 %): raising the first dial
    // would bring the second nearer to capacity, but the overload can be relieved instead.
    const objective = objectiveOfThreeWith([0.5, 1, 1], 130, 110, 20);
    expect(objective.overloadExceedsRoom).toBe(false);
    const cur = Float64Array.of(0.5, 1, 1);
    const raised = objective.score(at([0.6, 1, 1], 135, 104, 21), cur);
    expect(raised.regionsOverCapacity).toBe(2);
    expect(raised.leastOverCapacity).toBe(0);
    expect(raised.moreOverloadThanUnchanged).toBe(1);
  });

  it('does not move load between two Regions that both stay over capacity: no user more is served, and the users moved pay the latency', () => {
    // 150 % and 120 %: 270 points for two Regions of 100 whatever the dials; evening them out serves no one more.
    const objective = objectiveAt(150, 120, 0);
    const unchanged = objective.score(costing(20, trial(150, 120, 0)), dials);
    const evened = objective.score(costing(45, trial(135, 135, 0)), dials);
    expect(evened.worstOverCapacity).toBeLessThan(unchanged.worstOverCapacity);
    expect(evened.totalOverCapacity).toBeCloseTo(unchanged.totalOverCapacity, 9);
    expect(objective.compare(unchanged, evened)).toBeLessThan(0);
    // Evening out wins in no tier before the worst Region's: it moves away from one Region fewer over capacity.
    expect(objective.tier(evened, unchanged)).toBeUndefined();
    expect(objective.relievesOverload(evened, unchanged)).toBe(false);
  });

  it('breaks ties on the worst Region in a tier of its own, after latency, not as capacity relief', () => {
    const objective = objectiveAt(150, 120);
    const base = objective.score(costing(20, trial(150, 120)), dials);
    const lowerWorst = { ...base, worstOverCapacity: base.worstOverCapacity - 10 };
    expect(objective.compare(lowerWorst, base)).toBeLessThan(0);
    expect(objective.tier(lowerWorst, base)).toBe('worst');
    // Latency comes first.
    const slower = objective.score(costing(25, trial(150, 120)), dials);
    expect(objective.compare({ ...slower, worstOverCapacity: base.worstOverCapacity - 10 }, base)).toBeGreaterThan(0);
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

describe('relief of load above capacity in chosen Regions', () => {
  // The latency budget gives way to a receiver passing spill on only where this relieves the Regions
  // read over capacity: relief elsewhere, or within the tolerance, does not count.
  const objective = objectiveOfThreeAt(150, 90, 0);
  const overByReading = new Set([0]);

  it('counts load taken off the Regions named, in users over capacity', () => {
    expect(objective.relievesOverloadIn(trial(120, 100, 20), overByReading)).toBe(true);
    expect(objective.relievesOverloadIn(trial(150, 60, 30), overByReading)).toBe(false);
  });

  it('counts nothing within the tolerance, nor relief of a Region not named', () => {
    expect(objective.relievesOverloadIn(trial(149.8, 90, 0.2), overByReading)).toBe(false);
    const receiverOver = objectiveOfThreeAt(150, 110, 0);
    expect(receiverOver.relievesOverloadIn(trial(150, 95, 15), overByReading)).toBe(false);
    expect(receiverOver.relievesOverloadIn(trial(150, 95, 15), new Set([1]))).toBe(true);
  });
});
