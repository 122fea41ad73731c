// The Global Accelerator adapter against the emulator, through the real SDK: discovery, and an apply
// that never loses a setting under stale plans, concurrent edits, throttling and mid-apply failures.

import { AddEndpointsCommand, DescribeEndpointGroupCommand } from '@aws-sdk/client-global-accelerator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GlobalAcceleratorGateway } from '../../src/adapters/global-accelerator/gateway.js';
import { GovernedListenerMissingError } from '../../src/adapters/global-accelerator/read-topology.js';
import type { AcceleratorTopology } from '../../src/snapshot/schema.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { dialChange, groupsOf, planOf, weightsChange } from '../support/plans.js';

const FAST_RETRY = { maxAttempts: 4, budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 5 };
const NLB = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/voip-fra/7d3b2f1a9c4e5d60';
const ALB = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/web-fra/1a2b3c4d5e6f7a8b';
const EC2 = 'i-0123456789abcdef0';

let t: TestEmulator;
let gateway: GlobalAcceleratorGateway;
let topology: AcceleratorTopology;
let fra: string;
let dub: string;
let fra2: string;

beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 30 });
  gateway = new GlobalAcceleratorGateway(t.ga, { retry: FAST_RETRY, pollIntervalMs: 10, deployTimeoutMs: 2_000 });
  topology = t.snapshot.accelerators[0] as AcceleratorTopology;
  const groups = groupsOf(topology);
  fra = groups[0]?.group.arn as string;
  dub = groups[1]?.group.arn as string;
  fra2 = groups[2]?.group.arn as string;
});
afterEach(async () => t.close());

const updates = () => t.emulator.calls.filter((c) => c.target.endsWith('.UpdateEndpointGroup'));
const live = async (arn: string) => (await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn }))).EndpointGroup;

describe('reading the topology', () => {
  it('reads back exactly the topology the emulator was seeded with', async () => {
    const read = await gateway.readTopology(topology.arn, []);
    expect({ ...read, observedAt: 'x' }).toEqual({ ...topology, observedAt: 'x' });
  });

  it('reads only the governed listeners and refuses a listener the accelerator lacks', async () => {
    const one = topology.listeners[1]?.arn as string;
    const read = await gateway.readTopology(topology.arn, [one]);
    expect(read.listeners.map((l) => l.arn)).toEqual([one]);
    await expect(gateway.readTopology(topology.arn, [`${topology.arn}/listener/deadbeef`])).rejects.toBeInstanceOf(GovernedListenerMissingError);
  });
});

describe('applying a plan', () => {
  it('a dial change sends only the dial, is verified and waits for DEPLOYED', async () => {
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report).toMatchObject({ outcome: 'applied', deployed: true, changes: [{ status: 'applied' }] });
    expect(updates().map((c) => c.input)).toEqual([{ EndpointGroupArn: fra, TrafficDialPercentage: 85 }]);
    expect((await live(fra))?.TrafficDialPercentage).toBe(85);
    expect(t.emulator.ga.status(t.emulator.ga.accelerators[0]!)).toBe('DEPLOYED');
  });

  it('a weights change writes back every endpoint with its id, weight and client-IP flag', async () => {
    await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: fra, EndpointConfigurations: [{ EndpointId: ALB, Weight: 128 }, { EndpointId: EC2, Weight: 128 }] }));
    const read = await gateway.readTopology(topology.arn, []);
    const plan = planOf(read, [weightsChange(read, fra, { [NLB]: 128, [ALB]: 128, [EC2]: 128 }, { [NLB]: 60, [ALB]: 200, [EC2]: 0 })]);
    const report = await gateway.applyPlan(plan);
    expect(report.outcome).toBe('applied');
    expect(updates().at(-1)?.input).toEqual({
      EndpointGroupArn: fra,
      EndpointConfigurations: [
        { EndpointId: NLB, Weight: 60, ClientIPPreservationEnabled: false },
        { EndpointId: ALB, Weight: 200, ClientIPPreservationEnabled: true },
        { EndpointId: EC2, Weight: 0, ClientIPPreservationEnabled: true },
      ],
    });
    const after = await live(fra);
    expect(after?.EndpointDescriptions?.map((e) => [e.EndpointId, e.Weight, e.ClientIPPreservationEnabled])).toEqual([
      [NLB, 60, false],
      [ALB, 200, true],
      [EC2, 0, true],
    ]);
    expect(after?.TrafficDialPercentage).toBe(100);
  });

  it('skips a change that already holds, without writing', async () => {
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 90, 100)]));
    expect(report).toMatchObject({ outcome: 'nothing-to-do', changes: [{ status: 'already-applied' }] });
    expect(updates()).toHaveLength(0);
  });

  it('refuses a stale plan: a human moved the dial since; nothing is written and later changes wait', async () => {
    t.emulator.ga.findEndpointGroup(fra)!.group.trafficDialPercent = 70;
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85), dialChange(topology, dub, 100, 90)]));
    expect(report.outcome).toBe('failed');
    expect(report.changes.map((c) => c.status)).toEqual(['stale', 'not-attempted']);
    expect(report.changes[0]?.message).toContain('dial is 70');
    expect(updates()).toHaveLength(0);
    expect((await live(fra))?.TrafficDialPercentage).toBe(70);
  });

  it('refuses a weights change when the group gained an endpoint since the plan; the endpoint stays', async () => {
    const plan = planOf(topology, [weightsChange(topology, fra, { [NLB]: 128 }, { [NLB]: 100 })]);
    await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: fra, EndpointConfigurations: [{ EndpointId: ALB, Weight: 50 }] }));
    const report = await gateway.applyPlan(plan);
    expect(report.changes[0]).toMatchObject({ status: 'stale' });
    expect((await live(fra))?.EndpointDescriptions?.map((e) => [e.EndpointId, e.Weight])).toEqual([
      [NLB, 128],
      [ALB, 50],
    ]);
  });

  it('a console edit between the read and the write is kept, detected, and stops the rest of the apply', async () => {
    await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: fra, EndpointConfigurations: [{ EndpointId: ALB, Weight: 128 }] }));
    const read = await gateway.readTopology(topology.arn, []);
    t.emulator.faults.add({ operation: 'DescribeEndpointGroup', kind: 'concurrent-edit', edit: { endpointGroupArn: fra, trafficDialPercent: 60 } });
    const plan = planOf(read, [weightsChange(read, fra, { [NLB]: 128, [ALB]: 128 }, { [NLB]: 100, [ALB]: 156 }), dialChange(read, dub, 100, 90)]);
    const report = await gateway.applyPlan(plan);
    expect(report.outcome).toBe('partial');
    expect(report.changes.map((c) => c.status)).toEqual(['applied', 'not-attempted']);
    expect(report.changes[0]?.message).toMatch(/concurrent edit.*dial 60/);
    const after = await live(fra);
    expect(after?.TrafficDialPercentage).toBe(60);
    expect(after?.EndpointDescriptions?.map((e) => [e.EndpointId, e.Weight])).toEqual([
      [NLB, 100],
      [ALB, 156],
    ]);
    expect((await live(dub))?.TrafficDialPercentage).toBe(100);
  });

  it('a failure in the middle of an apply stops it, reports exactly what landed, and leaves every group whole', async () => {
    // The second write fails on every attempt.
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'server-error', after: 1, times: 0 });
    const plan = planOf(topology, [dialChange(topology, fra, 100, 85), dialChange(topology, dub, 100, 90), dialChange(topology, fra2, 100, 85)]);
    const report = await gateway.applyPlan(plan);
    expect(report.outcome).toBe('partial');
    expect(report.changes.map((c) => c.status)).toEqual(['applied', 'failed', 'not-attempted']);
    expect(report.changes[1]?.message).toMatch(/InternalServiceErrorException.*HTTP 500.*after 4 attempts/);
    expect(report.deployed).toBe(true);
    const read = await gateway.readTopology(topology.arn, []);
    const dials = groupsOf(read).map((g) => g.group.trafficDialPercent);
    expect(dials).toEqual([85, 100, 100, 100]);
    // No endpoint lost, no setting changed anywhere else.
    expect(groupsOf(read).map((g) => g.group.endpoints)).toEqual(groupsOf(topology).map((g) => g.group.endpoints));
  });

  it('retries throttling and 5xx within the budget', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'throttle', times: 2 });
    t.emulator.faults.add({ operation: 'DescribeEndpointGroup', kind: 'server-error' });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report.outcome).toBe('applied');
    expect(updates().map((c) => c.status)).toEqual([400, 400, 200]);
  });

  it('does not retry a validation error', async () => {
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 150)]));
    expect(report.changes[0]).toMatchObject({ status: 'failed' });
    expect(report.changes[0]?.message).toMatch(/InvalidArgumentException \(HTTP 400\)/);
    expect(updates()).toHaveLength(1);
  });

  it('dry-run changes are reported and never sent', async () => {
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85, true)]));
    expect(report).toMatchObject({ outcome: 'nothing-to-do', changes: [{ status: 'dry-run' }] });
    expect(updates()).toHaveLength(0);
  });

  it('reports a deployment that does not finish in time', async () => {
    await t.close();
    t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 60_000 });
    gateway = new GlobalAcceleratorGateway(t.ga, { retry: FAST_RETRY, pollIntervalMs: 10, deployTimeoutMs: 50 });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report).toMatchObject({ outcome: 'applied', deployed: false });
  });

  it('gives up waiting for DEPLOYED at the deadline when the waits are simulated', async () => {
    await t.close();
    t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 3_600_000 });
    const polls: number[] = [];
    gateway = new GlobalAcceleratorGateway(t.ga, { retry: FAST_RETRY, pollIntervalMs: 10_000, deployTimeoutMs: 50_000, sleep: async (ms) => void polls.push(ms) });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report).toMatchObject({ outcome: 'applied', deployed: false });
    expect(polls).toHaveLength(5);
  });
});

