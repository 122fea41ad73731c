// The Global Accelerator apply asks its write guard (the lease) before every change, and again before
// writing again after a failed write, through the real SDK against the emulator: a refusal stops it
// there, nothing more is written, and the report says why.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GlobalAcceleratorGateway } from '../../src/adapters/global-accelerator/gateway.js';
import type { WritePermit } from '../../src/ports/accelerator-gateway.js';
import type { AcceleratorTopology } from '../../src/snapshot/schema.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { dialChange, groupsOf, planOf } from '../support/plans.js';

let t: TestEmulator;
let gateway: GlobalAcceleratorGateway;
let topology: AcceleratorTopology;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 10 });
  gateway = new GlobalAcceleratorGateway(t.ga, { retry: { maxAttempts: 2, budgetMs: 1000, baseDelayMs: 1, maxDelayMs: 2 }, pollIntervalMs: 5, deployTimeoutMs: 2000 });
  topology = t.snapshot.accelerators[0] as AcceleratorTopology;
});
afterEach(() => t.close());

describe('apply under a write guard', () => {
  it('asks before each change; a refusal stops the apply there and nothing more is written', async () => {
    const [fra, dub, fra2] = groupsOf(topology).map((g) => g.group.arn) as [string, string, string];
    const answers: WritePermit[] = [{ allowed: true }, { allowed: false, reason: 'memory: lease token 3 was superseded by token 4 of other' }];
    let asked = 0;
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85), dialChange(topology, fra2, 100, 85), dialChange(topology, dub, 100, 90)]), {
      beforeWrite: async () => answers[asked++] ?? { allowed: true },
    });
    expect(asked).toBe(2);
    expect(report.outcome).toBe('partial');
    expect(report.changes.map((c) => [c.status, c.message])).toEqual([
      ['applied', undefined],
      ['not-attempted', 'memory: lease token 3 was superseded by token 4 of other'],
      ['not-attempted', 'memory: lease token 3 was superseded by token 4 of other'],
    ]);
    expect(t.emulator.ga.writeLog.map((w) => w.arn)).toEqual([fra]);
  });

  it('a guard refusing the first change leaves the accelerator untouched', async () => {
    const [fra] = groupsOf(topology).map((g) => g.group.arn) as [string];
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85)]), { beforeWrite: async () => ({ allowed: false, reason: 'lease expired' }) });
    expect(report).toEqual({ outcome: 'failed', changes: [expect.objectContaining({ status: 'not-attempted', message: 'lease expired' })] });
    expect(t.emulator.ga.writeLog).toEqual([]);
  });

  it('asks again before writing again after a failed write: a refusal then stops the apply, nothing written twice', async () => {
    const [fra, dub] = groupsOf(topology).map((g) => g.group.arn) as [string, string];
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'throttle', times: 1 });
    const answers: WritePermit[] = [{ allowed: true }, { allowed: false, reason: 'memory: lease token 3 expired' }];
    let asked = 0;
    const report = await gateway.applyPlan(planOf(topology, [dialChange(topology, fra, 100, 85), dialChange(topology, dub, 100, 90)]), {
      beforeWrite: async () => answers[asked++] ?? { allowed: true },
    });
    expect(asked).toBe(2);
    expect(report.outcome).toBe('failed');
    expect(report.changes.map((c) => c.status)).toEqual(['failed', 'not-attempted']);
    expect(report.changes[0]?.message).toMatch(/ThrottlingException.*a fresh read shows it did not land, and it was not written again: memory: lease token 3 expired$/);
    expect(report.changes[1]?.message).toBe('memory: lease token 3 expired');
    // The throttled write was the only one sent; nothing landed.
    expect(t.emulator.calls.filter((c) => c.target.endsWith('.UpdateEndpointGroup'))).toHaveLength(1);
    expect(t.emulator.ga.writeLog).toEqual([]);
  });
});
