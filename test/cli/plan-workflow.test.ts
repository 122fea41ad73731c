// The example GitHub Actions workflow's shell steps, run as a runner would (bash, GITHUB_OUTPUT, the
// job's env), against the emulator with Frankfurt hot: validate passes, the plan step records exit
// code 2 (changes) and writes the Markdown comment and the plan file; an invalid policy fails the job.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planFileSchema } from '../../src/plan/plan-file.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { REPO_ROOT } from '../support/repo-data.js';
import { publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

interface Step {
  readonly id?: string;
  readonly run?: string;
}
const workflow = parse(readFileSync(resolve(REPO_ROOT, 'examples/github-actions/ga-steer-plan.yml'), 'utf8')) as { jobs: { plan: { env: Record<string, string>; steps: Step[] } } };
const job = workflow.jobs.plan;
const step = (id: string): string => {
  const s = job.steps.find((x) => x.id === id);
  if (s?.run === undefined) throw new Error(`the workflow has no run step ${id}`);
  return s.run;
};

let t: TestEmulator;
let dir: string;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-workflow-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function runStep(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-e', '-c', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('the example plan workflow', () => {
  it('validates, plans with exit code 2 recorded, and leaves the Markdown comment and the plan file', async () => {
    const policy = writeSteeringPolicy(dir);
    publishLoad(t, policy);
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const env = { ...job.env, POLICY: policy, GA_STEER: `node ${resolve(REPO_ROOT, 'bin/ga-steer.js')}`, GA_STEER_PLAN_ARGS: `--endpoint-url ${t.emulator.url}`, GITHUB_OUTPUT: output };
    const validate = await runStep(step('validate'), env);
    expect(validate.code, validate.stderr).toBe(0);
    const plan = await runStep(step('plan'), env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('exitcode=2\n');
    const markdown = readFileSync(join(dir, 'plan.md'), 'utf8');
    expect(markdown).toContain('### ga-steer plan: `crazycall-voip`');
    expect(markdown).toContain('The plan has changes.');
    expect(planFileSchema.parse(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'))).plan.changes.length).toBeGreaterThan(0);
  });

  it('an invalid policy fails the validate step, and an unreachable service fails the plan step with exit code 1 recorded', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: ga-steer.io/v1\nname: Bad Name\n');
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const env = { ...job.env, POLICY: bad, GA_STEER: `node ${resolve(REPO_ROOT, 'bin/ga-steer.js')}`, GITHUB_OUTPUT: output };
    const validate = await runStep(step('validate'), env);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`${bad}:2:7 name: `);
    const policy = writeSteeringPolicy(dir);
    const plan = await runStep(step('plan'), { ...env, POLICY: policy, GA_STEER_PLAN_ARGS: '--endpoint-url http://127.0.0.1:9' });
    expect(plan.code).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('exitcode=1\n');
  });
});
