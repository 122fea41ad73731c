import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGaSteer } from '../support/run-cli-in-process.js';

const POLICY = 'policies/crazycall-voip.yaml';
const HOT = 'examples/snapshots/crazycall-hot.json';
const CALM = 'examples/snapshots/crazycall-calm.json';

describe('ga-steer validate', () => {
  it('accepts the example policies (exit 0)', async () => {
    const r = await runGaSteer(['validate', 'policies/crazycall-voip.yaml', 'policies/atlas-experiment.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policies/crazycall-voip.yaml: valid');
  });

  it('reports every issue with file:line:col and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-steer-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(POLICY, 'utf8').replace('maxStepPercent: 15', 'maxStepPercent: 150').replace('cooldownSeconds: 600', 'cooldownSecs: 600'));
    const r = await runGaSteer(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${bad}:\\d+:\\d+ guardrails\\.maxStepPercent: must be between 1 and 100`));
    expect(r.stderr).toMatch(new RegExp(`${bad}:\\d+:\\d+ guardrails\\.cooldownSecs: unknown key`));
  });

  it('names a missing file', async () => {
    const r = await runGaSteer(['validate', 'policies/nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('policies/nope.yaml: cannot read the file (ENOENT)');
  });
});

describe('ga-steer plan', () => {
  it('prints a text plan; --detailed-exitcode gives 2 for changes and 0 for none', async () => {
    const hot = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--detailed-exitcode']);
    expect(hot.code).toBe(2);
    expect(hot.stdout).toContain('traffic dial 100 -> 85   [DialReduced]');
    const calm = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', CALM, '--detailed-exitcode']);
    expect(calm.code).toBe(0);
    expect(calm.stdout).toContain('No changes.');
    const plain = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT]);
    expect(plain.code).toBe(0);
  });

  it('prints versioned JSON and writes it with --out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ga-steer-')), 'plan.json');
    const r = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { formatVersion: number; changes: unknown[] };
    expect(plan.formatVersion).toBe(1);
    expect(plan.changes).toHaveLength(2);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { plan: unknown }).plan).toEqual(plan);
  });

  it('prints Markdown for a pull-request comment', async () => {
    const r = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--format', 'markdown']);
    expect(r.stdout).toContain('### ga-steer plan: `crazycall-voip`');
    expect(r.stdout).toContain('| eu-central-1 | 92 % | 77.1 % | 75 % | hot | 100 → 85 |');
  });

  it('rejects bad input with a message naming the place, exit 1, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-steer-'));
    const snap = join(dir, 'snap.json');
    writeFileSync(snap, readFileSync(HOT, 'utf8').replace('"trafficDialPercent": 100', '"trafficDialPercent": 140'));
    const out = join(dir, 'plan.json');
    const r = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', snap, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${snap}:\\d+:\\d+ accelerators\\[0\\]\\.listeners\\[0\\]\\.endpointGroups\\[0\\]\\.trafficDialPercent: `));
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('rejects unknown options, bad formats and a bad --now', async () => {
    expect((await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--colour'])).code).toBe(1);
    const fmt = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--format', 'yaml']);
    expect(fmt.stderr).toContain('--format must be one of json, text, markdown');
    expect((await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--now', 'yesterday'])).stderr).toContain('--now must be an ISO-8601 time');
    expect((await runGaSteer(['plan', '--snapshot', HOT])).stderr).toContain('--policy is required');
  });

  it('reads --state as the file the controller keeps: a recent change cools down; a corrupt one is an error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-steer-'));
    const snapshot = JSON.parse(readFileSync(HOT, 'utf8')) as { takenAt: string; accelerators: { listeners: { endpointGroups: { arn: string; region: string; trafficDialPercent: number }[] }[] }[] };
    const justChanged = new Date(Date.parse(snapshot.takenAt) - 60_000).toISOString();
    const groups = Object.fromEntries(
      snapshot.accelerators.flatMap((a) => a.listeners.flatMap((l) => l.endpointGroups)).map((g) => [g.arn, { lastChangeAt: justChanged, expectedDialPercent: g.trafficDialPercent }]),
    );
    const state = join(dir, 'state.json');
    writeFileSync(state, JSON.stringify({ stateVersion: 1, groups }));
    const cooling = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--state', state, '--format', 'json']);
    expect(cooling.code, cooling.stderr).toBe(0);
    expect((JSON.parse(cooling.stdout) as { holds: { reason: string }[] }).holds.map((h) => h.reason)).toContain('CoolingDown');

    writeFileSync(state, '{"stateVersion": 1, "groups": ');
    const corrupt = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--state', state]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`${state}: the stored state is not valid (${state}:1:31 not valid JSON: Unexpected end of JSON input); refusing to reset it`);
    expect(corrupt.stdout).toBe('');
  });

  it('holds on stale data when evaluated later than the snapshot', async () => {
    const r = await runGaSteer(['plan', '--policy', POLICY, '--snapshot', HOT, '--now', '2026-11-22T14:00:00Z', '--detailed-exitcode']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('StaleData');
    expect(r.stdout).toContain('No changes.');
  });
});

describe('ga-steer --help', () => {
  it('lists the commands and gives each command\'s help', async () => {
    const top = await runGaSteer(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/validate\s+Check one or more policy files/);
    for (const c of ['validate', 'plan']) {
      const r = await runGaSteer([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: ga-steer ${c}`);
    }
    expect((await runGaSteer(['frobnicate'])).code).toBe(1);
  });
});
