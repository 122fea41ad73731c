// A live control cycle through the real SDK against the in-process emulator, with Frankfurt hot, on a
// clock the test moves: the CrazyCall accelerator, its policy (per-group demand from the snapshot),
// CloudWatch load published at the rig's time, latency and landing as a collector would report them.

import { runControlCycle, type CycleResult } from '../../src/app/control-cycle.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { wireLive, type LiveWiringOptions } from '../../src/app/live-wiring.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import type { Policy } from '../../src/policy/schema.js';
import type { Alert, Notifier } from '../../src/ports/notifier.js';
import type { SignalSource } from '../../src/ports/signal-source.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { startTestEmulator, type TestEmulator } from './emulator.js';

export interface LiveCycleRig {
  readonly t: TestEmulator;
  policy: Policy;
  /** The rig's time; the emulator's clock follows it. */
  nowMs: number;
  readonly alerts: Alert[];
  readonly notifier: Notifier;
  readonly clock: { now(): Date };
  /** Publishes the snapshot's load at the rig's time and runs one cycle against `store`. */
  cycle(store: StateStore, mode?: 'apply' | 'plan'): Promise<CycleResult>;
  /** Every endpoint group's dial in the emulator, by ARN. */
  dials(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * Live wiring against the emulator for a test: quiet (no Slack, no log), fast retries and deploy polls,
 * and only the test's own signal sources besides CloudWatch. Callers add where state goes.
 */
export function quietLiveOptions(endpointUrl: string, clock: { now(): Date }, extraSources: readonly SignalSource[]): LiveWiringOptions {
  return {
    endpointUrl,
    env: {},
    notify: false,
    log: () => undefined,
    clock,
    retry: { maxAttempts: 3, budgetMs: 2000, baseDelayMs: 1, maxDelayMs: 2 },
    pollIntervalMs: 5,
    deployTimeoutMs: 2000,
    extraSources,
    policySources: false,
  };
}

/**
 * Latency, landing and demand from `snapshot` as a collector would report them: stamped with `clock`'s
 * time at each collection.
 */
export function freshSignalsOf(snapshot: TestEmulator['snapshot'], clock: { now(): Date }): SignalSource {
  return {
    name: 'signals-fixture',
    collect: async () => {
      const at = clock.now().toISOString();
      return {
        latency: snapshot.latency.map((l) => ({ ...l, observedAt: at })),
        landing: snapshot.landing.map((l) => ({ ...l, observedAt: at })),
        clientGroups: snapshot.clientGroups,
        demand: snapshot.demand.map((d) => ({ ...d, observedAt: at })),
        problems: [],
      };
    },
  };
}

export async function startLiveCycleRig(startMs = Date.UTC(2026, 11, 1, 18, 0, 20)): Promise<LiveCycleRig> {
  const started = Date.now();
  const rig = { nowMs: startMs } as { nowMs: number };
  const t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 20, now: () => rig.nowMs + (Date.now() - started) });
  let policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
  policy = { ...policy, signals: { ...policy.signals, demand: { source: 'snapshot', sourceAreas: {} } } };
  const alerts: Alert[] = [];
  const clock = { now: () => new Date(rig.nowMs) };
  const notifier: Notifier = { notify: async (a) => void alerts.push(a) };
  const freshSignals = freshSignalsOf(t.snapshot, clock);
  const out: LiveCycleRig = {
    t,
    policy,
    get nowMs() {
      return rig.nowMs;
    },
    set nowMs(v: number) {
      rig.nowMs = v;
    },
    alerts,
    notifier,
    clock,
    async cycle(store, mode = 'apply') {
      new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, out.policy).seeds).tick(rig.nowMs);
      const wiring = wireLive(out.policy, { ...quietLiveOptions(t.emulator.url, clock, [freshSignals]), stateStore: store });
      try {
        return await runControlCycle({ ...wiring.deps, notifier }, out.policy, mode);
      } finally {
        wiring.close();
      }
    },
    dials() {
      const dials: Record<string, number> = {};
      for (const a of t.emulator.ga.accelerators) for (const l of a.listeners) for (const g of l.endpointGroups) dials[g.arn] = g.trafficDialPercent;
      return dials;
    },
    close: () => t.close(),
  };
  return out;
}
