// A control cycle whose clock is off from AWS's, through the real AWS SDK against the emulator, the
// emulator's clock (its answers' Date) being the true one: the cycle reads, finds its clock off by
// more than the allowance, holds the whole plan (ClockSkew), writes nothing to the accelerator, alerts,
// and stores no time from its own clock. Once the clock is right again it backs off from a person's
// change from the time it then reads, not from the skewed one.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCycle } from '../../src/app/control-cycle.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { wireLive } from '../../src/app/live-wiring.js';
import { applyHumanEdit } from '../../src/emulator/global-accelerator/human-edit.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import type { Policy } from '../../src/policy/schema.js';
import type { Alert } from '../../src/ports/notifier.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { freshSignalsOf, quietLiveOptions } from '../support/live-cycle-rig.js';

let t: TestEmulator;
let policy: Policy;
let dir: string;
/** True time (the emulator's, AWS's) at the test's start of a cycle, and how far the controller's clock is off it. */
let trueMs = Date.UTC(2026, 11, 1, 18, 0, 20);
let skewMs = 0;
let started = 0;
const elapsed = (): number => Date.now() - started;

beforeEach(async () => {
  trueMs = Date.UTC(2026, 11, 1, 18, 0, 20);
  skewMs = 0;
  started = Date.now();
  // Both clocks run in real time from their start, so deployments finish.
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20, now: () => trueMs + elapsed() });
  policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
  // Per-group demand from the snapshot; the policy alerts on holds.
  policy = { ...policy, signals: { ...policy.signals, demand: { source: 'snapshot', sourceAreas: {} } } };
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-clock-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function wire(stateFile: string, alerts: Alert[]) {
  const clock = { now: () => new Date(trueMs + skewMs + elapsed()) };
  // Latency, landing and demand as the collectors would stamp them: by the controller's own clock.
  const signals = freshSignalsOf(t.snapshot, clock);
  const wiring = wireLive(policy, { ...quietLiveOptions(t.emulator.url, clock, [signals]), stateFile });
  return { ...wiring, deps: { ...wiring.deps, notifier: { notify: async (a: Alert) => void alerts.push(a) } } };
}

const updates = (): number => t.emulator.ga.writeLog.filter((w) => w.operation === 'UpdateEndpointGroup').length;

interface StoredGroups {
  groups: Record<string, { lastChangeAt?: string; humanOverrideSeenAt?: string; expectedDialPercent?: number }>;
  regions: Record<string, unknown>;
  history: { at: string }[];
  decisions: { at: string; verdict: string; holds: { reason: string }[] }[];
}

describe('a control cycle on a clock off from AWS\'s', () => {
  it.each([
    ['slow', -235_000],
    ['fast', 120_000],
  ])('with the local clock %s, holds, writes nothing, alerts, and stores no time of its own', async (_, offsetMs) => {
    const feeder = new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, policy).seeds);
    feeder.tick(trueMs);
    const stateFile = join(dir, 'state.json');
    const alerts: Alert[] = [];
    skewMs = offsetMs;
    const wiring = wire(stateFile, alerts);
    try {
      const result = await runControlCycle(wiring.deps, policy, 'apply');
      // Frankfurt is hot: with a right clock this cycle lowers its dial (live-cycle.test.ts).
      expect(result.snapshot?.serverClock?.offsetSeconds).toBeCloseTo(offsetMs / 1000, -0.5);
      expect(result.snapshot?.serverClock?.responseCount).toBeGreaterThan(3);
      expect(result.plan.changes).toEqual([]);
      expect(result.plan.holds.map((h) => h.reason)).toEqual(['ClockSkew']);
      // Good to a second: the Date header has whole seconds.
      const seconds = Math.abs(offsetMs / 1000);
      expect(result.plan.holds[0]?.message).toMatch(new RegExp(`^the local clock is (${seconds - 1}|${seconds})(\\.\\d)? s ${offsetMs < 0 ? 'behind' : 'ahead of'} AWS's \\((globalaccelerator|cloudwatch eu-[a-z]+-1) answered`));
      expect(result.report).toBeUndefined();
      expect(updates()).toBe(0);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.events).toEqual(['holds']);
      expect(alerts[0]?.holds.map((h) => h.hold.reason)).toEqual(['ClockSkew']);

      // Stored: the decision, stamped by AWS's time; no group or Region time, no history point.
      const stored = JSON.parse(readFileSync(stateFile, 'utf8')) as StoredGroups;
      expect(stored.groups).toEqual({});
      expect(stored.regions).toEqual({});
      expect(stored.history).toEqual([]);
      expect(stored.decisions.map((d) => [d.verdict, d.holds.map((h) => h.reason)])).toEqual([['hold', ['ClockSkew']]]);
      const at = Date.parse(stored.decisions[0]?.at ?? '');
      expect(Math.abs(at - (trueMs + elapsed()))).toBeLessThan(5_000);
      expect(alerts[0]?.at).toBe(stored.decisions[0]?.at);
    } finally {
      wiring.close();
    }
  });

  it('starts a back-off from the time it reads once the clock is right, not from the skewed clock', async () => {
    const feeder = new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, policy).seeds);
    feeder.tick(trueMs);
    const stateFile = join(dir, 'state.json');
    const alerts: Alert[] = [];
    const wiring = wire(stateFile, alerts);
    try {
      // A right clock: ga-steer offloads Frankfurt and expects the dials it set.
      const first = await runControlCycle(wiring.deps, policy, 'apply');
      expect(first.report?.outcome).toBe('applied');
      const dublin = t.emulator.ga.accelerators[0]?.listeners[0]?.endpointGroups.find((g) => g.region === 'eu-west-1');
      expect(dublin).toBeDefined();
      const afterFirst = JSON.parse(readFileSync(stateFile, 'utf8')) as StoredGroups;
      const writes = updates();

      // A person lowers Dublin's dial; the next cycle runs with the clock 10 minutes slow.
      applyHumanEdit(t.emulator.ga, { endpointGroupArn: dublin?.arn ?? '', trafficDialPercent: 63.3 });
      trueMs += 120_000;
      feeder.tick(trueMs);
      skewMs = -604_000;
      const skewed = await runControlCycle(wiring.deps, policy, 'apply');
      expect(skewed.plan.holds.map((h) => h.reason)).toEqual(['ClockSkew']);
      expect(updates()).toBe(writes);
      const afterSkewed = JSON.parse(readFileSync(stateFile, 'utf8')) as StoredGroups;
      expect(afterSkewed.groups).toEqual(afterFirst.groups);
      expect(afterSkewed.history).toEqual(afterFirst.history);

      // The clock is right again: the back-off starts now, by this cycle's clock.
      trueMs += 60_000;
      feeder.tick(trueMs);
      skewMs = 0;
      const fixed = await runControlCycle(wiring.deps, policy, 'apply');
      expect(fixed.plan.holds.map((h) => h.reason)).toContain('HumanOverride');
      expect(fixed.plan.holds.map((h) => h.reason)).not.toContain('ClockSkew');
      const seenAt = (JSON.parse(readFileSync(stateFile, 'utf8')) as StoredGroups).groups[dublin?.arn ?? '']?.humanOverrideSeenAt;
      expect(seenAt).toBe(fixed.plan.generatedAt);
      expect(Math.abs(Date.parse(seenAt ?? '') - (trueMs + elapsed()))).toBeLessThan(5_000);
    } finally {
      wiring.close();
    }
  });
});
