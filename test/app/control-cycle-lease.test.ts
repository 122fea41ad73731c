// The control cycle and the lease: it takes the lease before reading anything, holds (LeaseHeld) when
// another process has it, renews it through a long apply, and once it has lost it writes nothing more,
// saves no state, and reports what had landed.

import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../src/adapters/state/memory-state-store.js';
import { runControlCycle, type ControlCycleDeps } from '../../src/app/control-cycle.js';
import type { Alert } from '../../src/ports/notifier.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { MemoryGateway } from '../support/memory-gateway.js';
import { groupArn, makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

const THREE: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 900 },
  { region: 'eu-west-1', full: 1000, load: 950 },
  { region: 'us-east-1', full: 10000, load: 1000 },
];
// Both European Regions run hot; their users' next-nearest Region is us-east-1, so offloading either
// sends part of its spill there (the rest follows the backbone to the other hot Region).
const GROUPS = {
  DE: { rtt: { 'eu-central-1': 10, 'eu-west-1': 60, 'us-east-1': 40 }, demand: 40 },
  IE: { rtt: { 'eu-central-1': 60, 'eu-west-1': 8, 'us-east-1': 40 }, demand: 40 },
  US: { rtt: { 'eu-central-1': 95, 'eu-west-1': 80, 'us-east-1': 10 }, demand: 20 },
};
const POLICY = makePolicy({ latency: { budgetMs: 200 }, alerts: { slack: { on: ['changes', 'apply-failed', 'holds'] } } }, THREE);
const TTL = 60_000;

function setup(options: { clock?: () => Date; ttlMs?: number } = {}) {
  const snapshot: Snapshot = makeSnapshot({ regions: THREE, groups: GROUPS });
  const gateway = new MemoryGateway(structuredClone(snapshot.accelerators[0]!));
  const store = new MemoryStateStore();
  const alerts: Alert[] = [];
  const logs: string[] = [];
  const deps: ControlCycleDeps = {
    gateway,
    sources: [{ name: 'recorded', collect: async () => ({ load: snapshot.load, latency: snapshot.latency, landing: snapshot.landing, demand: snapshot.demand, problems: [] }) }],
    stateStore: store,
    lease: { owner: 'this-process', ttlMs: options.ttlMs ?? TTL },
    notifier: { notify: async (a) => void alerts.push(a) },
    clock: { now: options.clock ?? (() => NOW) },
    log: (l) => void logs.push(l),
  };
  return { deps, gateway, store, alerts, logs };
}

const dial = (gateway: MemoryGateway, region: string) => gateway.topology.listeners[0]?.endpointGroups.find((g) => g.arn === groupArn(region))?.trafficDialPercent;

describe('control cycle under the lease', () => {
  it('while another process holds the lease, holds LeaseHeld naming it, and reads and changes nothing', async () => {
    const { deps, gateway, store, alerts } = setup();
    const other = await store.acquireLease('ga-steer on host-b pid 42', TTL, new Date(NOW.getTime() - 1000));
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.lease).toEqual({ status: 'held-elsewhere', holder: { owner: 'ga-steer on host-b pid 42', token: 1, expiresAt: new Date(NOW.getTime() + TTL - 1000) } });
    expect(result.plan.summary.verdict).toBe('hold');
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.holds).toHaveLength(1);
    expect(result.plan.holds[0]).toMatchObject({ scope: { kind: 'global' }, reason: 'LeaseHeld' });
    expect(result.plan.holds[0]?.message).toBe('ga-steer on host-b pid 42 holds the lease on memory (token 1) until 2026-11-22T12:00:59.000Z; this cycle read and changed nothing');
    expect(result.snapshot).toBeNull();
    expect(gateway.readCount).toBe(0);
    expect(store.storage.stateText).toBeUndefined();
    expect(store.storage.lease).toMatchObject({ owner: 'ga-steer on host-b pid 42', token: other.acquired ? other.lease.token : -1 });
    // The holder reports its own cycle: this one, which did nothing, posts nothing.
    expect(alerts).toEqual([]);
  });

  it('applies and saves under its lease, then releases it for the next writer', async () => {
    const { deps, gateway, store } = setup();
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.lease).toEqual({ status: 'kept', token: 1 });
    expect(result.report?.outcome).toBe('applied');
    const saved = await store.load();
    expect(saved.groups[groupArn('eu-central-1')]?.expectedDialPercent).toBe(dial(gateway, 'eu-central-1'));
    expect(Date.parse(store.storage.lease?.expiresAt ?? '')).toBe(0);
    expect(await store.acquireLease('next', TTL, NOW)).toMatchObject({ acquired: true, lease: { token: 2 } });
  });

  it('takes over the expired lease of a crashed holder, and says so', async () => {
    const { deps, store, logs } = setup();
    await store.acquireLease('crashed-process', TTL, new Date(NOW.getTime() - TTL));
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.lease).toEqual({ status: 'kept', token: 2 });
    expect(logs).toContain('lease: took over memory from crashed-process (token 1, expired 2026-11-22T12:00:00.000Z)');
  });

  it('a cycle whose lease is taken over mid-apply stops writing, saves no state, and reports what landed', async () => {
    const { deps, gateway, store, alerts, logs } = setup();
    // After the first write the process stalls past its lease: another one takes it over.
    gateway.afterWrite = async () => {
      gateway.afterWrite = undefined;
      const intruder = await store.acquireLease('intruder', TTL, new Date(NOW.getTime() + TTL + 1));
      expect(intruder.acquired).toBe(true);
    };
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.plan.changes).toHaveLength(2);
    expect(result.report?.changes.map((c) => c.status)).toEqual(['applied', 'not-attempted']);
    expect(result.report?.changes[1]?.message).toBe('memory: lease token 1 was superseded by token 2 of intruder; stopped, nothing more is written');
    expect(result.lease).toEqual({ status: 'lost', token: 1, reason: 'lease token 1 was superseded by token 2 of intruder' });
    // The second group was never written; the state was not saved; the intruder's lease stands.
    expect(dial(gateway, result.plan.changes[1]!.address.region)).toBe(100);
    expect(store.storage.stateText).toBeUndefined();
    expect(store.storage.lease).toMatchObject({ owner: 'intruder', token: 2 });
    expect(alerts[0]?.events).toEqual(expect.arrayContaining(['changes', 'apply-failed']));
    expect(alerts[0]?.failures[0]?.leftAsItWas).toMatch(/^Lease lost on memory \(token 1\): lease token 1 was superseded by token 2 of intruder\. The state was not saved; 1 change\(s\) landed before it stopped \(eu-\S+ dial\) and are not recorded in the state/);
    expect(logs).toContain('lease: lost token 1 on memory: lease token 1 was superseded by token 2 of intruder');
  });

  it('a lease that expires unrenewed before the save (the process was frozen) saves nothing', async () => {
    let now = NOW.getTime();
    const { deps, gateway, store } = setup({ clock: () => new Date(now) });
    gateway.afterWrite = async () => {
      now += 2 * TTL;
    };
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.lease).toMatchObject({ status: 'lost', reason: 'lease token 1 expired at 2026-11-22T12:01:00.000Z' });
    expect(result.report?.changes.map((c) => c.status)).toEqual(['applied', 'not-attempted']);
    expect(store.storage.stateText).toBeUndefined();
  });

  it('renews the lease while a long apply runs, so it keeps it and saves', async () => {
    const started = Date.now();
    const { deps, gateway, store } = setup({ clock: () => new Date(NOW.getTime() + (Date.now() - started)), ttlMs: 300 });
    // Each write waits longer than the whole lease: only renewals in between keep it.
    gateway.afterWrite = () => new Promise((r) => setTimeout(r, 400));
    const result = await runControlCycle(deps, POLICY, 'apply');
    expect(result.lease).toEqual({ status: 'kept', token: 1 });
    expect(result.report?.changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(store.storage.stateText).toBeDefined();
  });

  it('plan mode takes no lease: it plans while another process holds it', async () => {
    const { deps, store } = setup();
    await store.acquireLease('other', TTL, NOW);
    const result = await runControlCycle(deps, POLICY, 'plan');
    expect(result.lease).toEqual({ status: 'not-taken' });
    expect(result.plan.changes.length).toBeGreaterThan(0);
    expect(store.storage.lease).toMatchObject({ owner: 'other', token: 1 });
  });
});
