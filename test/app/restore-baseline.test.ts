// `restore` brings a group ga-steer changed back to the baseline recorded before its first change:
// stepped within the guardrails (cooldown, restore step), or --all-at-once; through the guarded apply
// against the emulator; the next cycle takes the restored values as ga-steer's own, not a human's.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../src/adapters/state/memory-state-store.js';
import { restoreBaseline } from '../../src/app/restore-baseline.js';
import { wireLive } from '../../src/app/live-wiring.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { startLiveCycleRig, type LiveCycleRig } from '../support/live-cycle-rig.js';

let rig: LiveCycleRig;
beforeEach(async () => {
  rig = await startLiveCycleRig();
});
afterEach(async () => {
  await rig.close();
});

async function restore(store: StateStore, allAtOnce: boolean) {
  const wiring = wireLive(rig.policy, { endpointUrl: rig.t.emulator.url, env: {}, stateStore: store, notify: false, policySources: false, log: () => undefined, clock: rig.clock, pollIntervalMs: 5, deployTimeoutMs: 2000 });
  try {
    return await restoreBaseline(wiring.deps.gateway, store, rig.policy, { allAtOnce, by: 'carol', lease: { owner: 'ga-steer restore', ttlMs: 30_000, waitMs: 0, clock: rig.clock, log: () => undefined } });
  } finally {
    wiring.close();
  }
}

describe('ga-steer restore', () => {
  it('steps a changed dial back to its baseline within the cooldown and restore step', async () => {
    const store = new MemoryStateStore();
    const first = await rig.cycle(store);
    const change = first.plan.changes.find((c) => c.kind === 'dial');
    if (change?.kind !== 'dial') throw new Error('the hot snapshot should lower a dial');
    const arn = change.address.endpointGroupArn;
    expect(rig.dials()[arn]).toBeCloseTo(change.after.trafficDialPercent, 3);
    expect((await store.load()).control?.baselines[arn]?.trafficDialPercent).toBe(100);

    // Just changed: the cooldown holds a stepped restore, nothing is written.
    const writes = rig.t.emulator.ga.writeLog.length;
    const held = await restore(store, false);
    expect(held.plan.changes).toEqual([]);
    expect(held.plan.holds.map((h) => h.reason)).toContain('CoolingDown');
    expect(rig.t.emulator.ga.writeLog.length).toBe(writes);

    rig.nowMs += (rig.policy.guardrails.cooldownSeconds + 1) * 1000;
    const step = await restore(store, false);
    const up = change.after.trafficDialPercent + rig.policy.guardrails.restoreStepPercent;
    expect(step.plan.changes.length).toBe(first.plan.changes.filter((c) => c.kind === 'dial').length);
    expect(step.plan.changes.find((c) => c.address.endpointGroupArn === arn)).toMatchObject({ kind: 'dial', reason: 'DialRestored', after: { trafficDialPercent: Math.min(100, up) } });
    expect(step.report?.outcome).toBe('applied');
    expect(rig.dials()[arn]).toBeCloseTo(Math.min(100, up), 3);
    const stored = await store.load();
    expect(stored.groups[arn]?.expectedDialPercent).toBe(Math.min(100, up));
    expect(stored.decisions?.at(-1)).toMatchObject({ kind: 'restore', by: 'carol', applyOutcome: 'applied' });

    // The next cycle takes the restored dial as ga-steer's own: a cooldown, not a human's change.
    rig.nowMs += 30_000;
    const next = await rig.cycle(store);
    expect(next.plan.holds.map((h) => h.reason)).not.toContain('HumanOverride');
  });

  it('--all-at-once goes straight to the baseline; with nothing changed there is nothing to restore', async () => {
    const store = new MemoryStateStore();
    const none = await restore(store, true);
    expect(none).toMatchObject({ baselines: 0, report: undefined });
    expect(none.plan.changes).toEqual([]);

    const dialsBefore = rig.dials();
    const first = await rig.cycle(store);
    expect(first.report?.outcome).toBe('applied');
    expect(rig.dials()).not.toEqual(dialsBefore);
    const back = await restore(store, true);
    expect(back.report?.outcome).toBe('applied');
    for (const [arn, dial] of Object.entries(dialsBefore)) expect(rig.dials()[arn]).toBeCloseTo(dial, 3);
    // Every endpoint is still there.
    for (const a of rig.t.emulator.ga.accelerators) for (const l of a.listeners) for (const g of l.endpointGroups) expect(g.endpoints.length).toBeGreaterThan(0);
  });
});
