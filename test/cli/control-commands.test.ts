// The kill switch from the command line: `ga-steer pause` stops the writes of the next cycle, `status`
// shows the pause, the dials against what ga-steer set and the baseline, and the decision history.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

let t: TestEmulator;
let dir: string;
let policy: string;
let state: string;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-control-cli-'));
  policy = writeSteeringPolicy(dir);
  publishLoad(t, policy);
  state = join(dir, 'state.json');
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pause, resume and status', () => {
  it('a paused run writes nothing; status shows the pause and the history', async () => {
    const paused = await runGaSteer(['pause', '--policy', policy, '--state', state, '--reason', 'incident 42', '--by', 'alice']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/paused by alice at .*: incident 42\. It takes effect at the next cycle/);
    const run = await runGaSteer(['run', '--once', '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(t.emulator.ga.writeLog).toEqual([]);
    expect(run.stderr).toMatch(/alert \[control\] .*paused by alice/);
    expect(run.stderr).toContain('alert: ga-steer paused by alice');

    const status = await runGaSteer(['status', '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/mode: paused \(paused by alice at .*: incident 42\)/);
    expect(status.stdout).toMatch(/decisions \(last 1, newest last\):\n {2}\S+ paused: .*dry-run/);

    expect((await runGaSteer(['resume', '--policy', policy, '--state', state, '--by', 'bob'])).code).toBe(0);
    const again = await runGaSteer(['run', '--once', '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(t.emulator.ga.writeLog.length).toBeGreaterThan(0);
    const json = await runGaSteer(['status', '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { mode: string; groups: { liveDialPercent: number; expectedDialPercent: number; baselineDialPercent: number | null; drifted: boolean }[]; decisions: { kind: string }[] };
    expect(report.mode).toBe('apply');
    expect(report.decisions.map((d) => d.kind)).toEqual(['paused', 'apply']);
    const changed = report.groups.filter((g) => g.baselineDialPercent !== null);
    expect(changed.length).toBeGreaterThan(0);
    for (const g of changed) expect(g).toMatchObject({ baselineDialPercent: 100, drifted: false });
    for (const g of changed) expect(g.liveDialPercent).toBeCloseTo(g.expectedDialPercent, 3);
  });
});
