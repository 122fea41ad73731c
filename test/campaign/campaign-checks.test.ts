// The campaign's checker finds what it is there to find: each kind of harm, given the write that does it.

import { describe, expect, it } from 'vitest';
import { CampaignChecker, type CycleTruth, type GroupView } from '../../scripts/campaign/campaign-checks.js';
import type { Plan, PlannedChange } from '../../src/plan/types.js';
import { groupArn, LISTENER, makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';

const POLICY = makePolicy({ guardrails: { maxStepPercent: 10, restoreStepPercent: 5, dialFloorPercent: 20, cooldownSeconds: 300, humanOverrideBackoffSeconds: 900 } });
const ARN = groupArn('eu-central-1');

function view(dial: number, endpoints: Record<string, [number, boolean]>, region = 'eu-central-1'): GroupView {
  return { region, listenerArn: LISTENER, dial, endpoints: new Map(Object.entries(endpoints).map(([id, [weight, clientIp]]) => [id, { weight, clientIp, healthy: true }])) };
}

function truth(groups: Record<string, GroupView>, extra: Partial<CycleTruth> = {}): CycleTruth {
  return { index: 0, startMs: NOW.getTime(), skewMs: 0, largeSkew: false, staleSignals: [], staleEndpoints: new Set(), groups: new Map(Object.entries(groups)), ...extra };
}

function planWith(...changes: PlannedChange[]): Plan {
  const { plan } = evaluate(POLICY, makeSnapshot(), emptyControllerState(), NOW);
  return { ...plan, changes };
}

const address = { acceleratorArn: 'acc', listenerArn: LISTENER, endpointGroupArn: ARN, region: 'eu-central-1' };
const evidence = planWith().changes[0]?.evidence as PlannedChange['evidence'];
const weights = (before: Record<string, number>, after: Record<string, number>): PlannedChange => ({
  kind: 'weights',
  address,
  before: { endpoints: Object.entries(before).map(([endpointId, weight]) => ({ endpointId, weight })) },
  after: { endpoints: Object.entries(after).map(([endpointId, weight]) => ({ endpointId, weight })) },
  reason: 'WeightsShifted',
  evidence,
  dryRun: false,
});
const dial = (before: number, after: number): PlannedChange => ({ kind: 'dial', address, before: { trafficDialPercent: before }, after: { trafficDialPercent: after }, reason: after < before ? 'DialReduced' : 'DialRestored', evidence, dryRun: false });

function judge(change: PlannedChange, live: GroupView, input: Record<string, unknown>, extra: Partial<CycleTruth> = {}): string[] {
  const checker = new CampaignChecker(POLICY, 0);
  checker.beginCycle(truth({ [ARN]: live }, extra));
  checker.described(ARN, { arn: ARN, region: live.region, trafficDialPercent: live.dial, healthCheck: { protocol: 'TCP', intervalSeconds: 10, thresholdCount: 3 }, portOverrides: [], endpoints: [...live.endpoints].map(([endpointId, e]) => ({ endpointId, weight: e.weight, clientIpPreservation: e.clientIp, healthState: 'HEALTHY' as const })) }, LISTENER);
  const plan = planWith(change);
  checker.applyStarted(plan);
  checker.written({ EndpointGroupArn: ARN, ...input }, live, () => new Map([[ARN, live]]));
  checker.applyEnded(plan);
  return checker.violations.map((v) => v.kind);
}

describe('campaign checker', () => {
  const live = view(100, { a: [128, false], b: [128, true] });
  const configs = (w: Record<string, [number, boolean]>) => Object.entries(w).map(([EndpointId, [Weight, ClientIPPreservationEnabled]]) => ({ EndpointId, Weight, ClientIPPreservationEnabled }));

  it('passes a weights write that is exactly the plan over the list as read', () => {
    expect(judge(weights({ a: 128, b: 128 }, { a: 100, b: 156 }), live, { EndpointConfigurations: configs({ a: [100, false], b: [156, true] }) })).toEqual([]);
  });

  it('finds an endpoint dropped, a client-IP flag reset, a weight not planned, and a write over a changed list', () => {
    expect(judge(weights({ a: 128, b: 128 }, { a: 100, b: 156 }), live, { EndpointConfigurations: configs({ a: [100, false] }) })).toContain('endpoint-list');
    expect(judge(weights({ a: 128, b: 128 }, { a: 100, b: 156 }), live, { EndpointConfigurations: configs({ a: [100, false], b: [156, false] }) })).toContain('client-ip');
    expect(judge(weights({ a: 128, b: 128 }, { a: 100, b: 156 }), live, { EndpointConfigurations: configs({ a: [100, false], b: [130, true] }) })).toContain('weight-not-as-planned');
    expect(judge(weights({ a: 128, b: 90 }, { a: 100, b: 156 }), live, { EndpointConfigurations: configs({ a: [100, false], b: [156, true] }) })).toContain('stale-apply');
  });

  it('finds dial writes beyond the step, below the floor, or not as planned', () => {
    expect(judge(dial(100, 90), live, { TrafficDialPercentage: 90 })).toEqual([]);
    expect(judge(dial(100, 85), live, { TrafficDialPercentage: 85 })).toContain('dial-step');
    expect(judge(dial(25, 15), view(25, { a: [128, false] }), { TrafficDialPercentage: 15 })).toContain('dial-floor');
    expect(judge(dial(100, 90), live, { TrafficDialPercentage: 80 })).toContain('dial-not-as-planned');
  });

  it('finds a write no running apply planned', () => {
    const checker = new CampaignChecker(POLICY, 0);
    checker.beginCycle(truth({ [ARN]: live }));
    checker.written({ EndpointGroupArn: ARN, TrafficDialPercentage: 90 }, live, () => new Map([[ARN, live]]));
    expect(checker.violations.map((v) => v.kind)).toEqual(['one-writer', 'unplanned-write']);
  });

  it('finds a write on stale data, and writes no report owns', () => {
    const checker = new CampaignChecker(POLICY, 0);
    checker.beginCycle(truth({ [ARN]: live }, { staleSignals: ['eu-central-1 load'] }));
    const plan = planWith(dial(100, 90));
    checker.applyStarted(plan);
    checker.written({ EndpointGroupArn: ARN, TrafficDialPercentage: 90 }, live, () => new Map([[ARN, view(90, { a: [128, false], b: [128, true] })]]));
    checker.applyEnded(plan);
    checker.endCycle([{ plan: undefined, report: undefined, leaseStatus: 'error', error: 'Error' }], new Map([[ARN, view(90, { a: [128, false], b: [128, true] })]]), undefined);
    expect(checker.violations.map((v) => v.kind)).toEqual(expect.arrayContaining(['stale-data', 'unreported']));
  });
});
