// Two `ga-steer run` on the same state file and accelerator, as a user started them: against the
// emulator with Frankfurt hot, only one of them writes; the other holds LeaseHeld naming it; every
// change that landed is in the state, so the next cycle cools down instead of seeing a human's edit.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { liveDials, publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

interface CycleLine {
  outcome: string;
  verdict: string;
  changes: number;
  holds: Record<string, number>;
  applyOutcome: string | null;
  lease: string | null;
  headline: string;
}

let t: TestEmulator;
let dir: string;
let policy: string;
let state: string;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 300 });
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-run-lease-'));
  policy = writeSteeringPolicy(dir);
  publishLoad(t, policy);
  state = join(dir, 'state.json');
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const runOnce = async () => {
  const run = await runGaSteer(['run', '--once', '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url]);
  return { ...run, line: JSON.parse(run.stdout) as CycleLine };
};

function expectStateRecordsLiveDials(): void {
  const saved = JSON.parse(readFileSync(state, 'utf8')) as { groups: Record<string, { expectedDialPercent?: number }> };
  const live = liveDials(t);
  const changed = Object.entries(live).filter(([, d]) => d !== 100);
  expect(changed.length).toBeGreaterThan(0);
  for (const [arn, dial] of changed) expect(saved.groups[arn]?.expectedDialPercent, arn).toBeCloseTo(dial, 3);
}

describe('two ga-steer run on one state file and accelerator', () => {
  it('started together: one writes, the other holds LeaseHeld naming it; every landed change is recorded', async () => {
    const [a, b] = await Promise.all([runOnce(), runOnce()]);
    const lines = [a.line, b.line];
    const writer = lines.find((l) => l.lease === 'kept');
    const holder = lines.find((l) => l.lease === 'held-elsewhere');
    expect(writer, JSON.stringify(lines)).toMatchObject({ outcome: 'ok', verdict: 'changes', applyOutcome: 'applied' });
    expect(holder, JSON.stringify(lines)).toMatchObject({ outcome: 'ok', verdict: 'hold', changes: 0, holds: { LeaseHeld: 1 }, applyOutcome: null });
    expect(holder?.headline).toMatch(new RegExp(`^Hold \\(LeaseHeld\\): ga-steer on \\S+ pid ${process.pid} cycle \\w+ holds the lease on ${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(token 1\\) until \\S+Z`));
    expect([a.code, b.code]).toEqual([0, 0]);
    // One writer: as many writes as the writer's changes, each recorded in the state.
    expect(t.emulator.ga.writeLog.filter((w) => w.operation === 'UpdateEndpointGroup')).toHaveLength(writer?.changes ?? -1);
    expectStateRecordsLiveDials();
    // The lease was released and its lock file stays beside the state.
    expect(readdirSync(dir).filter((n) => n.startsWith('state.json.lease.'))).toEqual(['state.json.lease.1']);

    // Both runs' next cycle: the change is theirs, so they cool down; nobody sees a human's edit.
    const [c, d] = [await runOnce(), await runOnce()];
    for (const next of [c.line, d.line]) {
      expect(next.holds.CoolingDown, JSON.stringify(next)).toBeGreaterThan(0);
      expect(next.holds.HumanOverride).toBeUndefined();
      expect(next.changes).toBe(0);
    }
  });

  it('the second started while the first is applying: it holds, and writes nothing', async () => {
    const first = runOnce();
    // Start the second once the first's write has landed (it then waits for DEPLOYED, 300 ms).
    while (t.emulator.ga.writeLog.length === 0) await new Promise((r) => setTimeout(r, 5));
    const writes = t.emulator.ga.writeLog.length;
    const second = await runOnce();
    expect(second.line).toMatchObject({ verdict: 'hold', holds: { LeaseHeld: 1 }, lease: 'held-elsewhere' });
    const done = await first;
    expect(done.line).toMatchObject({ lease: 'kept', applyOutcome: 'applied' });
    expect(t.emulator.ga.writeLog.length).toBeGreaterThanOrEqual(writes);
    expect(t.emulator.ga.writeLog).toHaveLength(done.line.changes);
    expectStateRecordsLiveDials();
  });

  it('a crashed run\'s expired lock file does not block: the next run takes it over', async () => {
    writeFileSync(`${state}.lease.4`, JSON.stringify({ owner: 'ga-steer on old-host pid 1', token: 4, expiresAt: new Date(Date.now() - 1000).toISOString(), acquiredAt: new Date(Date.now() - 121_000).toISOString() }));
    const run = await runOnce();
    expect(run.line).toMatchObject({ lease: 'kept', applyOutcome: 'applied' });
    expect(run.stderr).toContain('lease: took over');
    expect(readdirSync(dir).filter((n) => n.startsWith('state.json.lease.'))).toEqual(['state.json.lease.5']);
  });
});
