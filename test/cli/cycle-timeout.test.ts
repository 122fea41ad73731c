// The live commands against a Global Accelerator endpoint that accepts the connection and never
// answers: each stops at its cycle deadline instead of hanging, and says which call ran out.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCycleTimeoutMsFor } from '../../src/cli/cycle-timeout.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { startStallingServer, type StallingServer } from '../support/stalling-server.js';

const POLICY = 'policies/crazycall-voip.yaml';
const RAN_OUT = /GlobalAccelerator DescribeAccelerator \(us-west-2\) ran out of time after \d+ ms \(the cycle deadline of 1275 ms passed\)/;

let dir: string;
let atlas: AtlasApiServer;
let silent: StallingServer;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-cycle-timeout-'));
  atlas = await startAtlasApiServer();
  silent = await startStallingServer('never-answer');
  env = { GA_STEER_ATLAS_URL: atlas.url };
});
afterAll(async () => {
  await silent.close();
  await atlas.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('a Global Accelerator endpoint that never answers', () => {
  it('plan stops at its deadline with exit 1, naming the call', async () => {
    const started = Date.now();
    const run = await runGaSteer(['plan', '--policy', POLICY, '--endpoint-url', silent.url, '--cycle-timeout', '1.5'], env);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(RAN_OUT);
    expect(run.stdout).toBe('');
  });

  it('apply stops at its deadline, changes nothing and writes no state', async () => {
    const state = join(dir, 'apply-state.json');
    const run = await runGaSteer(['apply', '--policy', POLICY, '--state', state, '--endpoint-url', silent.url, '--cycle-timeout', '1.5'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(RAN_OUT);
    // Only what the error alert said is recorded: no controller state.
    const stored = JSON.parse(readFileSync(state, 'utf8')) as { groups: unknown; alerts: { open: Record<string, { kind: string; title: string }> } };
    expect(stored.groups).toEqual({});
    expect(Object.values(stored.alerts.open)).toEqual([expect.objectContaining({ kind: 'failure', title: 'cycle failed while reading the accelerator: DeadlineExceededError' })]);
  });

  it('run --once logs a timed-out cycle with the call that ran out, and the health file counts it', async () => {
    const health = join(dir, 'health.json');
    const run = await runGaSteer(['run', '--once', '--policy', POLICY, '--state', join(dir, 'run-state.json'), '--endpoint-url', silent.url, '--cycle-timeout', '1.5', '--health-file', health], env);
    expect(run.code).toBe(1);
    const line = JSON.parse(run.stdout) as { outcome: string; ranOut: Record<string, unknown>; error: string; durationMs: number };
    expect(line.outcome).toBe('timed-out');
    expect(line.ranOut).toMatchObject({ service: 'GlobalAccelerator', operation: 'DescribeAccelerator', target: 'us-west-2', limit: 'cycle', limitMs: 1275 });
    expect(line.ranOut['elapsedMs']).toEqual(expect.any(Number));
    expect(line.error).toMatch(RAN_OUT);
    expect(line.durationMs).toBeLessThan(3_000);
    expect(JSON.parse(readFileSync(health, 'utf8'))).toMatchObject({ lastOutcome: 'timed-out', consecutiveFailures: 1 });
  });

  it('refuses a deadline that is not a positive number of seconds', async () => {
    const run = await runGaSteer(['apply', '--policy', POLICY, '--state', join(dir, 'x.json'), '--cycle-timeout', '0'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--cycle-timeout must be a positive number of seconds (got "0")');
  });
});

describe('run: the default deadline comes from the schedule', () => {
  it('is 90 % of the shortest interval between cycles, at most 10 minutes', () => {
    expect(defaultCycleTimeoutMsFor('*/2 * * * *')).toBe(108_000);
    expect(defaultCycleTimeoutMsFor('*/1 * * * * *')).toBe(900);
    // Every 10 minutes during office hours: the gap that matters is the 10 minutes, not the night.
    expect(defaultCycleTimeoutMsFor('*/10 8-18 * * 1-5')).toBe(540_000);
    expect(defaultCycleTimeoutMsFor('0 9 * * *')).toBe(600_000);
  });
});
