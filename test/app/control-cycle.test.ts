import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../src/adapters/state/memory-state-store.js';
import { stateToText } from '../../src/adapters/state/stored-state.js';
import { runControlCycle, type ControlCycleDeps } from '../../src/app/control-cycle.js';
import type { Alert, Notifier } from '../../src/ports/notifier.js';
import type { SignalSource } from '../../src/ports/signal-source.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { MemoryGateway } from '../support/memory-gateway.js';
import { groupArn, makePolicy, makeSnapshot, NOW, type RegionSpec, type SnapshotOptions } from '../support/planner-fixtures.js';

const THREE: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 900 },
  { region: 'eu-west-1', full: 1000, load: 950 },
  { region: 'us-east-1', full: 10000, load: 1000 },
];

function sourceFrom(snapshot: Snapshot): SignalSource {
  return {
    name: 'recorded',
    collect: async () => ({ load: snapshot.load, latency: snapshot.latency, landing: snapshot.landing, demand: snapshot.demand, problems: [] }),
  };
}

function setup(regions: RegionSpec[] = THREE, groups?: SnapshotOptions['groups']) {
  const snapshot = makeSnapshot({ regions, ...(groups !== undefined ? { groups } : {}) });
  const gateway = new MemoryGateway(structuredClone(snapshot.accelerators[0]!));
  const stateStore = new MemoryStateStore();
  const alerts: Alert[] = [];
  const logs: string[] = [];
  const notifier: Notifier = { notify: async (a) => void alerts.push(a) };
  const deps: ControlCycleDeps = { gateway, sources: [sourceFrom(snapshot)], stateStore, lease: { owner: 'test-process', ttlMs: 60_000 }, notifier, clock: { now: () => NOW }, log: (l) => void logs.push(l) };
  return { deps, gateway, stateStore, alerts, logs };
}

// Both European Regions run hot; their users' next-nearest Region is us-east-1, so offloading either
// sends part of its spill there (the rest follows the backbone to the other hot Region).
const GROUPS = {
  DE: { rtt: { 'eu-central-1': 10, 'eu-west-1': 60, 'us-east-1': 40 }, demand: 40 },
  IE: { rtt: { 'eu-central-1': 60, 'eu-west-1': 8, 'us-east-1': 40 }, demand: 40 },
  US: { rtt: { 'eu-central-1': 95, 'eu-west-1': 80, 'us-east-1': 10 }, demand: 20 },
};
const POLICY = makePolicy({ latency: { budgetMs: 200 }, alerts: { slack: { on: ['changes', 'apply-failed', 'holds'] } } }, THREE);

describe('control cycle', () => {
  it('applies the plan, saves the state and alerts', async () => {
    const { deps, gateway, stateStore, alerts } = setup(THREE, GROUPS);
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.report?.outcome).toBe('applied');
    expect(result.plan.changes.length).toBeGreaterThan(0);
    const arn = groupArn('eu-central-1');
    const live = gateway.topology.listeners[0]?.endpointGroups.find((g) => g.arn === arn)?.trafficDialPercent;
    expect(live).toBeLessThan(100);
    expect((await stateStore.load()).groups[arn]).toMatchObject({ expectedDialPercent: live, lastChangeAt: NOW.toISOString() });
    expect(alerts[0]?.events).toContain('changes');
  });

  it('in plan mode changes nothing and saves nothing', async () => {
    const { deps, gateway, stateStore } = setup(THREE, GROUPS);
    const before = structuredClone(gateway.topology);
    const result = await runControlCycle(deps, POLICY, 'plan');
    expect(result.plan.changes.length).toBeGreaterThan(0);
    expect(result.report).toBeUndefined();
    expect(gateway.topology).toEqual(before);
    expect((await stateStore.load()).groups).toEqual({});
  });

  it('after a partial failure keeps what was applied and expects the old value where nothing landed', async () => {
    const { deps, gateway, stateStore, alerts } = setup(THREE, GROUPS);
    gateway.failWrites.add(2);
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.report?.outcome).toBe('partial');
    const statuses = result.report?.changes.map((c) => c.status);
    expect(statuses).toEqual(['applied', 'failed']);
    const state = await stateStore.load();
    const [first, second] = result.plan.changes;
    expect(state.groups[first!.address.endpointGroupArn]?.lastChangeAt).toBe(NOW.toISOString());
    expect(state.groups[second!.address.endpointGroupArn]?.lastChangeAt).toBeUndefined();
    expect(state.groups[second!.address.endpointGroupArn]?.expectedDialPercent).toBe(100);
    expect(alerts[0]?.events).toEqual(expect.arrayContaining(['changes', 'apply-failed']));
  });

  it('after a dial change landed and the weights change on the same group failed, the state records the dial alone', async () => {
    // Frankfurt is hot and its two endpoints run unevenly: one cycle plans its dial and its weights.
    const regions: RegionSpec[] = [
      { region: 'eu-central-1', full: 1000, load: 900, endpoints: [{ id: 'i-fra-a', weight: 128, load: 700 }, { id: 'i-fra-b', weight: 128, load: 200 }] },
      ...THREE.slice(1),
    ];
    const { deps, gateway, stateStore, alerts } = setup(regions, GROUPS);
    const arn = groupArn('eu-central-1');
    const earlier = '2026-11-22T10:00:00.000Z';
    stateStore.storage.stateText = stateToText({
      stateVersion: 2,
      groups: { [arn]: { lastChangeAt: earlier, lastDirection: 'up', weightsChangedAt: earlier, expectedDialPercent: 100, expectedWeights: { 'i-fra-a': 128, 'i-fra-b': 128 } } },
      regions: {},
      history: [],
    });
    const kinds = (await runControlCycle(deps, POLICY, 'plan')).plan.changes.filter((c) => c.address.endpointGroupArn === arn).map((c) => c.kind);
    expect(kinds).toEqual(['dial', 'weights']);
    const order = (await runControlCycle(deps, POLICY, 'plan')).plan.changes.map((c) => `${c.address.endpointGroupArn} ${c.kind}`);
    gateway.failWrites.add(order.indexOf(`${arn} weights`) + 1);

    const result = await runControlCycle(deps, POLICY, 'apply');

    const outcomes = result.report?.changes.filter((o) => o.change.address.endpointGroupArn === arn).map((o) => `${o.change.kind} ${o.status}`);
    expect(outcomes).toEqual(['dial applied', 'weights failed']);
    const dial = result.plan.changes.find((c) => c.address.endpointGroupArn === arn && c.kind === 'dial');
    const state = (await stateStore.load()).groups[arn];
    // The dial landed: its cooldown clock and expected value are the new ones.
    expect(state?.lastChangeAt).toBe(NOW.toISOString());
    expect(state?.lastDirection).toBe('down');
    expect(state?.expectedDialPercent).toBe(dial?.kind === 'dial' ? dial.after.trafficDialPercent : undefined);
    // The weights did not: nothing claims they landed.
    expect(state?.weightsChangedAt).toBe(earlier);
    expect(state?.expectedWeights).toEqual({ 'i-fra-a': 128, 'i-fra-b': 128 });
    expect(alerts.at(-1)?.events).toEqual(expect.arrayContaining(['changes', 'apply-failed']));
  });

  it('a second human edit during the back-off restarts it; the back-off then runs from the second edit', async () => {
    const { deps, gateway, stateStore } = setup(THREE, GROUPS);
    let now = NOW;
    const snapshot = makeSnapshot({ regions: THREE, groups: GROUPS });
    // Fresh signals at every cycle's time, so nothing holds for stale data.
    const fresh: SignalSource = {
      name: 'recorded, restamped',
      collect: async () => {
        const at = now.toISOString();
        const stamp = <T extends { observedAt: string }>(xs: readonly T[]): T[] => xs.map((x) => ({ ...x, observedAt: at }));
        return { load: stamp(snapshot.load), latency: stamp(snapshot.latency), landing: stamp(snapshot.landing), demand: stamp(snapshot.demand), problems: [] };
      },
    };
    const cycleAt = async (minutes: number) => {
      now = new Date(NOW.getTime() + minutes * 60_000);
      gateway.topology = { ...gateway.topology, observedAt: now.toISOString() };
      return runControlCycle({ ...deps, sources: [fresh], clock: { now: () => now } }, POLICY, 'apply');
    };
    const arn = groupArn('eu-central-1');
    const group = () => gateway.topology.listeners[0]!.endpointGroups.find((g) => g.arn === arn)!;
    const overrideOf = (plan: { holds: readonly { reason: string; scope: { kind: string }; evidence: unknown }[] }) =>
      plan.holds.find((h) => h.reason === 'HumanOverride' && h.scope.kind === 'endpoint-group' && JSON.stringify(h).includes(arn));

    await cycleAt(0);
    group().trafficDialPercent = 55; // someone at the console
    const seen = await cycleAt(1);
    expect(overrideOf(seen.plan)?.evidence).toMatchObject({ seenAt: new Date(NOW.getTime() + 60_000).toISOString() });
    group().trafficDialPercent = 45; // and again, half an hour into the back-off
    const again = await cycleAt(31);
    expect(overrideOf(again.plan)?.evidence).toMatchObject({ seenAt: new Date(NOW.getTime() + 31 * 60_000).toISOString() });
    expect((await stateStore.load()).groups[arn]).toMatchObject({ humanOverrideSeenAt: new Date(NOW.getTime() + 31 * 60_000).toISOString(), humanOverrideDialPercent: 45 });

    // An hour after the first edit, but not after the second: still backing off, nothing written.
    const later = await cycleAt(62);
    expect(overrideOf(later.plan)).toBeDefined();
    expect(later.plan.changes.filter((c) => c.address.region === 'eu-central-1')).toEqual([]);
    expect(group().trafficDialPercent).toBe(45);
    // An hour after the second edit, the person's value is adopted as the new baseline.
    const after = await cycleAt(92);
    expect(overrideOf(after.plan)).toBeUndefined();
    expect((await stateStore.load()).groups[arn]?.humanOverrideSeenAt).toBeUndefined();
  });

  it('holds when a source fails, reports the problem, and a failing notifier never fails the cycle', async () => {
    const { deps, logs } = setup(THREE, GROUPS);
    const broken: ControlCycleDeps = {
      ...deps,
      sources: [{ name: 'cloudwatch', collect: async () => Promise.reject(new Error('connect ECONNREFUSED')) }],
      notifier: { notify: async () => Promise.reject(new Error('webhook 500')) },
    };
    const result = await runControlCycle(broken, POLICY, 'apply');
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.holds.map((h) => h.reason)).toContain('NoData');
    expect(result.problems).toEqual(['cloudwatch: Error: connect ECONNREFUSED']);
    expect(logs).toContain('notification failed: Error: webhook 500');
  });
});

describe('demand by GA source area', () => {
  function areaSetup(sourceAreas: Record<string, string[]>) {
    const { deps } = setup(THREE, GROUPS);
    const snapshot = makeSnapshot({ regions: THREE, groups: GROUPS });
    const areaDemand = [
      { sourceArea: 'EU', value: 800, unit: 'flows/min', observedAt: NOW.toISOString(), source: 'cloudwatch' as const },
      { sourceArea: 'NA', value: 200, unit: 'flows/min', observedAt: NOW.toISOString(), source: 'cloudwatch' as const },
    ];
    const source: SignalSource = {
      name: 'area-demand',
      collect: async () => ({
        load: snapshot.load,
        latency: snapshot.latency,
        demand: areaDemand,
        clientGroups: Object.keys(GROUPS).map((id) => ({ id, countryCode: id })),
        problems: [],
      }),
    };
    const policy = makePolicy({ latency: { budgetMs: 200 }, signals: { demand: { source: 'ga-flow-metrics', sourceAreas } } }, THREE);
    return { deps: { ...deps, sources: [source] }, policy };
  }

  it('spreads area demand over the client groups the policy places in each area', async () => {
    const { deps, policy } = areaSetup({ EU: ['DE', 'IE'], NA: ['US'] });
    const result = await runControlCycle(deps, policy, 'plan');
    expect(result.snapshot?.clientGroups.map((g) => [g.id, g.sourceArea])).toEqual([
      ['DE', 'EU'],
      ['IE', 'EU'],
      ['US', 'NA'],
    ]);
    expect(result.plan.holds.map((h) => h.reason)).not.toContain('NoData');
    expect(result.plan.changes.length).toBeGreaterThan(0);
  });

  it('without the mapping, area demand reaches no client group and the controller holds', async () => {
    const { deps, policy } = areaSetup({});
    const result = await runControlCycle(deps, policy, 'plan');
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.holds.map((h) => h.reason)).toContain('NoData');
  });
});
