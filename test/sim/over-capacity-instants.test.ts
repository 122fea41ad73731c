// Which instants count as over capacity "after the third cycle" of a stress (figures.ts): the stress of
// a Region begins at its rise above its drain threshold or at a scenario event's start or end, and an
// instant counts late once three controller intervals have passed since.

import { describe, expect, it } from 'vitest';
import { computeFigures, overCapacityInstants } from '../../src/sim/figures.js';
import type { SeriesPoint } from '../../src/sim/run-simulation.js';
import { scenarioSchema } from '../../src/sim/scenario/scenario-schema.js';
import type { ServiceModel } from '../../src/sim/service-model.js';

const scenario = scenarioSchema.parse({
  apiVersion: 'ga-steer.io/v1',
  kind: 'Scenario',
  name: 'late',
  policy: 'p.yaml',
  start: '2026-11-23T18:00:00Z',
  durationMinutes: 30,
  controllerIntervalSeconds: 60,
  service: { clients: { maxRttMs: 50 }, peakFlows: 1000 },
  events: [{ kind: 'region-failure', at: 10, durationMinutes: 10, region: 'eu-west-1' }],
});
const service: ServiceModel = {
  regions: [
    { code: 'eu-central-1', capacity: 100, policyCapacity: 100, targetPercent: 75, drainAbovePercent: 80 },
    { code: 'eu-west-1', capacity: 100, policyCapacity: 100, targetPercent: 75, drainAbovePercent: 80 },
  ],
  metros: [],
};

/** eu-central-1's utilization per minute; eu-west-1 idles. */
function series(utilization: readonly number[]): SeriesPoint[] {
  return utilization.map((u, m) => ({
    t: new Date(Date.parse(scenario.start) + m * 60_000).toISOString(),
    dials: {},
    utilizationPercent: { 'eu-central-1': u, 'eu-west-1': 10 },
    meanLatencyMs: 20,
    p95LatencyMs: 40,
  }));
}

describe('over-capacity instants', () => {
  it('count late from the third cycle after the rise above drain, and again after an event starts', () => {
    // Minutes 0-1 warm, 2-13 over capacity (rose above drain at minute 2; the failure starts at minute 10).
    const u = [70, 70, ...Array.from({ length: 12 }, () => 110), 70];
    const instants = overCapacityInstants(series(u), service, scenario);
    expect(instants.map((i) => [i.index, i.late])).toEqual([
      [2, false], [3, false], [4, false], [5, true], [6, true], [7, true], [8, true], [9, true],
      [10, false], [11, false], [12, false], [13, true],
    ]);
    const figures = computeFigures(series(u), [], service, scenario);
    expect(figures.regionMinutesOverCapacity).toBe(12);
    expect(figures.overCapacityAfterThirdCycleMinutes).toBe(6);
  });

  it('restart the grace when a Region falls back under its drain threshold and rises again', () => {
    const u = [110, 110, 110, 110, 70, 110, 110, 110, 110];
    expect(overCapacityInstants(series(u), service, scenario).filter((i) => i.late).map((i) => i.index)).toEqual([3, 8]);
  });
});
