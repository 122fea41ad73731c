import { describe, expect, it } from 'vitest';
import { predictLanding, type RoutingGroupState } from '../../src/model/routing.js';
import { EXPERIMENT_REGIONS, makeExperimentProximity, readExperimentCsv } from '../support/experiment-proximity.js';

function groups(entries: Record<string, [dialPercent: number, healthy?: boolean]>): Map<string, RoutingGroupState> {
  return new Map(Object.entries(entries).map(([r, [dialPercent, healthy]]) => [r, { dialPercent, healthy: healthy ?? true }]));
}

describe('GA routing model', () => {
  it('reproduces AWS\'s worked example: two Regions, both dials at 50', () => {
    // Prepare: 50 requests from each coast.
    const state = groups({ 'us-east-1': [50], 'us-west-2': [50] });
    // Act
    const east = predictLanding(['us-east-1', 'us-west-2'], state);
    const west = predictLanding(['us-west-2', 'us-east-1'], state);
    // Assess: each coast gets 25 served nearby and 25 by the other Region.
    expect(east['us-east-1'] ?? 0).toBeCloseTo(0.5);
    expect(east['us-west-2'] ?? 0).toBeCloseTo(0.5);
    expect(50 * (east['us-east-1'] ?? 0) + 50 * (west['us-east-1'] ?? 0)).toBeCloseTo(50);
  });

  it('sends everything to the nearest group at dial 100', () => {
    expect(predictLanding(['a-1', 'b-1', 'c-1'], groups({ 'a-1': [100], 'b-1': [100], 'c-1': [100] }))).toEqual({ 'a-1': 1 });
  });

  it('sends spill to the next group with a dial above 0, and does not turn it away a second time', () => {
    // b-1 at 50 keeps all of a-1's spill: its dial applies to its own users, not to traffic turned away elsewhere.
    const shares = predictLanding(['a-1', 'b-1', 'c-1'], groups({ 'a-1': [50], 'b-1': [50], 'c-1': [100] }));
    expect(shares).toEqual({ 'a-1': 0.5, 'b-1': 0.5 });
    // A receiver at 0 is passed over.
    expect(predictLanding(['a-1', 'b-1', 'c-1'], groups({ 'a-1': [70], 'b-1': [0], 'c-1': [100] }))).toEqual({ 'a-1': 0.7, 'c-1': expect.closeTo(0.3) });
  });

  it('fails over ignoring dials when the nearest group is unhealthy', () => {
    const shares = predictLanding(['a-1', 'b-1', 'c-1'], groups({ 'a-1': [100, false], 'b-1': [0], 'c-1': [100] }));
    expect(shares).toEqual({ 'b-1': 1 });
  });

  it('fails open to the nearest group when nothing is healthy', () => {
    expect(predictLanding(['a-1', 'b-1'], groups({ 'a-1': [0, false], 'b-1': [100, false] }))).toEqual({ 'a-1': 1 });
  });

  it('keeps traffic in the nearest group when every other dial is 0 (all dials at 0 is not zero traffic)', () => {
    expect(predictLanding(['a-1', 'b-1'], groups({ 'a-1': [0], 'b-1': [0] }))).toEqual({ 'a-1': 1 });
  });
});

describe('GA routing model against the real RIPE Atlas dial experiment', () => {
  const proximity = makeExperimentProximity();
  const before = readExperimentCsv('ripe-atlas-22698168-before.csv');
  const after = readExperimentCsv('ripe-atlas-22698331-after.csv');
  const full = groups(Object.fromEntries(EXPERIMENT_REGIONS.map((r) => [r, [100]])));
  const halfFrankfurt = groups({ ...Object.fromEntries(EXPERIMENT_REGIONS.map((r) => [r, [100]])), 'eu-central-1': [50] });

  it('with all dials at 100, predicts at least 90 % of probes in the Region they were measured in', () => {
    const hits = before.filter((p) => {
      const shares = predictLanding(proximity(p), full);
      return (shares[p.region] ?? 0) > 0.5;
    }).length;
    expect(before).toHaveLength(470);
    expect(hits / before.length).toBeGreaterThanOrEqual(0.9);
  });

  it('with eu-central-1 at 50, keeps within 8 points of the measured 44 % and spills to us-east-1', () => {
    const formerFrankfurt = before.filter((p) => p.region === 'eu-central-1');
    const measuredStay = after.filter((p) => p.region === 'eu-central-1').length / formerFrankfurt.length;
    let stay = 0;
    let spill = 0;
    let spillToUsEast = 0;
    for (const p of formerFrankfurt) {
      const shares = predictLanding(proximity(p), halfFrankfurt);
      stay += shares['eu-central-1'] ?? 0;
      spill += 1 - (shares['eu-central-1'] ?? 0);
      spillToUsEast += shares['us-east-1'] ?? 0;
    }
    const predictedStay = stay / formerFrankfurt.length;
    expect(measuredStay).toBeCloseTo(0.44, 2);
    expect(Math.abs(predictedStay - measuredStay)).toBeLessThanOrEqual(0.08);
    expect(spillToUsEast / spill).toBeGreaterThanOrEqual(0.8);
  });
});
