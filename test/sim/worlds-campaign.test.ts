// The random-worlds campaign's judgement (issue 9's criteria on one world's figures) and its command line.

import { describe, expect, it } from 'vitest';
import type { RunFigures } from '../../src/sim/figures.js';
import { parseCampaignArgs } from '../../scripts/worlds/campaign-args.js';
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

const run = (f: Partial<RunFigures> = {}, overLateFeasibleMinutes = f.overCapacityAfterThirdCycleMinutes ?? 0): ControllerResult => ({ figures: figures(f), overLateFeasibleMinutes });

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
    runs: { 'ga-alone': others.gaAlone ?? run({ overCapacityAfterThirdCycleMinutes: 50 }), threshold: run(), 'waterfall-oracle': others.oracle ?? run({ changes: 10 }), 'ga-steer': steer },
    holds: {},
    trace: [],
    overCauses: {},
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
