// The simulator's ground truth for GA's routing: AWS's worked example, the rules of DESIGN.md section 1,
// and the real RIPE Atlas dial experiment replayed on the world's metros.

import { describe, expect, it } from 'vitest';
import { greatCircleKm } from '../../src/model/geo-distance.js';
import { edgeProximity } from '../../src/sim/edge-proximity.js';
import { truthRoutingShares } from '../../src/sim/truth/ga-routing.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { EXPERIMENT_REGIONS, readExperimentCsv } from '../support/experiment-proximity.js';

const state = (dials: Record<string, number>, unhealthy: string[] = []) =>
  Object.fromEntries(Object.entries(dials).map(([r, d]) => [r, { dialPercent: d, healthy: !unhealthy.includes(r) }]));

describe('ground-truth GA routing', () => {
  it('reproduces AWS\'s two-Region example: both dials at 50, each coast keeps half and sends half across', () => {
    const dials = state({ 'us-east-1': 50, 'us-west-2': 50 });
    expect(truthRoutingShares(['us-east-1', 'us-west-2'], dials)).toEqual({ 'us-east-1': 0.5, 'us-west-2': 0.5 });
    expect(truthRoutingShares(['us-west-2', 'us-east-1'], dials)).toEqual({ 'us-west-2': 0.5, 'us-east-1': 0.5 });
  });

  it('fails over ignoring dials, skips dial-0 receivers, and fails open when nothing is healthy', () => {
    expect(truthRoutingShares(['a-1', 'b-1', 'c-1'], state({ 'a-1': 100, 'b-1': 0, 'c-1': 100 }, ['a-1']))).toEqual({ 'b-1': 1 });
    expect(truthRoutingShares(['a-1', 'b-1', 'c-1'], state({ 'a-1': 40, 'b-1': 0, 'c-1': 100 }))).toEqual({ 'a-1': 0.4, 'c-1': 0.6 });
    expect(truthRoutingShares(['a-1', 'b-1'], state({ 'a-1': 0, 'b-1': 0 }))).toEqual({ 'a-1': 1 });
    expect(truthRoutingShares(['a-1', 'b-1'], state({ 'a-1': 50, 'b-1': 50 }, ['a-1', 'b-1']))).toEqual({ 'a-1': 1 });
  });

  it('replays the RIPE Atlas dial experiment on the world\'s metros: Frankfurt keeps about half, the spill goes to us-east-1', () => {
    const world = loadWorld();
    const before = readExperimentCsv('ripe-atlas-22698168-before.csv');
    const after = readExperimentCsv('ripe-atlas-22698331-after.csv');
    // Each probe enters at its nearest edge, as the truth's metros do (ties: the nearest metro's RTT).
    const edgeOrder = edgeProximity(world, EXPERIMENT_REGIONS);
    const proximityOf = (lat: number, lon: number): string[] => {
      let best = world.metros[0];
      let bestKm = Infinity;
      for (const m of world.metros) {
        const km = greatCircleKm(lat, lon, m.latitude, m.longitude);
        if (km < bestKm) [best, bestKm] = [m, km];
      }
      return edgeOrder(lat, lon, best?.rttMs ?? {});
    };
    const all100 = state(Object.fromEntries(EXPERIMENT_REGIONS.map((r) => [r, 100])));
    const hits = before.filter((p) => (truthRoutingShares(proximityOf(p.latitude, p.longitude), all100)[p.region] ?? 0) === 1).length;
    expect(hits / before.length).toBeGreaterThanOrEqual(0.9);

    const frankfurt = before.filter((p) => p.region === 'eu-central-1');
    const half = state({ ...Object.fromEntries(EXPERIMENT_REGIONS.map((r) => [r, 100])), 'eu-central-1': 50 });
    let stay = 0;
    let toUsEast = 0;
    for (const p of frankfurt) {
      const shares = truthRoutingShares(proximityOf(p.latitude, p.longitude), half);
      stay += shares['eu-central-1'] ?? 0;
      toUsEast += shares['us-east-1'] ?? 0;
    }
    const measuredStay = after.filter((p) => p.region === 'eu-central-1').length / frankfurt.length;
    expect(Math.abs(stay / frankfurt.length - measuredStay)).toBeLessThanOrEqual(0.08);
    expect(toUsEast / (frankfurt.length - stay)).toBeGreaterThanOrEqual(0.8);
  });
});
