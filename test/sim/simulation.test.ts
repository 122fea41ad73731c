// The simulator: scenario parsing, flow-level dynamics, determinism, and the closed loop with
// ga-steer against the emulator on a shortened flash crowd.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { Random } from '../../src/sim/random.js';
import { runSimulation } from '../../src/sim/run-simulation.js';
import { parseScenarioText } from '../../src/sim/scenario/parse-scenario.js';
import { ScenarioTimeline } from '../../src/sim/truth/scenario-timeline.js';
import { TruthWorld } from '../../src/sim/truth/truth-world.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { flashCrowdScenario } from '../support/flash-crowd-scenario.js';
import { REPO_ROOT } from '../support/repo-data.js';

const world = loadWorld();
const policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'snapshot' })).policy;
const dir = mkdtempSync(join(tmpdir(), 'ga-steer-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario files', () => {
  it('reports every problem with file:line:col and path', () => {
    const text = ['apiVersion: ga-steer.io/v1', 'kind: Scenario', 'name: Bad Name', 'policy: p.yaml', 'start: "2026-11-23T17:00:00Z"', 'durationMinutes: 60', 'service:', '  clients: {}', '  peakFlows: -5', '  surprise: 1', 'events:', '  - { kind: region-failure, at: 5, durationMinutes: 10, region: mars-1 }'].join('\n');
    const result = parseScenarioText(text, 'bad.yaml');
    expect(result.ok).toBe(false);
    const lines = !result.ok ? result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`) : [];
    expect(lines).toEqual([
      'bad.yaml:3:7 name: must be lower-case letters, digits and dashes',
      'bad.yaml:8:12 service.clients: name countries, maxRttMs, or both',
      'bad.yaml:9:14 service.peakFlows: must be greater than 0',
      'bad.yaml:10:3 service.surprise: unknown key (allowed here: capacity, clients, peakFlows, flowLifetimeSeconds, demandNoisePercent, initialDials)',
      "bad.yaml:12:65 events[0].region: unknown AWS Region 'mars-1'",
    ]);
  });

  it('every example scenario parses and names a policy that loads', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(resolve(REPO_ROOT, 'examples/scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const parsed = parseScenarioText(readFileSync(resolve(REPO_ROOT, 'examples/scenarios', f), 'utf8'), f);
      expect(parsed.ok, f).toBe(true);
    }
  });
});

describe('flow-level ground truth', () => {
  it('only new flows follow a dial change: load moves with the flow lifetime', () => {
    const scenario = flashCrowdScenario({ events: [], service: { clients: { countries: ['DE'] }, peakFlows: 10000, flowLifetimeSeconds: 600, demandNoisePercent: 0, initialDials: [] } });
    const service = { regions: [{ code: 'eu-central-1', capacity: 1e6, policyCapacity: 1e6, targetPercent: 75, drainAbovePercent: 80 }, { code: 'eu-west-1', capacity: 1e6, policyCapacity: 1e6, targetPercent: 75, drainAbovePercent: 80 }], metros: [{ id: 'de-x', countryCode: 'DE', clientGroup: 'DE', demandShare: 1, utcOffsetHours: 1, rttMs: { 'eu-central-1': 5, 'eu-west-1': 25 }, proximity: ['eu-central-1', 'eu-west-1'] }] };
    const truth = new TruthWorld(service, scenario, new ScenarioTimeline(scenario), new Random(1));
    const t0 = Date.parse(scenario.start);
    truth.initialize(t0, () => ({ 'eu-central-1': 1 }));
    const half = () => ({ 'eu-central-1': 0.5, 'eu-west-1': 0.5 });
    for (let i = 1; i <= 10; i += 1) truth.step(t0 + i * 60_000, 60, half);
    const load = truth.loadByRegion();
    const moved = (load['eu-west-1'] ?? 0) / ((load['eu-west-1'] ?? 0) + (load['eu-central-1'] ?? 0));
    // After one lifetime (600 s) about 1 - 1/e of the flows are new, half of them sent west: ~0.32.
    expect(moved).toBeGreaterThan(0.28);
    expect(moved).toBeLessThan(0.36);
  });

  it('the same seed gives the same run', async () => {
    const scenario = flashCrowdScenario({ durationMinutes: 30 });
    const a = await runSimulation({ world, scenario, policy, controller: 'threshold' });
    const b = await runSimulation({ world, scenario, policy, controller: 'threshold' });
    expect(a.series).toEqual(b.series);
    const c = await runSimulation({ world, scenario: { ...scenario, seed: 8 }, policy, controller: 'threshold' });
    expect(c.series).not.toEqual(a.series);
  });
});

describe('closed loop: ga-steer through the AWS SDK against the emulator', () => {
  it('relieves the flash crowd where GA alone overloads, without flapping', async () => {
    const scenario = flashCrowdScenario();
    const alone = await runSimulation({ world, scenario, policy, controller: 'ga-alone' });
    const steered = await runSimulation({ world, scenario, policy, controller: 'ga-steer' });
    expect(alone.figures.regionMinutesOverCapacity).toBeGreaterThan(10);
    expect(steered.figures.overCapacityAfterThirdCycleMinutes).toBe(0);
    expect(steered.figures.oscillations).toBe(0);
    expect(steered.changes.some((c) => c.region === 'eu-central-1' && c.after < c.before)).toBe(true);
    // Never the last Region drained, never below the policy's floor.
    for (const p of steered.series) expect(Math.min(...Object.values(p.dials))).toBeGreaterThanOrEqual(policy.guardrails.dialFloorPercent);
  });
});

describe('ga-steer simulate', () => {
  it('prints the comparison for chosen controllers as JSON', async () => {
    const file = join(dir, 'short.yaml');
    writeFileSync(file, ['apiVersion: ga-steer.io/v1', 'kind: Scenario', 'name: tiny', `policy: ${resolve(REPO_ROOT, 'policies/crazycall-voip.yaml')}`, 'start: "2026-11-23T18:00:00Z"', 'durationMinutes: 20', 'service: { capacity: { eu-central-1: 24000, eu-west-1: 16000 }, clients: { maxRttMs: 40 }, peakFlows: 20000 }'].join('\n'));
    const run = await runGaSteer(['simulate', '--scenario', file, '--controller', 'ga-alone', '--controller', 'waterfall-oracle', '--json', '--no-progress']);
    expect(run.code, run.stderr).toBe(0);
    const runs = JSON.parse(run.stdout) as { controller: string; series: unknown[]; figures: { lpBoundMeanMs: number | null } }[];
    expect(runs.map((r) => r.controller)).toEqual(['ga-alone', 'waterfall-oracle']);
    expect(runs[0]?.series).toHaveLength(21);
    expect(runs[0]?.figures.lpBoundMeanMs).toBeGreaterThan(0);
  });

  it('backtests a policy on recorded snapshots', async () => {
    const run = await runGaSteer(['simulate', '--replay', '--policy', 'policies/crazycall-voip.yaml', 'examples/snapshots/crazycall-hot.json', 'examples/snapshots/crazycall-calm.json', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { steps: unknown[]; totalChanges: number };
    expect(result.steps).toHaveLength(2);
    expect(result.totalChanges).toBeGreaterThan(0);
  });

  it('a bad scenario names the place and exits 1', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: ga-steer.io/v1\nkind: Scenario\nname: x\n');
    const run = await runGaSteer(['simulate', '--scenario', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:1:1 policy: `);
  });
});
