// The random-worlds generator (scripts/worlds): a seed always gives the same world; every world is a
// scenario and a documented-default policy that the project's parsers accept and that replays from its
// files; capacities are positive; and the worlds meant to be hot, calm or over capacity are so under
// GA alone in the simulator itself (a ga-alone run of the world without its events), not by the
// generator's own arithmetic.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { runSimulation } from '../../src/sim/run-simulation.js';
import { loadScenarioFile } from '../../src/sim/scenario/load-scenario.js';
import { parseScenarioText } from '../../src/sim/scenario/parse-scenario.js';
import { buildServiceModel } from '../../src/sim/service-model.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { generateWorld, type GeneratedWorld } from '../../scripts/worlds/generate-world.js';
import { POLICY_FILE_NAME, SCENARIO_FILE_NAME } from '../../scripts/worlds/render-world.js';

const world = loadWorld();
const SEEDS = Array.from({ length: 12 }, (_, i) => 1001 + i);
const worlds = SEEDS.map((s) => generateWorld(s, world));
const dir = mkdtempSync(join(tmpdir(), 'ga-steer-worlds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each Region's highest utilization (percent) and the highest total load (flows) of a GA-alone run of the world without its events. */
async function gaAloneWithoutEvents(w: GeneratedWorld): Promise<{ peakPercent: Record<string, number>; peakTotalFlows: number }> {
  // Five-minute steps (the daily peak moves over hours) and few probes (GA alone reads none): a run takes
  // about 0.1 s instead of 1.3.
  const scenario = { ...w.scenario, events: [], stepSeconds: 300, measurement: { ...w.scenario.measurement, probesPerCountry: 1, probeIntervalSeconds: 3600 } };
  const run = await runSimulation({ world, scenario, policy: w.policy, controller: 'ga-alone' });
  const service = buildServiceModel(world, scenario, w.policy);
  const peakPercent: Record<string, number> = {};
  let peakTotalFlows = 0;
  for (const p of run.series) {
    let total = 0;
    for (const r of service.regions) {
      const u = p.utilizationPercent[r.code] ?? 0;
      peakPercent[r.code] = Math.max(peakPercent[r.code] ?? 0, u);
      total += (u / 100) * r.capacity;
    }
    peakTotalFlows = Math.max(peakTotalFlows, total);
  }
  return { peakPercent, peakTotalFlows };
}

describe('generated worlds', () => {
  it('are the same for the same seed and differ between seeds', () => {
    const again = SEEDS.slice(0, 4).map((s) => generateWorld(s, world));
    again.forEach((w, i) => {
      expect(w.files).toEqual(worlds[i]?.files);
      expect(w.scenario).toEqual(worlds[i]?.scenario);
      expect(w.policy).toEqual(worlds[i]?.policy);
    });
    expect(new Set(worlds.map((w) => w.files.scenario)).size).toBe(worlds.length);
  });

  it('take another controller interval and stay the same worlds otherwise', () => {
    for (const [i, w] of worlds.slice(0, 4).entries()) {
      const every5 = generateWorld(SEEDS[i] as number, world, undefined, 300);
      expect(every5.scenario.controllerIntervalSeconds).toBe(300);
      expect({ ...every5.scenario, controllerIntervalSeconds: w.scenario.controllerIntervalSeconds }).toEqual(w.scenario);
      expect(every5.policy).toEqual(w.policy);
      expect(every5.files.scenario.replace(/^controllerIntervalSeconds: .*$/m, '')).toBe(w.files.scenario.replace(/^controllerIntervalSeconds: .*$/m, ''));
    }
  });

  it('parse cleanly as a scenario and a documented-default policy with positive capacities', () => {
    const defaults = parsePolicyText('apiVersion: ga-steer.io/v1\nname: d\naccelerator: { arn: "arn:aws:globalaccelerator::123456789012:accelerator/d" }\nregions: { eu-west-1: { capacity: { signal: s, full: 1 } } }\n', 'd.yaml');
    if (!defaults.ok) throw new Error('the minimal policy does not parse');
    for (const w of worlds) {
      const scenario = parseScenarioText(w.files.scenario, `${w.name}/${SCENARIO_FILE_NAME}`);
      const policy = parsePolicyText(w.files.policy, `${w.name}/${POLICY_FILE_NAME}`, { use: 'live' });
      expect(scenario.ok && scenario.warnings, w.name).toEqual([]);
      expect(policy.ok && policy.warnings, w.name).toEqual([]);
      if (!policy.ok) continue;
      expect(policy.policy.guardrails, w.name).toEqual(defaults.policy.guardrails);
      expect(Object.keys(policy.policy.regions).length, w.name).toBeGreaterThanOrEqual(3);
      expect(Object.keys(policy.policy.regions).length, w.name).toBeLessThanOrEqual(6);
      for (const [code, r] of Object.entries(policy.policy.regions)) {
        expect({ ...r, capacity: undefined }, `${w.name} ${code}`).toEqual({ ...defaults.policy.regions['eu-west-1'], capacity: undefined });
        const capacity = r.capacity.full ?? w.scenario.service.capacity?.[code];
        expect(capacity, `${w.name} ${code}`).toBeGreaterThan(0);
      }
    }
  });

  it('replay from their YAML files as the campaign ran them', async () => {
    const w = worlds.find((x) => x.listeners === 2 && x.scenario.events.length > 0) ?? worlds[0];
    if (w === undefined) throw new Error('no world');
    writeFileSync(join(dir, SCENARIO_FILE_NAME), w.files.scenario);
    writeFileSync(join(dir, POLICY_FILE_NAME), w.files.policy);
    const loaded = await loadScenarioFile(join(dir, SCENARIO_FILE_NAME));
    expect(loaded.scenario).toEqual(w.scenario);
    expect(loaded.policy).toEqual(w.policy);
  });

  it('vary: every kind, several listeners with different initial dials, events and none', () => {
    expect(new Set(worlds.map((w) => w.kind))).toEqual(new Set(['hot', 'calm', 'over-capacity']));
    const twoListeners = worlds.filter((w) => w.listeners === 2);
    expect(twoListeners.length).toBeGreaterThanOrEqual(2);
    expect(twoListeners.some((w) => w.scenario.service.initialDials.length > 0)).toBe(true);
    expect(worlds.some((w) => w.scenario.events.length === 0)).toBe(true);
    expect(new Set(worlds.flatMap((w) => w.scenario.events.map((e) => e.kind))).size).toBeGreaterThanOrEqual(3);
  });

  it('are hot, calm or over capacity at the daily peak as the simulator runs GA alone', async () => {
    for (const w of worlds) {
      const { peakPercent, peakTotalFlows } = await gaAloneWithoutEvents(w);
      const over = Object.keys(peakPercent).filter((r) => (peakPercent[r] ?? 0) > 100);
      const totalCapacity = Object.entries(w.policy.regions).reduce((s, [code, r]) => s + (r.capacity.full ?? w.scenario.service.capacity?.[code] ?? 0), 0);
      if (w.kind === 'calm') expect(over, w.name).toEqual([]);
      else expect(over.length, `${w.name} ${JSON.stringify(peakPercent)}`).toBeGreaterThanOrEqual(1);
      // Hot worlds: the Regions meant to be hot are, and at least one Region receives below its drain threshold.
      if (w.kind === 'hot') {
        for (const r of w.hot) expect(peakPercent[r], `${w.name} ${r}`).toBeGreaterThan(100);
        expect(Object.values(peakPercent).some((u) => u < 80), w.name).toBe(true);
      }
      // Over capacity: all capacity together is below the peak load, so no dial setting avoids overload.
      if (w.kind === 'over-capacity') expect(peakTotalFlows, w.name).toBeGreaterThan(totalCapacity);
    }
  });
});
