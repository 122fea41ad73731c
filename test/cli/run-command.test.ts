// `ga-steer run` in-process against an in-process emulator: cycles on a one-second schedule, policy
// edits between cycles, failures that must not stop the loop, and a clean stop on the abort signal.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/emulator.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { exampleSnapshot, startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runGaSteer, type CliRun } from '../support/run-cli-in-process.js';
import { until } from '../support/until.js';

const EVERY_SECOND = '*/1 * * * * *';
/** A cycle here can take longer than the one-second interval the default deadline is made from. */
const LONG_CYCLES = ['--cycle-timeout', '20'];
const POLICY = 'policies/crazycall-voip.yaml';

interface CycleLine {
  event: string;
  time: string;
  policy: string | null;
  outcome: string;
  verdict: string | null;
  changes: number;
  holds: Record<string, number>;
  applyOutcome: string | null;
  problems: number;
  durationMs: number;
  issues?: string[];
  error?: string;
}

let dir: string;
let atlas: AtlasApiServer;
/** The policy's RIPE Atlas measurements go to a local Atlas server that has no results for them. */
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-run-'));
  atlas = await startAtlasApiServer();
  env = { GA_STEER_ATLAS_URL: atlas.url, AWS_SECRET_ACCESS_KEY: 'super-secret-value-1234' };
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  await atlas?.close();
});

/** Starts `ga-steer run` and hands back its cycle lines as they come. */
function startRun(args: readonly string[]) {
  const stop = new AbortController();
  const lines: CycleLine[] = [];
  const waiters: { until: (l: CycleLine[]) => boolean; resolve: () => void }[] = [];
  let buffered = '';
  const done: Promise<CliRun> = runGaSteer(['run', ...args], env, stop.signal, (text) => {
    buffered += text;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, nl)) as CycleLine);
      buffered = buffered.slice(nl + 1);
    }
    for (const w of [...waiters]) if (w.until(lines)) w.resolve();
  });
  return {
    lines,
    stop: async () => {
      stop.abort();
      return done;
    },
    /** Resolves when `until` holds for the lines so far (or fails the test after `ms`). */
    waitFor: (until: (l: CycleLine[]) => boolean, ms = 8000) =>
      new Promise<void>((resolve, reject) => {
        if (until(lines)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out; lines so far: ${JSON.stringify(lines)}`)), ms);
        waiters.push({
          until,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}

describe.concurrent('ga-steer run', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 10 });
  });
  afterAll(async () => {
    await emu?.close(); // undefined when beforeAll failed
  });

  it('--once runs one cycle, writes state and health, prints one JSON line, exits 0', async () => {
    const state = join(dir, 'once-state.json');
    const health = join(dir, 'once-health.json');
    const run = await runGaSteer(['run', '--once', '--policy', POLICY, '--state', state, '--endpoint-url', emu.emulator.url, '--health-file', health], env);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout.trim().split('\n');
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0] ?? '') as CycleLine;
    expect(line).toMatchObject({ event: 'cycle', policy: 'crazycall-voip', outcome: 'ok', verdict: 'hold', changes: 0, applyOutcome: null });
    expect(line.holds['NoData']).toBeGreaterThan(0);
    expect(line.problems).toBeGreaterThanOrEqual(0);
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ stateVersion: 2 });
    expect(JSON.parse(readFileSync(health, 'utf8'))).toEqual({ lastCycleAt: expect.any(String), lastOutcome: 'ok', consecutiveFailures: 0 });
    expect(run.stdout + run.stderr).not.toContain('super-secret-value-1234');
  });

  it('--once --plan-only decides without touching the state file', async () => {
    const state = join(dir, 'plan-only-state.json');
    const run = await runGaSteer(['run', '--once', '--plan-only', '--policy', POLICY, '--state', state, '--endpoint-url', emu.emulator.url], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ mode: 'plan', outcome: 'ok' });
    expect(() => readFileSync(state)).toThrow(/ENOENT/);
  });

  it('an invalid cron expression exits 1 naming the field', async () => {
    const run = await runGaSteer(['run', '--policy', POLICY, '--state', join(dir, 'x.json'), '--schedule', '61 * * * *'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--schedule "61 * * * *" is not a valid cron expression: minute: 61 is a invalid expression for minute');
    const words = await runGaSteer(['run', '--policy', POLICY, '--state', join(dir, 'x.json'), '--schedule', 'every minute'], env);
    expect(words.code).toBe(1);
    expect(words.stderr).toContain('expected 5 or 6 fields');
  });

  it('runs a cycle every tick, then stops on the abort signal with exit 0 and the health file current', async () => {
    const state = join(dir, 'loop-state.json');
    const health = join(dir, 'loop-health.json');
    const run = startRun([...LONG_CYCLES, '--schedule', EVERY_SECOND, '--policy', POLICY, '--state', state, '--endpoint-url', emu.emulator.url, '--health-file', health]);
    await run.waitFor((l) => l.length >= 2);
    const result = await run.stop();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('ga-steer run: stopped');
    expect(run.lines.length).toBeGreaterThanOrEqual(2);
    expect(run.lines.every((l) => l.outcome === 'ok')).toBe(true);
    // Cycles start on distinct ticks, one at a time.
    expect(new Set(run.lines.map((l) => l.time)).size).toBe(run.lines.length);
    const last = run.lines.at(-1);
    expect(JSON.parse(readFileSync(health, 'utf8'))).toEqual({ lastCycleAt: expect.any(String), lastOutcome: 'ok', consecutiveFailures: 0 });
    expect(Date.parse(JSON.parse(readFileSync(health, 'utf8')).lastCycleAt as string)).toBeGreaterThanOrEqual(Date.parse(last?.time ?? ''));
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ stateVersion: 2 });
  });

  it('holds with every issue at file:line:col when the policy turns invalid, and resumes once it is fixed', async () => {
    const policy = join(dir, 'editable.yaml');
    copyFileSync(POLICY, policy);
    const good = readFileSync(policy, 'utf8');
    const health = join(dir, 'edit-health.json');
    const run = startRun([...LONG_CYCLES, '--schedule', EVERY_SECOND, '--policy', policy, '--state', join(dir, 'edit-state.json'), '--endpoint-url', emu.emulator.url, '--health-file', health]);
    await run.waitFor((l) => l.some((x) => x.outcome === 'ok'));
    const targetLine = good.split('\n').findIndex((l) => l.includes('targetPercent: 75')) + 1;
    writeFileSync(policy, good.replace('targetPercent: 75', 'targetPercent: 750'));
    await run.waitFor((l) => l.some((x) => x.outcome === 'policy-invalid'));
    const held = run.lines.find((x) => x.outcome === 'policy-invalid');
    expect(held).toMatchObject({ verdict: 'hold', policy: null, changes: 0, holds: { PolicyInvalid: 1 } });
    expect(held?.issues?.some((i) => i.startsWith(`${policy}:${targetLine}:`) && i.includes('targetPercent'))).toBe(true);
    expect(JSON.parse(readFileSync(health, 'utf8'))).toMatchObject({ lastOutcome: 'policy-invalid' });
    writeFileSync(policy, good);
    const heldAt = run.lines.indexOf(held as CycleLine);
    await run.waitFor((l) => l.slice(heldAt).some((x) => x.outcome === 'ok'));
    const result = await run.stop();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`policy invalid, holding: ${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${targetLine}:\\d+ `));
  });

  it('the kill switch: enabled: false holds every cycle and changes nothing', async () => {
    const policy = join(dir, 'disabled.yaml');
    writeFileSync(policy, readFileSync(POLICY, 'utf8').replace('enabled: true', 'enabled: false'));
    const run = await runGaSteer(['run', '--once', '--policy', policy, '--state', join(dir, 'disabled-state.json'), '--endpoint-url', emu.emulator.url], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'ok', verdict: 'hold', changes: 0, holds: { Disabled: 1 } });
  });

  it('--once with an invalid policy prints the issues and exits 1', async () => {
    const policy = join(dir, 'broken.yaml');
    writeFileSync(policy, readFileSync(POLICY, 'utf8').replace('objectiveMs: 80', 'objectiveMs: -5'));
    const run = await runGaSteer(['run', '--once', '--policy', policy, '--state', join(dir, 'broken-state.json'), '--endpoint-url', emu.emulator.url], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'policy-invalid', verdict: 'hold' });
    expect(run.stderr).toMatch(new RegExp(`${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ latency.objectiveMs`));
  });

  it('a scheduled run refuses to start on a policy that is already invalid', async () => {
    const run = await runGaSteer(['run', '--policy', 'policies/nope.yaml', '--state', join(dir, 'n.json')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('policies/nope.yaml: cannot read the file (ENOENT)');
  });

  it('stopping waits for the cycle in flight to finish', async () => {
    const own = await startEmulator({ topology: exampleSnapshot('crazycall-hot.json').accelerators, deployDelayMs: 10 });
    own.faults.add({ operation: 'DescribeAccelerator', kind: 'latency', delayMs: 1500, times: 1 });
    try {
      const run = startRun([...LONG_CYCLES, '--schedule', EVERY_SECOND, '--policy', POLICY, '--state', join(dir, 'inflight-state.json'), '--endpoint-url', own.url]);
      // Once the slowed call has reached the emulator, the first cycle is in flight for another 1.5 s
      // (waiting on the clock instead made the test fail on a busy machine, where the tick came late).
      await until(() => own.faults.firedCounts()[0] === 1);
      expect(run.lines).toHaveLength(0);
      const result = await run.stop();
      expect(result.code, result.stderr).toBe(0);
      expect(run.lines).toHaveLength(1);
      expect(run.lines[0]).toMatchObject({ outcome: 'ok' });
      expect(run.lines[0]?.durationMs).toBeGreaterThanOrEqual(1400);
      expect(result.stderr.indexOf('stopping')).toBeLessThan(result.stderr.indexOf('ga-steer run: stopped'));
    } finally {
      await own.close();
    }
  });

  it('a cycle that throws is logged and the loop goes on to the next tick', async () => {
    const own = await startEmulator({ topology: exampleSnapshot('crazycall-hot.json').accelerators, deployDelayMs: 10 });
    const url = own.url;
    const health = join(dir, 'throw-health.json');
    const run = startRun([...LONG_CYCLES, '--schedule', EVERY_SECOND, '--policy', POLICY, '--state', join(dir, 'throw-state.json'), '--endpoint-url', url, '--health-file', health]);
    await run.waitFor((l) => l.some((x) => x.outcome === 'ok'));
    // Down: the emulator drops every connection (its disconnect fault, on every call) and keeps its
    // port, which no other test's server can then be given.
    own.faults.add({ operation: '*', kind: 'disconnect', times: 0 });
    await run.waitFor((l) => l.some((x) => x.outcome === 'error'));
    const failed = run.lines.find((x) => x.outcome === 'error');
    expect(failed).toMatchObject({ policy: 'crazycall-voip', verdict: null });
    expect(failed?.error).toMatch(/ECONNRESET|socket hang up/);
    expect(JSON.parse(readFileSync(health, 'utf8'))).toMatchObject({ lastOutcome: 'error', consecutiveFailures: 1 });
    // The accelerator's API comes back: the next cycle succeeds without a restart.
    own.faults.clear();
    try {
      const failedAt = run.lines.indexOf(failed as CycleLine);
      await run.waitFor((l) => l.slice(failedAt).some((x) => x.outcome === 'ok'));
      const result = await run.stop();
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/cycle failed: .*(ECONNRESET|socket hang up)/);
      expect(JSON.parse(readFileSync(health, 'utf8'))).toMatchObject({ lastOutcome: 'ok', consecutiveFailures: 0 });
    } finally {
      await own.close();
    }
  });
});
