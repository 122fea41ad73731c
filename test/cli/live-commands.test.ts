// `ga-steer emulator`, live `plan` and `apply`, in-process, through the real SDK over HTTP.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { startCliEmulator, type CliEmulator } from '../support/cli-emulator.js';
import { runGaSteer } from '../support/run-cli-in-process.js';

let emulator: CliEmulator | undefined;
let url: string;
let dir: string;
let atlas: AtlasApiServer;
/** The policy's RIPE Atlas measurements are asked of a local Atlas server that has no results for them. */
const NO_ATLAS: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-cli-'));
  atlas = await startAtlasApiServer();
  NO_ATLAS['GA_STEER_ATLAS_URL'] = atlas.url;
  emulator = await startCliEmulator('examples/snapshots/crazycall-hot.json', 'policies/crazycall-voip.yaml');
  url = emulator.url;
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  if (emulator !== undefined) {
    const done = await emulator.stop();
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('ga-steer emulator stopped');
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  await atlas?.close();
});

describe('live commands against `ga-steer emulator`', () => {
  it('plan reads the accelerator and CloudWatch load, and holds on missing latency rather than guess', async () => {
    const snapshotOut = join(dir, 'live.json');
    const run = await runGaSteer(['plan', '--policy', 'policies/crazycall-voip.yaml', '--endpoint-url', url, '--format', 'json', '--save-snapshot', snapshotOut], NO_ATLAS);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { changes: unknown[]; holds: { reason: string; message: string }[]; regions: { region: string; utilizationPercent: number | null }[] };
    expect(plan.changes).toEqual([]);
    expect(plan.holds.map((h) => h.reason)).toContain('NoData');
    // Load came through CloudWatch: Frankfurt at 22,080 / 24,000 flows.
    expect(plan.regions.find((r) => r.region === 'eu-central-1')?.utilizationPercent).toBeCloseTo(92, 1);
    const saved = snapshotSchema.parse(JSON.parse(readFileSync(snapshotOut, 'utf8')));
    expect(saved.load.map((l) => `${l.region} ${l.signal}`).sort()).toEqual(['eu-central-1 active-flows', 'eu-central-1 capacity-flows', 'eu-west-1 active-flows', 'eu-west-1 capacity-flows']);
    expect(saved.demand.map((d) => d.source)).not.toContain('recorded');
  });

  it('apply runs a cycle, writes the state file and exits 0 when there is nothing it may do', async () => {
    const state = join(dir, 'state.json');
    const run = await runGaSteer(['apply', '--policy', 'policies/crazycall-voip.yaml', '--state', state, '--endpoint-url', url], NO_ATLAS);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/No changes|hold/i);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ stateVersion: 2 });
  });

  it('bad input names the place and changes nothing', async () => {
    const run = await runGaSteer(['apply', '--policy', 'policies/nope.yaml', '--state', join(dir, 's.json'), '--endpoint-url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('policies/nope.yaml: cannot read the file (ENOENT)');
    const mixed = await runGaSteer(['plan', '--policy', 'policies/crazycall-voip.yaml', '--snapshot', 'examples/snapshots/crazycall-hot.json', '--endpoint-url', url]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('--endpoint-url, --atlas-url, --save-snapshot and --cycle-timeout are for live mode');
  });

  it('an unreachable endpoint is a clear error, not a hang', async () => {
    const run = await runGaSteer(['plan', '--policy', 'policies/crazycall-voip.yaml', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/GlobalAccelerator DescribeAccelerator failed: ECONNREFUSED/);
  });
});
