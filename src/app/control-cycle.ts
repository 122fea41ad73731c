// One control cycle: gather -> decide -> [apply -> verify] -> persist -> notify.
// The single place that wires ports together; Lambda handlers, `ga-steer run` and the demo call it.

import { evaluate } from '../planner/evaluate.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { SignalReadout, SignalSource } from '../ports/signal-source.js';
import type { StateStore } from '../ports/state-store.js';
import type { Snapshot } from '../snapshot/schema.js';
import { alertEventsOf } from './alert-events.js';
import { assembleSnapshot } from './assemble-snapshot.js';
import { stateAfterApply } from './state-after-apply.js';

export interface ControlCycleDeps {
  readonly gateway: AcceleratorGateway;
  readonly sources: readonly SignalSource[];
  readonly stateStore: StateStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** Problems and notification failures go here; never secrets. */
  readonly log: (line: string) => void;
}

export interface CycleResult {
  readonly snapshot: Snapshot;
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  readonly problems: readonly string[];
}

export type CycleMode = 'apply' | 'plan';

export async function runControlCycle(deps: ControlCycleDeps, policy: Policy, mode: CycleMode): Promise<CycleResult> {
  const now = deps.clock.now();
  const topology = await deps.gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners);
  const settled = await Promise.allSettled(deps.sources.map((s) => s.collect(policy, now)));
  const readouts: SignalReadout[] = settled.map((r, i) =>
    r.status === 'fulfilled' ? r.value : { problems: [`${deps.sources[i]?.name ?? 'source'}: ${errorMessage(r.reason)}`] },
  );
  const problems = readouts.flatMap((r) => r.problems);
  for (const p of problems) deps.log(`signal problem: ${p}`);

  const snapshot = assembleSnapshot(topology, readouts, now, policy.signals.demand.sourceAreas);
  const previous = await deps.stateStore.load();
  const { plan, state: planned } = evaluate(policy, snapshot, previous, now);

  let report: ApplyReport | undefined;
  if (mode === 'apply') {
    if (plan.changes.some((c) => !c.dryRun)) {
      report = await deps.gateway.applyPlan(plan);
      await deps.stateStore.save(stateAfterApply(previous, planned, report));
    } else {
      await deps.stateStore.save(planned);
    }
  }

  const events = alertEventsOf(plan, report).filter((e) => policy.alerts.slack?.on.includes(e) ?? false);
  if (events.length > 0) {
    try {
      await deps.notifier.notify({ events, plan, ...(report !== undefined ? { report } : {}) });
    } catch (e) {
      deps.log(`notification failed: ${errorMessage(e)}`);
    }
  }
  return { snapshot, plan, report, problems };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
