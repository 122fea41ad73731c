// The whole cycle's deadline, through the real SDK against the emulator: a write that is never
// answered stops the apply at the deadline, which call ran out is reported, and the state is still
// saved in the time kept for it; a deadline that passes while reading stops the cycle before it
// decides; a port that ignores the deadline is not waited for.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CycleDeadline } from '../../src/adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError } from '../../src/adapters/deadline/errors.js';
import { runControlCycle } from '../../src/app/control-cycle.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { wireLive } from '../../src/app/live-wiring.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import type { Policy } from '../../src/policy/schema.js';
import type { SignalSource } from '../../src/ports/signal-source.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { rejection } from '../support/feed-reading.js';

let t: TestEmulator;
let policy: Policy;
let dir: string;
const nowMs = Date.UTC(2026, 11, 1, 18, 0, 20);

beforeEach(async () => {
  const started = Date.now();
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20, now: () => nowMs + (Date.now() - started) });
  policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
  policy = { ...policy, signals: { ...policy.signals, demand: { source: 'snapshot', sourceAreas: {} } } };
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-deadline-'));
  new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, policy).seeds).tick(nowMs);
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Latency, landing and demand as the collectors would report them now. */
function signalsNow(): SignalSource {
  const at = new Date(nowMs).toISOString();
  return {
    name: 'signals-fixture',
    collect: async () => ({
      latency: t.snapshot.latency.map((l) => ({ ...l, observedAt: at })),
      landing: t.snapshot.landing.map((l) => ({ ...l, observedAt: at })),
      demand: t.snapshot.demand.map((d) => ({ ...d, observedAt: at })),
      clientGroups: t.snapshot.clientGroups,
      problems: [],
    }),
  };
}

function wire(stateFile: string, extraSources: SignalSource[] = [signalsNow()]) {
  return wireLive(policy, {
    endpointUrl: t.emulator.url,
    env: {},
    stateFile,
    notify: false,
    log: () => undefined,
    clock: { now: () => new Date(nowMs) },
    pollIntervalMs: 5,
    deployTimeoutMs: 2000,
    extraSources,
    policySources: false,
  });
}

describe('the cycle deadline', () => {
  it('stops an apply whose write is never answered, names the call, and still saves the state', async () => {
    t.emulator.faults.add({ operation: 'UpdateEndpointGroup', kind: 'hang', times: 0 });
    const stateFile = join(dir, 'state.json');
    const wiring = wire(stateFile);
    const deadline = CycleDeadline.start(2_000);
    const started = Date.now();
    try {
      const result = await runControlCycle(wiring.deps, policy, 'apply', { deadline });
      // Within the deadline, give or take a busy machine's timer lateness.
      expect(Date.now() - started).toBeLessThan(2_500);
      const statuses = result.report?.changes.map((c) => c.status) ?? [];
      expect(statuses[0]).toBe('failed');
      expect(statuses.slice(1).every((s) => s === 'not-attempted')).toBe(true);
      expect(statuses.length).toBeGreaterThan(1);
      expect(result.report?.changes[0]?.message).toMatch(/^GlobalAccelerator UpdateEndpointGroup \(us-west-2\) ran out of time after \d+ ms \(the cycle deadline of 1700 ms passed\); whether it landed is unknown/);
      expect(result.report?.changes[1]?.message).toBe('the cycle deadline passed during an earlier change');
      expect(result.ranOut).toMatchObject({ service: 'GlobalAccelerator', operation: 'UpdateEndpointGroup', target: 'us-west-2', limit: 'cycle', limitMs: 1700 });
      // The write waited for what was left of the 1,700 ms after the reads and the plan: how much that
      // is depends on how busy the machine is, but it waited, and not past the deadline.
      expect(result.ranOut?.elapsedMs).toBeGreaterThan(100);
      expect(result.ranOut?.elapsedMs).toBeLessThan(2_500);
      // Saved in the time kept for it: the group still expected at its old dial.
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { groups: Record<string, { expectedDialPercent?: number }> };
      const first = result.plan.changes[0];
      expect(first?.kind).toBe('dial');
      if (first?.kind === 'dial') expect(state.groups[first.address.endpointGroupArn]?.expectedDialPercent).toBe(first.before.trafficDialPercent);
    } finally {
      deadline.dispose();
      wiring.close();
    }
  });

  it('stops a cycle whose signals are cut off, before deciding: nothing applied, nothing saved', async () => {
    t.emulator.faults.add({ operation: 'GetMetricData', kind: 'trickle', times: 0 });
    const stateFile = join(dir, 'state.json');
    const wiring = wire(stateFile);
    const deadline = CycleDeadline.start(1_500);
    try {
      const error = await rejection(runControlCycle(wiring.deps, policy, 'apply', { deadline }));
      expect(error).toBeInstanceOf(CycleDeadlineError);
      expect((error as Error).message).toMatch(
        /^the cycle deadline of 1275 ms passed while reading the accelerator and its signals: CloudWatch GetMetricData \(eu-(central|west)-1\) was cut off after \d+ ms; nothing was applied$/,
      );
      expect(t.emulator.ga.writeLog).toEqual([]);
      // Only what the alert said is recorded: no controller state, no change time, no expected dial.
      const stored = JSON.parse(readFileSync(stateFile, 'utf8')) as { groups: unknown; history: unknown; alerts: { open: Record<string, { kind: string }> } };
      expect(stored).toMatchObject({ groups: {}, history: [] });
      expect(Object.values(stored.alerts.open).map((a) => a.kind)).toEqual(['failure']);
    } finally {
      deadline.dispose();
      wiring.close();
    }
  });

  it('does not wait for a signal source that ignores the deadline', async () => {
    const stuck: SignalSource = { name: 'stuck', collect: () => new Promise(() => undefined) };
    const wiring = wire(join(dir, 'state.json'), [signalsNow(), stuck]);
    const deadline = CycleDeadline.start(800);
    const started = Date.now();
    try {
      const error = await rejection(runControlCycle(wiring.deps, policy, 'plan', { deadline }));
      expect(error).toBeInstanceOf(CycleDeadlineError);
      expect((error as Error).message).toContain('signal source stuck collect was cut off');
      // The deadline, plus the grace a well-behaved port gets to end on its own.
      expect(Date.now() - started).toBeLessThan(800 + 2_000 + 500);
    } finally {
      deadline.dispose();
      wiring.close();
    }
  });

  it('leaves a cycle that fits alone', async () => {
    const wiring = wire(join(dir, 'state.json'));
    const deadline = CycleDeadline.start(20_000);
    try {
      const result = await runControlCycle(wiring.deps, policy, 'apply', { deadline });
      expect(result.report).toMatchObject({ outcome: 'applied', deployed: true });
      expect(result.ranOut).toBeUndefined();
    } finally {
      deadline.dispose();
      wiring.close();
    }
  });
});
