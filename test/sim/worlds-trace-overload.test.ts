// What the campaign reads of ga-steer's plans while a Region is over capacity: the hold that explains
// each Region-minute, and how many of them the plan judged an overload the others cannot absorb.

import { describe, expect, it } from 'vitest';
import { traceOverload, type PlanTrace } from '../../scripts/worlds/trace-overload.js';
import type { SeriesPoint } from '../../src/sim/run-simulation.js';

const START = Date.parse('2026-11-23T10:00:00Z');
const at = (minute: number): string => new Date(START + minute * 60_000).toISOString();

const point = (minute: number, central: number): SeriesPoint => ({
  t: at(minute),
  dials: { 'eu-central-1': 100, 'eu-west-1': 100 },
  utilizationPercent: { 'eu-central-1': central, 'eu-west-1': 90 },
  meanLatencyMs: 20,
  p95LatencyMs: 40,
});

const plan = (minute: number, absorbable: boolean | undefined, holds: PlanTrace['holds'] = []): PlanTrace => ({
  tMs: Date.parse(at(minute)),
  regions: [{ region: 'eu-central-1', measured: 110, ifUnchanged: 110, predicted: 104, dialBefore: 100, dialAfter: 90 }],
  holds,
  absorbable,
});

describe('tracing ga-steer over capacity in a campaign world', () => {
  const series = [0, 1, 2, 3, 4, 5].map((m) => point(m, 110));
  const late = [1, 2, 3, 4, 5].map((index) => ({ index, region: 'eu-central-1' }));
  const plans = [
    plan(0, false, [{ reason: 'ReceiverAtCapacity', region: 'eu-central-1', message: 'offloading eu-central-1 further would push eu-west-1 (101 %) over capacity' }]),
    plan(3, true),
  ];

  it('counts the Region-minutes at feasible instants where the latest plan judged the overload not absorbable', () => {
    const trace = traceOverload(series, late, plans, 1, () => true);
    // Minutes 1-2 fall under the first plan (not absorbable), 3-5 under the second.
    expect(trace.unabsorbableMinutes).toBe(2);
    expect(trace.causes).toEqual({ ReceiverAtCapacity: 2, Acted: 3 });
  });

  it('counts only feasible instants, and nothing where the plans made no judgement', () => {
    expect(traceOverload(series, late, plans, 1, (i) => i !== 2).unabsorbableMinutes).toBe(1);
    expect(traceOverload(series, late, [plan(0, undefined)], 1, () => true).unabsorbableMinutes).toBe(0);
  });
});
