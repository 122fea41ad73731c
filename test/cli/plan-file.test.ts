// Terraform's flow: `plan --out plan.json` writes the plan file, `apply --plan plan.json` applies it
// without planning again, and refuses it (exit 1, nothing written) when the live topology drifted from
// the plan's `before`, when it is too old, or for another accelerator.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planFileSchema } from '../../src/plan/plan-file.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { liveDials, publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

let t: TestEmulator;
let dir: string;
let policy: string;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-plan-file-'));
  policy = writeSteeringPolicy(dir);
  publishLoad(t, policy);
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function planOut(file: string) {
  const run = await runGaSteer(['plan', '--policy', policy, '--endpoint-url', t.emulator.url, '--out', file, '--detailed-exitcode']);
  expect(run.code, run.stderr).toBe(2);
  return planFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const applyPlan = (file: string, state: string, extra: string[] = []) => runGaSteer(['apply', '--plan', file, '--policy', policy, '--state', state, '--endpoint-url', t.emulator.url, ...extra]);

describe('plan --out, then apply --plan', () => {
  it('applies the reviewed plan as it is, and records it', async () => {
    const file = join(dir, 'plan.json');
    const planned = await planOut(file);
    expect(planned.before.groups.length).toBe(Object.keys(liveDials(t)).length);
    const state = join(dir, 'state.json');
    const run = await applyPlan(file, state);
    expect(run.code, run.stderr).toBe(0);
    for (const c of planned.plan.changes) {
      if (c.kind === 'dial') expect(liveDials(t)[c.address.endpointGroupArn]).toBeCloseTo(c.after.trafficDialPercent, 3);
    }
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { decisions: { kind: string; applyOutcome: string }[]; control: { baselines: Record<string, unknown> } };
    expect(saved.decisions).toMatchObject([{ kind: 'apply-plan', applyOutcome: 'applied' }]);
    expect(Object.keys(saved.control.baselines).length).toBeGreaterThan(0);
  });

  it('refuses a drifted topology with exit 1 and writes nothing', async () => {
    const file = join(dir, 'plan.json');
    const planned = await planOut(file);
    const arn = planned.before.groups[0]!.endpointGroupArn;
    t.emulator.ga.findEndpointGroup(arn)!.group.trafficDialPercent = 60;
    const writes = t.emulator.ga.writeLog.length;
    const state = join(dir, 'state.json');
    const run = await applyPlan(file, state);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refusing to apply this plan, nothing was written');
    expect(run.stderr).toMatch(/traffic dial is 60, the plan was made at 100/);
    expect(t.emulator.ga.writeLog.length).toBe(writes);
    expect(existsSync(state)).toBe(false);

    // A weight, and an endpoint list, are drift too.
    t.emulator.ga.findEndpointGroup(arn)!.group.trafficDialPercent = 100;
    const endpoint = t.emulator.ga.findEndpointGroup(arn)!.group.endpoints[0]!;
    endpoint.weight = 7;
    expect((await applyPlan(file, state)).stderr).toContain(`endpoint ${endpoint.endpointId} has weight 7`);
    t.emulator.ga.findEndpointGroup(arn)!.group.endpoints.pop();
    expect((await applyPlan(file, state)).stderr).toMatch(/endpoints are \[.*\], the plan was made with \[/);
    expect(t.emulator.ga.writeLog.length).toBe(writes);
  });

  it('refuses a plan that is too old, for another accelerator, or not a plan file', async () => {
    const file = join(dir, 'plan.json');
    const planned = await planOut(file);
    const state = join(dir, 'state.json');
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...planned, plan: { ...planned.plan, generatedAt: new Date(Date.now() - 3_600_000).toISOString() } }));
    const stale = await applyPlan(old, state);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/older than the limit of 900 s/);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ ...planned, plan: { ...planned.plan, acceleratorArn: 'arn:aws:globalaccelerator::1:accelerator/other' } }));
    expect((await applyPlan(other, state)).stderr).toContain('the plan is for accelerator arn:aws:globalaccelerator::1:accelerator/other');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "planFileVersion": 1,\n  "plan": {}\n}\n');
    const bad = await applyPlan(broken, state);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${broken}:`);
    expect(t.emulator.ga.writeLog).toEqual([]);
    expect(existsSync(state)).toBe(false);
  });
});
