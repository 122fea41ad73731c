// Control without redeploy: `pause` and `resume` set the mode in the stored state (a file, or the
// Lambda's DynamoDB item in dynalite), the next cycle reads it: paused cycles plan and report, write
// nothing to the accelerator and alert the pause once; resumed cycles apply again (and record the
// baseline of a group ga-steer changes for the first time).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStore } from '../../src/adapters/state/dynamodb-state-store.js';
import { FileStateStore } from '../../src/adapters/state/file-state-store.js';
import { setControlMode } from '../../src/app/set-control-mode.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { startLiveCycleRig, type LiveCycleRig } from '../support/live-cycle-rig.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

let db: LocalDynamoDb;
let dir: string;
let rig: LiveCycleRig;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable('ga-steer-control');
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-control-'));
});
afterAll(async () => {
  await db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  rig = await startLiveCycleRig();
});
afterEach(async () => {
  await rig.close();
});

const stores: { name: string; open: (id: string) => StateStore }[] = [
  { name: 'file', open: (id) => new FileStateStore(join(dir, `${id}.json`)) },
  { name: 'DynamoDB (dynalite)', open: (id) => new DynamoDbStateStore(db.client, 'ga-steer-control', `arn:aws:globalaccelerator::123456789012:accelerator/${id}`) },
];

function leaseOptions(owner: string) {
  return { owner, ttlMs: 30_000, waitMs: 0, clock: rig.clock, log: () => undefined };
}

describe.each(stores)('pause and resume with the $name store', ({ open }) => {
  it('a paused cycle plans and reports but writes nothing, alerts once; resume applies again and records the baseline', async () => {
    const store = open(`pause-${Math.random().toString(36).slice(2, 8)}`);
    await setControlMode(store, 'paused', { by: 'alice', reason: 'deploy freeze' }, leaseOptions('ga-steer pause'));

    const first = await rig.cycle(store);
    expect(first.control).toMatchObject({ mode: 'paused', announced: true, setting: { by: 'alice', reason: 'deploy freeze' } });
    expect(first.plan.changes.length).toBeGreaterThan(0);
    expect(first.plan.changes.every((c) => c.dryRun)).toBe(true);
    expect(first.report).toBeUndefined();
    expect(rig.t.emulator.ga.writeLog).toEqual([]);
    expect(rig.alerts).toHaveLength(1);
    expect(rig.alerts[0]?.events).toContain('control');
    expect(rig.alerts[0]?.notes?.[0]).toMatch(/^ga-steer paused by alice at .*: deploy freeze; cycles plan and report, nothing is written/);

    rig.nowMs += 60_000;
    const second = await rig.cycle(store);
    expect(second.control).toMatchObject({ mode: 'paused', announced: false });
    expect(rig.t.emulator.ga.writeLog).toEqual([]);
    expect(rig.alerts.filter((a) => a.events.includes('control'))).toHaveLength(1);
    const paused = await store.load();
    expect(paused.decisions?.map((d) => d.kind)).toEqual(['paused', 'paused']);
    expect(paused.control?.baselines).toEqual({});

    const dialsBefore = rig.dials();
    await setControlMode(store, 'apply', { by: 'bob', reason: 'freeze over' }, leaseOptions('ga-steer resume'));
    rig.nowMs += 60_000;
    const third = await rig.cycle(store);
    expect(third.control).toMatchObject({ mode: 'apply', announced: true });
    expect(third.report?.outcome).toBe('applied');
    expect(rig.t.emulator.ga.writeLog.length).toBeGreaterThan(0);
    expect(rig.alerts.filter((a) => a.events.includes('control'))).toHaveLength(2);
    expect(rig.alerts.at(-1)?.notes?.[0]).toMatch(/^ga-steer resumed by bob at .*: freeze over; cycles apply their plans again/);
    const resumed = await store.load();
    const changed = third.plan.changes.filter((c) => c.kind === 'dial').map((c) => c.address.endpointGroupArn);
    expect(changed.length).toBeGreaterThan(0);
    for (const arn of changed) {
      expect(resumed.control?.baselines[arn]?.trafficDialPercent).toBe(dialsBefore[arn]);
      expect(rig.dials()[arn]).not.toBe(dialsBefore[arn]);
    }
    expect(resumed.decisions?.map((d) => d.kind)).toEqual(['paused', 'paused', 'apply']);
    expect(resumed.decisions?.at(-1)?.changes.every((c) => c.status === 'applied' || c.dryRun)).toBe(true);
  });
});
