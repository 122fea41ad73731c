// A whole control cycle through the real AWS SDK against the emulator: topology from GA, load and
// demand from CloudWatch, the plan applied with UpdateEndpointGroup, verified, state persisted.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCycle } from '../../src/app/control-cycle.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { wireLive } from '../../src/app/live-wiring.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import type { Policy } from '../../src/policy/schema.js';
import type { SignalSource } from '../../src/ports/signal-source.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { quietLiveOptions } from '../support/live-cycle-rig.js';

let t: TestEmulator;
let policy: Policy;
let dir: string;
let nowMs = Date.UTC(2026, 11, 1, 18, 0, 20);

/** Latency and landing as a RIPE Atlas collector would report them now (the collector is tested on its own). */
function latencySourceAt(snapshot: Snapshot, now: () => Date): SignalSource {
  return {
    name: 'latency-fixture',
    collect: async () => {
      const at = now().toISOString();
      return {
        latency: snapshot.latency.map((l) => ({ ...l, observedAt: at })),
        landing: snapshot.landing.map((l) => ({ ...l, observedAt: at })),
        clientGroups: snapshot.clientGroups,
        problems: [],
      };
    },
  };
}

beforeEach(async () => {
  // The emulator's clock runs in real time from nowMs, so deployments finish.
  const started = Date.now();
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20, now: () => nowMs + (Date.now() - started) });
  policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
  // GA flow metrics by area would spread demand over areas; this test takes the snapshot's per-group demand.
  policy = { ...policy, signals: { ...policy.signals, demand: { source: 'snapshot', sourceAreas: {} } } };
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-live-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function wire(stateFile: string) {
  const clock = { now: () => new Date(nowMs) };
  const demandSource: SignalSource = { name: 'demand-fixture', collect: async () => ({ demand: t.snapshot.demand.map((d) => ({ ...d, observedAt: clock.now().toISOString() })), problems: [] }) };
  // Latency comes from the fixture above, not from the policy's RIPE Atlas measurements.
  return wireLive(policy, { ...quietLiveOptions(t.emulator.url, clock, [latencySourceAt(t.snapshot, clock.now), demandSource]), stateFile });
}

describe('live control cycle against the emulator', () => {
  it('offloads the hot Region through the real SDK, verifies, persists state, then cools down', async () => {
    const feeder = new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, policy).seeds);
    feeder.tick(nowMs);
    const stateFile = join(dir, 'state.json');
    const wiring = wire(stateFile);
    try {
      const first = await runControlCycle(wiring.deps, policy, 'apply');
      expect(first.problems).toEqual([]);
      expect(first.plan.summary.hotRegions).toEqual(['eu-central-1']);
      expect(first.report).toMatchObject({ outcome: 'applied', deployed: true });
      const dialChanges = first.plan.changes.filter((c) => c.kind === 'dial');
      expect(dialChanges.length).toBeGreaterThan(0);
      for (const c of dialChanges) {
        const live = t.emulator.ga.findEndpointGroup(c.address.endpointGroupArn)?.group;
        expect(live?.trafficDialPercent).toBeCloseTo(c.after.trafficDialPercent, 3);
        expect(live?.region).toBe('eu-central-1');
      }
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { groups: Record<string, { expectedDialPercent?: number }> };
      expect(state.groups[dialChanges[0]!.address.endpointGroupArn]?.expectedDialPercent).toBe(dialChanges[0]!.after.trafficDialPercent);

      // One minute later, still hot by the metrics: cooldown holds, nothing is written.
      nowMs += 60_000;
      feeder.tick(nowMs);
      const writes = t.emulator.ga.writeLog.length;
      const second = await runControlCycle(wiring.deps, policy, 'apply');
      expect(second.plan.changes).toEqual([]);
      expect(second.plan.holds.some((h) => h.reason === 'CoolingDown')).toBe(true);
      expect(t.emulator.ga.writeLog.length).toBe(writes);
    } finally {
      wiring.close();
    }
  });

  it('holds without touching anything when CloudWatch has no load', async () => {
    const wiring = wire(join(dir, 'state.json'));
    try {
      const cycle = await runControlCycle(wiring.deps, policy, 'apply');
      expect(cycle.plan.changes).toEqual([]);
      expect(cycle.plan.holds.map((h) => h.reason)).toContain('NoData');
      expect(cycle.problems.some((p) => p.includes('no datapoints'))).toBe(true);
      expect(t.emulator.ga.writeLog).toEqual([]);
    } finally {
      wiring.close();
    }
  });
});
