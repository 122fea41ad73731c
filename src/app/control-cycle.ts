// One control cycle: gather -> decide -> [apply -> verify] -> persist -> notify.
// The single place that wires ports together; Lambda handlers, `ga-steer run` and the demo call it.
//
// With a deadline, every outbound call of the cycle is bounded by it (adapters/deadline): gathering,
// deciding and applying must end a reserve before it, so the state is still persisted and the outcome
// reported. When the deadline passes while the cycle is still reading, it stops there, having changed
// nothing; when it passes during the apply, the apply stops and its report says which call ran out.

import { withinDeadline } from '../adapters/deadline/ambient-deadline.js';
import { finishWithin } from '../adapters/deadline/call-deadline.js';
import type { CycleDeadline } from '../adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError, type CallLabel } from '../adapters/deadline/errors.js';
import type { ControllerState } from '../planner/controller-state.js';
import { evaluate } from '../planner/evaluate.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { RanOutCall } from '../ports/ran-out-call.js';
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
  /** The call the cycle's deadline cut off, when it stopped the apply. */
  readonly ranOut?: RanOutCall;
}

export type CycleMode = 'apply' | 'plan';

export interface CycleOptions {
  /** The whole cycle's deadline; none (the simulator's simulated time): each call's own deadline only. */
  readonly deadline?: CycleDeadline;
}

/** Time kept at the end of the cycle to persist the state and notify: 15 %, at most 20 s. */
export function reserveMsFor(limitMs: number): number {
  return Math.min(20_000, limitMs * 0.15);
}

export async function runControlCycle(deps: ControlCycleDeps, policy: Policy, mode: CycleMode, options: CycleOptions = {}): Promise<CycleResult> {
  const deadline = options.deadline;
  const work = deadline?.earlier(reserveMsFor(deadline.limitMs));
  try {
    const decided = await withinDeadline(work, () => gatherDecideApply(deps, policy, mode, work));
    await withinDeadline(deadline, () => persistAndNotify(deps, policy, mode, decided, deadline));
    const { snapshot, problems, plan, report } = decided;
    return { snapshot, plan, report, problems, ...(report?.ranOut !== undefined ? { ranOut: report.ranOut } : {}) };
  } finally {
    work?.dispose();
  }
}

/** What the cycle read, decided and applied. */
interface Decided {
  readonly snapshot: Snapshot;
  readonly problems: readonly string[];
  readonly previous: ControllerState;
  readonly plan: Plan;
  /** The state for a fully applied plan. */
  readonly planned: ControllerState;
  readonly report: ApplyReport | undefined;
}

async function gatherDecideApply(deps: ControlCycleDeps, policy: Policy, mode: CycleMode, work: CycleDeadline | undefined): Promise<Decided> {
  const now = deps.clock.now();
  const topology = await finishWithin(work, port('accelerator gateway', 'readTopology'), deps.gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners));
  const settled = await Promise.allSettled(deps.sources.map((s) => finishWithin(work, port(`signal source ${s.name}`, 'collect'), s.collect(policy, now))));
  const readouts: SignalReadout[] = settled.map((r, i) =>
    r.status === 'fulfilled' ? r.value : { problems: [`${deps.sources[i]?.name ?? 'source'}: ${errorMessage(r.reason)}`] },
  );
  const problems = readouts.flatMap((r) => r.problems);
  for (const p of problems) deps.log(`signal problem: ${p}`);
  // Signals cut off by the deadline would make a plan from half a picture, with no time to apply it.
  if (work?.expired === true) throw new CycleDeadlineError('reading the accelerator and its signals', work.limitMs, work.ranOut);

  const snapshot = assembleSnapshot(topology, readouts, now, policy.signals.demand.sourceAreas);
  const previous = await finishWithin(work, port('state store', 'load'), deps.stateStore.load());
  const { plan, state: planned } = evaluate(policy, snapshot, previous, now);
  // Applying is bounded by the work deadline through its calls, and returns a report when it passes.
  const apply = mode === 'apply' && plan.changes.some((c) => !c.dryRun);
  const report = apply ? await finishWithin(work, port('accelerator gateway', 'applyPlan'), deps.gateway.applyPlan(plan)) : undefined;
  return { snapshot, problems, previous, plan, planned, report };
}

/** In the time kept for it: the state (what was applied), then the alert. */
async function persistAndNotify(deps: ControlCycleDeps, policy: Policy, mode: CycleMode, decided: Decided, deadline: CycleDeadline | undefined): Promise<void> {
  const { plan, report } = decided;
  if (mode === 'apply') {
    const state = report !== undefined ? stateAfterApply(decided.previous, decided.planned, report) : decided.planned;
    await finishWithin(deadline, port('state store', 'save'), deps.stateStore.save(state));
  }
  const events = alertEventsOf(plan, report).filter((e) => policy.alerts.slack?.on.includes(e) ?? false);
  if (events.length === 0) return;
  try {
    await finishWithin(deadline, port('notifier', 'notify'), deps.notifier.notify({ events, plan, ...(report !== undefined ? { report } : {}) }));
  } catch (e) {
    deps.log(`notification failed: ${errorMessage(e)}`);
  }
}

/** A port of the cycle, named for the backstop that stops waiting for it after the deadline. */
function port(service: string, operation: string): CallLabel {
  return { service, operation, target: '' };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
