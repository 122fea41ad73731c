// The random-worlds campaign's judgement (issue 9's criteria on one world's figures), its feasibility
// within the capacity margin, and its command line.

import { describe, expect, it } from 'vitest';
import type { RunFigures } from '../../src/sim/figures.js';
import { searchBestDials } from '../../src/sim/bounds/best-dial-bound.js';
import type { AssignmentProblem } from '../../src/sim/types.js';
import { parseCampaignArgs } from '../../scripts/worlds/campaign-args.js';
import { marginFeasible } from '../../scripts/worlds/feasibility-bounds.js';
import { judgeWorld } from '../../scripts/worlds/judge-world.js';
import type { ControllerResult, WorldResult } from '../../scripts/worlds/run-world.js';

const figures = (over: Partial<RunFigures> = {}): RunFigures => ({
  regionMinutesOverCapacity: 0,
  overCapacityAfterThirdCycleMinutes: 0,
  meanLatencyMs: 30,
  p95LatencyMs: 60,
  lpBoundMeanMs: 29,
  bestDialMeanMs: 30,
  ratioToLp: 1.03,
  gapToBestDialPercent: 0.5,
  lpTargetMeanMs: 31,
  bestDialTargetMeanMs: 32,
  gapToBestDialTargetPercent: -6,
  changes: 4,
  timeToRelieveMinutes: 10,
  oscillations: 0,
  ...over,
});

const run = (f: Partial<RunFigures> = {}, overLateFeasibleMinutes = f.overCapacityAfterThirdCycleMinutes ?? 0): ControllerResult => ({
  figures: figures(f),
  overLateFeasibleMinutes,
  overLateMarginFeasibleMinutes: overLateFeasibleMinutes,
});

function world(steer: ControllerResult, others: { gaAlone?: ControllerResult; oracle?: ControllerResult } = {}): WorldResult {
  return {
    seed: 1001,
    name: 'world-1001',
    kind: 'hot',
    regions: ['eu-central-1', 'eu-west-1', 'us-east-1'],
    listeners: 1,
    hot: ['eu-central-1'],
    events: [],
    seconds: 30,
    instants: 13,
    dialFeasibleInstants: 13,
    lpFeasibleInstants: 13,
    marginFeasibleInstants: 13,
    runs: { 'ga-alone': others.gaAlone ?? run({ overCapacityAfterThirdCycleMinutes: 50 }), threshold: run(), 'waterfall-oracle': others.oracle ?? run({ changes: 10 }), 'ga-steer': steer },
    holds: {},
    trace: [],
    overCauses: {},
    overUnabsorbableMinutes: 0,
  };
}

describe('judging a world', () => {
  it('flags nothing when ga-steer meets every criterion', () => {
    expect(judgeWorld(world(run()))).toEqual([]);
  });

  it('flags OVER only for overload at instants some dial setting relieves, WORSE against GA alone', () => {
    expect(judgeWorld(world(run({ overCapacityAfterThirdCycleMinutes: 12 }, 0)))).toEqual([]);
    expect(judgeWorld(world(run({ overCapacityAfterThirdCycleMinutes: 12 }, 3)))).toEqual(['OVER']);
    expect(judgeWorld(world(run({ overCapacityAfterThirdCycleMinutes: 60 }, 0)))).toEqual(['WORSE']);
  });

  it('flags reversals, more changes than the oracle, and latency over 1 % above the best-dial bound', () => {
    expect(judgeWorld(world(run({ oscillations: 1 })))).toEqual(['OSC']);
    expect(judgeWorld(world(run({ changes: 11 })))).toEqual(['CHURN']);
    expect(judgeWorld(world(run({ changes: 10 })))).toEqual([]);
    expect(judgeWorld(world(run({ gapToBestDialPercent: 1.01 })))).toEqual(['LAT']);
    expect(judgeWorld(world(run({ gapToBestDialPercent: null })))).toEqual([]);
  });
});

describe('feasible instants within the capacity margin', () => {
  // Two Regions of 100 flows; m1's users start at A, m2's at B, and A's dial sends m1's spill to B.
  const twoRegions = (demandA: number): AssignmentProblem => ({
    regions: [
      { code: 'a-1', capacity: 100 },
      { code: 'b-1', capacity: 100 },
    ],
    metros: [
      { id: 'm1', countryCode: 'ZZ', clientGroup: 'ZZ', demandShare: 0.5, utcOffsetHours: 0, rttMs: { 'a-1': 10, 'b-1': 30 }, proximity: ['a-1', 'b-1'] },
      { id: 'm2', countryCode: 'ZZ', clientGroup: 'ZZ', demandShare: 0.5, utcOffsetHours: 0, rttMs: { 'a-1': 30, 'b-1': 10 }, proximity: ['b-1', 'a-1'] },
    ],
    demand: [demandA, 40],
    capacityFraction: 1,
    unhealthy: new Set(),
  });

  it('counts an instant only where some dial setting keeps every Region within 95 %', () => {
    // 140 + 40: A's dial at 65 puts A at 91 % and B at 89 %.
    const roomy = twoRegions(140);
    expect(marginFeasible(roomy, searchBestDials(roomy, { stepPercent: 5 }))).toBe(true);
    // 152 + 40 = 192 flows: A's dial at 65 puts A at 98.8 % and B at 93.2 %, but no setting keeps both
    // within 95 % (together they take 190 at most there): feasible, only past the margin.
    const thin = twoRegions(152);
    const atCapacity = searchBestDials(thin, { stepPercent: 5 });
    expect(atCapacity.feasible).toBe(true);
    expect(marginFeasible(thin, atCapacity)).toBe(false);
    // Past capacity whatever the dials: not within the margin either.
    const over = twoRegions(170);
    expect(marginFeasible(over, searchBestDials(over, { stepPercent: 5 }))).toBe(false);
  });
});

describe('the campaign command line', () => {
  it('has defaults and reads both --name value and --name=value', () => {
    expect(parseCampaignArgs([])).toEqual({ count: 20, seed: 1, out: 'out/worlds', jobs: 2 });
    expect(parseCampaignArgs(['--count', '3', '--seed=2', '--out', 'x', '--jobs=1'])).toEqual({ count: 3, seed: 2, out: 'x', jobs: 1 });
    expect(parseCampaignArgs(['--interval', '300'])).toEqual({ count: 20, seed: 1, out: 'out/worlds', jobs: 2, intervalSeconds: 300 });
  });

  it('rejects bad input naming the option', () => {
    expect(() => parseCampaignArgs(['--count', 'ten'])).toThrow("--count must be a whole number from 1 to 999, got 'ten'");
    expect(() => parseCampaignArgs(['--count', '0'])).toThrow('--count must be a whole number from 1 to 999');
    expect(() => parseCampaignArgs(['--seed'])).toThrow('--seed needs a value');
    expect(() => parseCampaignArgs(['--cuont', '3'])).toThrow("unknown option '--cuont'");
    expect(() => parseCampaignArgs(['--interval', '30'])).toThrow("--interval must be a whole number from 60 to 3600, got '30'");
    expect(() => parseCampaignArgs(['--interval=90'])).toThrow("--interval must be a multiple of 60 (the simulator steps a minute at a time), got '90'");
  });
});
