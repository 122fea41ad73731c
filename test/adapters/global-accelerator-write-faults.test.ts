// Writes that fail or go unanswered, against the emulator's faults through the real SDK client: a write
// is never sent again as it was; the group is read afresh and judged again first, so a change that
// landed is not written twice and a human's edit made during the back-off is never overwritten.

import { AddEndpointsCommand, DescribeEndpointGroupCommand } from '@aws-sdk/client-global-accelerator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GlobalAcceleratorGateway } from '../../src/adapters/global-accelerator/gateway.js';
import type { FaultRuleInput } from '../../src/emulator/faults.js';
import type { AcceleratorTopology } from '../../src/snapshot/schema.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { dialChange, groupsOf, planOf, weightsChange } from '../support/plans.js';

const FAST_RETRY = { maxAttempts: 4, budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 400 };
const NLB = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/voip-fra/7d3b2f1a9c4e5d60';
const ALB = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/web-fra/1a2b3c4d5e6f7a8b';
const EC2 = 'i-0123456789abcdef0';

let t: TestEmulator;
let gateway: GlobalAcceleratorGateway;
let topology: AcceleratorTopology;
let fra: string;
let dub: string;

async function start(): Promise<void> {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20 });
  gateway = new GlobalAcceleratorGateway(t.ga, { retry: FAST_RETRY, pollIntervalMs: 10, deployTimeoutMs: 2_000 });
  topology = t.snapshot.accelerators[0] as AcceleratorTopology;
  const groups = groupsOf(topology);
  fra = groups[0]?.group.arn as string;
  dub = groups[1]?.group.arn as string;
}

beforeEach(start);
afterEach(async () => t.close());

const updates = () => t.emulator.calls.filter((c) => c.target.endsWith('.UpdateEndpointGroup'));
const live = async (arn: string) => (await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn }))).EndpointGroup;
const endpointsOf = async (arn: string) => (await live(arn))?.EndpointDescriptions?.map((e) => [e.EndpointId, e.Weight]);

/** The Frankfurt group with a second endpoint, read back, and a plan to shift its weights. */
async function weightsPlan() {
  await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: fra, EndpointConfigurations: [{ EndpointId: ALB, Weight: 128 }] }));
  const read = await gateway.readTopology(topology.arn, []);
  return planOf(read, [weightsChange(read, fra, { [NLB]: 128, [ALB]: 128 }, { [NLB]: 100, [ALB]: 156 }), dialChange(read, dub, 100, 90)]);
}

describe('a write whose answer is lost after it landed', () => {
  it('is found landed by a fresh read and not written again', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'drop-response' });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report).toMatchObject({ outcome: 'applied', deployed: true, changes: [{ status: 'applied' }] });
    expect(report.changes[0]?.message).toMatch(/outcome was unknown .*a fresh read shows it landed/);
    expect(updates()).toHaveLength(1);
    expect((await live(fra))?.TrafficDialPercentage).toBe(85);
  });

  it('the same when the answer stalls after its headers and the attempt runs out of time', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'stall-body' });
    const plan = await weightsPlan();
    const report = await gateway.applyPlan(plan);
    expect(report.changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(report.changes[0]?.message).toMatch(/GlobalAccelerator UpdateEndpointGroup \(us-west-2\) ran out of time after \d+ ms.*a fresh read shows it landed/);
    expect(updates().filter((c) => (c.input as { EndpointGroupArn: string }).EndpointGroupArn === fra)).toHaveLength(1);
    expect(await endpointsOf(fra)).toEqual([
      [NLB, 100],
      [ALB, 156],
    ]);
  });
});

describe('a throttled write, then a human edit during the back-off', () => {
  it('weights: the endpoint the human added is kept; nothing more is written and the rest of the plan waits', async () => {
    const plan = await weightsPlan();
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'throttle' });
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'concurrent-edit', edit: { endpointGroupArn: fra, addEndpoint: { endpointId: EC2, weight: 77 } } });
    const report = await gateway.applyPlan(plan);
    expect(report.outcome).toBe('failed');
    expect(report.changes.map((c) => c.status)).toEqual(['stale', 'not-attempted']);
    expect(report.changes[0]?.message).toMatch(/ThrottlingException.*a fresh read showed endpoints are \[.*i-0123456789abcdef0.*\]: someone else is editing the group, nothing more was written/);
    // Only the throttled write was sent: the list it carried (without EC2) was never sent again.
    expect(updates()).toHaveLength(1);
    expect(await endpointsOf(fra)).toEqual([
      [NLB, 128],
      [ALB, 128],
      [EC2, 77],
    ]);
    expect((await live(dub))?.TrafficDialPercentage).toBe(100);
  });

  it('dial: the dial the human set is kept', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'throttle' });
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'concurrent-edit', edit: { endpointGroupArn: fra, trafficDialPercent: 60 } });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report.changes[0]).toMatchObject({ status: 'stale' });
    expect(report.changes[0]?.message).toMatch(/dial is 60/);
    expect(updates()).toHaveLength(1);
    expect((await live(fra))?.TrafficDialPercentage).toBe(60);
  });

  it('a human edit elsewhere in the group during the back-off stops a dial change too', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'throttle' });
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'concurrent-edit', edit: { endpointGroupArn: fra, weights: { [NLB]: 50 } } });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report.changes[0]).toMatchObject({ status: 'stale' });
    expect(report.changes[0]?.message).toMatch(/weight of .*voip-fra.* is 50 where it was 128/);
    expect(updates()).toHaveLength(1);
    expect((await live(fra))?.TrafficDialPercentage).toBe(100);
  });
});

describe('a write that did not land', () => {
  it('a dropped connection: the group is unchanged on a fresh read, so the write is built again from it', async () => {
    const plan = await weightsPlan();
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'disconnect' });
    const report = await gateway.applyPlan(plan);
    expect(report.changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(report.changes[0]?.message).toMatch(/written on attempt 2, after .*(ECONNRESET|socket hang up|network).*each time a fresh read showed the group unchanged/i);
    const toFra = updates().filter((c) => (c.input as { EndpointGroupArn: string }).EndpointGroupArn === fra);
    expect(toFra.map((c) => c.status)).toEqual([0, 200]);
    expect(toFra[1]?.input).toEqual({
      EndpointGroupArn: fra,
      EndpointConfigurations: [
        { EndpointId: NLB, Weight: 100, ClientIPPreservationEnabled: false },
        { EndpointId: ALB, Weight: 156, ClientIPPreservationEnabled: true },
      ],
    });
    // Between the two writes, the group was read again.
    const sequence = t.emulator.calls.map((c) => c.target.split('.')[1]);
    const first = sequence.indexOf('UpdateEndpointGroup');
    expect(sequence.slice(first, first + 3)).toEqual(['UpdateEndpointGroup', 'DescribeEndpointGroup', 'UpdateEndpointGroup']);
  });

  it('an attempt that is never answered runs out of time, is read again, and written again', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'hang' });
    const started = Date.now();
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report.changes[0]).toMatchObject({ status: 'applied' });
    expect(report.changes[0]?.message).toMatch(/after GlobalAccelerator UpdateEndpointGroup \(us-west-2\) ran out of time after \d+ ms \(its deadline is 400 ms\)/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(updates().map((c) => c.status)).toEqual([0, 200]);
  });

  it('gives up when every attempt fails, and says the group shows nothing landed', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'server-error', times: 0 });
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]));
    expect(report.changes[0]).toMatchObject({ status: 'failed' });
    expect(report.changes[0]?.message).toMatch(/InternalServiceErrorException \(HTTP 500\).*after 4 attempts; a fresh read shows it did not land/);
    expect(updates()).toHaveLength(4);
  });
});

describe('many cycles under random write faults and human edits', () => {
  // A small deterministic generator: the same faults every run.
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
  }

  it('never removes an endpoint someone added, and every report says what is in the group', async () => {
    const next = random(20261130);
    const kinds: FaultRuleInput['kind'][] = ['throttle', 'server-error', 'drop-response', 'disconnect', 'stall-body'];
    let added = 0;
    for (let cycle = 0; cycle < 30; cycle++) {
      await t.close();
      await start();
      const plan = await weightsPlan();
      const kind = kinds[Math.floor(next() * kinds.length)] ?? 'throttle';
      t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind, times: 1 + Math.floor(next() * 2) });
      const human = next() < 0.5;
      if (human) {
        added += 1;
        t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'concurrent-edit', edit: { endpointGroupArn: fra, addEndpoint: { endpointId: EC2, weight: 90 } } });
      }
      const report = await gateway.applyPlan(plan);
      const ids = ((await live(fra))?.EndpointDescriptions ?? []).map((e) => e.EndpointId);
      if (human) expect(ids, `cycle ${cycle}: ${kind}`).toContain(EC2);
      const weights = Object.fromEntries((await endpointsOf(fra)) ?? []);
      const landed = weights[NLB] === 100 && weights[ALB] === 156;
      // The report's word for the Frankfurt change agrees with what the group holds.
      expect(report.changes[0]?.status === 'applied', `cycle ${cycle}: ${kind}, human ${human}: ${report.changes[0]?.message ?? ''}`).toBe(landed);
    }
    expect(added).toBeGreaterThan(5);
  });
});
