// The dial evaluator keeps its routing incrementally (each trial re-routes only the classes a moved
// dial reaches, in packed rows, and commits copy them back). These pin it to routing every class
// afresh: after any sequence of trials and commits, the committed landing, routed demand and latency
// sum are those of the committed dials.

import { describe, expect, it } from 'vitest';
import { landGroup } from '../../src/model/routing.js';
import { DialEvaluator, type Trial } from '../../src/planner/dial-evaluator.js';
import { readGovernedTopology } from '../../src/planner/governed-topology.js';
import { readSignals } from '../../src/planner/signal-view.js';
import { buildTrafficModel, type TrafficModel } from '../../src/planner/traffic-model.js';
import { Random } from '../../src/sim/random.js';
import { makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];

function modelOf(random: Random): TrafficModel {
  // Two listeners whose dials differ in places, so they route apart (two buckets).
  const regions: RegionSpec[] = REGIONS.map((region, i) => ({ region, full: 1000, load: 400 + 100 * i, dials: [100, i % 2 === 0 ? 100 : 80] }));
  const groups = Object.fromEntries(
    Array.from({ length: 12 }, (_, g) => [`G${g}`, { rtt: Object.fromEntries(REGIONS.map((r) => [r, 5 + Math.round(random.next() * 200)])), demand: 1 + Math.round(random.next() * 50) }]),
  );
  const policy = makePolicy({}, regions);
  const snapshot = makeSnapshot({ regions, groups, listeners: 2 });
  const signals = readSignals(policy, snapshot, NOW);
  if (!signals.ok) throw new Error('the fixture should read');
  const accelerator = snapshot.accelerators[0];
  if (accelerator === undefined) throw new Error('the fixture has an accelerator');
  return buildTrafficModel(readGovernedTopology(policy, accelerator), signals.view.clientGroups, new Map());
}

/** Landing of every (listener, class) for the variables' dials, routed afresh, with routed demand and the latency sum. */
function routeAfresh(model: TrafficModel, dials: Float64Array): { landing: Float64Array[][]; routed: Float64Array; rtt: number } {
  const R = model.regions.length;
  const routed = new Float64Array(R);
  let rtt = 0;
  const landing = model.listeners.map((l) => {
    const dial = Float64Array.from(l.dialNow);
    for (let r = 0; r < R; r += 1) if ((l.variableOf[r] as number) >= 0) dial[r] = dials[l.variableOf[r] as number] as number;
    return model.classes.map((c) => {
      const land = new Float64Array(R);
      const cost = landGroup(c.pref, l.present, dial, l.healthy, land, c.landingCost);
      for (let r = 0; r < R; r += 1) routed[r] = (routed[r] as number) + l.weight * c.demandAhead * (land[r] as number);
      rtt += l.weight * c.demandAhead * cost;
      return land;
    });
  });
  return { landing, routed, rtt };
}

/** The largest gap between two rows, relative to the expected value (at least 1). */
function gap(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < actual.length; i += 1) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)) / Math.max(1, Math.abs(expected[i] as number)));
  return worst;
}

/** The largest gap over every (listener, class) landing. */
function landingGap(model: TrafficModel, evaluator: DialEvaluator, trial: Trial, expected: Float64Array[][]): number {
  let worst = 0;
  model.listeners.forEach((_, li) => model.classes.forEach((_c, ci) => (worst = Math.max(worst, gap(evaluator.landingOf(trial, li, ci), expected[li]?.[ci] as Float64Array)))));
  return worst;
}

describe('DialEvaluator', () => {
  it('after any trials and commits, holds the routing of its committed dials', () => {
    const random = new Random(20261130);
    let worst = 0;
    for (let round = 0; round < 20; round += 1) {
      const model = modelOf(random);
      const evaluator = new DialEvaluator(model);
      const V = model.variables.length;
      expect(V).toBeGreaterThan(REGIONS.length);
      for (let step = 0; step < 25; step += 1) {
        // Prepare: one to three variables to new dials, some to 0 (a dial at 0 changes which Regions can
        // take spill, so classes far down the order may fall back onto it or off it).
        const moves = new Map<number, number>();
        for (let k = 1 + Math.floor(random.next() * 3); k > 0; k -= 1) moves.set(Math.floor(random.next() * V), random.next() < 0.4 ? 0 : 0.05 + 0.95 * random.next());
        // Act
        const trial: Trial = evaluator.trial(moves);
        const fresh = routeAfresh(model, trial.dials);
        // Assess: the trial itself, then (committed or not) the evaluator's own setting.
        worst = Math.max(worst, gap(trial.routed, fresh.routed), gap([trial.rttTotal], [fresh.rtt]), landingGap(model, evaluator, trial, fresh.landing));
        if (random.next() < 0.5) evaluator.commit(trial);
        const now = evaluator.current();
        const committed = routeAfresh(model, now.dials);
        worst = Math.max(worst, gap(now.routed, committed.routed), gap([now.rttTotal], [committed.rtt]), landingGap(model, evaluator, now, committed.landing));
      }
    }
    // Sums made in another order differ in the last bits only.
    expect(worst).toBeLessThan(1e-9);
  });

  it('starts every evaluator of a model where the first one started, whatever the others did since', () => {
    const model = modelOf(new Random(7));
    const dials = Float64Array.from(model.variables, (v) => v.currentPercent / 100);
    const start = routeAfresh(model, dials);
    // The first evaluator routes the model; the next ones start from its routing (handed over), and
    // each moves on its own: commits to any of them, the first included, do not show in a later one.
    const first = new DialEvaluator(model);
    const evaluators = [first, new DialEvaluator(model, first), new DialEvaluator(model, first)];
    for (const e of evaluators) e.commit(e.trial(new Map([[0, 0.3], [2, 0.5]])));
    const fresh = new DialEvaluator(model, first);
    expect(Array.from(fresh.current().dials)).toEqual(Array.from(dials));
    expect(gap(fresh.current().routed, start.routed)).toBeLessThan(1e-9);
    expect(landingGap(model, fresh, fresh.current(), start.landing)).toBeLessThan(1e-9);
    const moved = fresh.trial(new Map([[1, 0.6]]));
    expect(gap(moved.routed, routeAfresh(model, moved.dials).routed)).toBeLessThan(1e-9);
  });

  it('refuses to start from an evaluator of another model', () => {
    const a = new DialEvaluator(modelOf(new Random(7)));
    expect(() => new DialEvaluator(modelOf(new Random(7)), a)).toThrow(/another model/);
  });

  it('lets a trial be read after a later one only if it was kept, and the kept one reads as it did', () => {
    // Prepare: a trial, kept, and its landings read before any other trial.
    const model = modelOf(new Random(11));
    const evaluator = new DialEvaluator(model);
    const first = evaluator.trial(new Map([[0, 0.3], [2, 0.5]]));
    const kept = evaluator.keep(first);
    const landingsOf = (t: Trial): number[][] => model.listeners.flatMap((_, li) => model.classes.map((_c, ci) => Array.from(evaluator.landingOf(t, li, ci))));
    const before = landingsOf(first);
    // Act: a later trial moving other dials (its rows overwrite the first's scratch rows).
    const later = evaluator.trial(new Map([[1, 0.2], [3, 0.4]]));
    // Assess
    expect(() => evaluator.landingOf(first, 0, 0)).toThrow(/keep\(\)/);
    expect(() => evaluator.moveFromNatural(first, 0)).toThrow(/keep\(\)/);
    expect(() => new DialEvaluator(model).commit(later)).toThrow(/another evaluator/);
    expect(landingsOf(kept)).toEqual(before);
    evaluator.commit(kept);
    expect(gap(evaluator.current().routed, routeAfresh(model, kept.dials).routed)).toBeLessThan(1e-9);
    expect(landingGap(model, evaluator, evaluator.current(), routeAfresh(model, kept.dials).landing)).toBeLessThan(1e-9);
  });
});
