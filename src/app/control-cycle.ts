// One control cycle: [take the lease] -> gather -> decide -> [apply -> verify] -> persist -> notify.
// The single place that wires ports together; Lambda handlers, `ga-steer run` and the demo call it.
// An applying cycle takes the accelerator's lease before it reads anything and keeps it until the state
// is saved; every write to the accelerator and the state save is made only under the current lease.

import { randomUUID } from 'node:crypto';
import { evaluate } from '../planner/evaluate.js';
import type { ControllerState } from '../planner/controller-state.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseHolder } from '../ports/lease.js';
import type { Notifier } from '../ports/notifier.js';
import type { SignalReadout, SignalSource } from '../ports/signal-source.js';
import type { StateStore } from '../ports/state-store.js';
import type { Snapshot } from '../snapshot/schema.js';
import { alertEventsOf } from './alert-events.js';
import { assembleSnapshot } from './assemble-snapshot.js';
import { leaseHeldPlan } from './lease-held-plan.js';
import { LeaseKeeper } from './lease-keeper.js';
import { leaseLostNote } from './lease-lost-note.js';
import { stateAfterApply } from './state-after-apply.js';

export interface LeaseSettings {
  /** Who this process is, shown to the others while it holds the lease (host, pid; never a secret). */
  readonly owner: string;
  /** How long a lease lasts unless renewed: how long a crashed holder can block the next writer. */
  readonly ttlMs: number;
}

export interface ControlCycleDeps {
  readonly gateway: AcceleratorGateway;
  readonly sources: readonly SignalSource[];
  readonly stateStore: StateStore;
  readonly lease: LeaseSettings;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** Problems and notification failures go here; never secrets. */
  readonly log: (line: string) => void;
}

/** What became of the lease: plan mode takes none; an applying cycle keeps it, finds it held, or loses it. */
export type CycleLease =
  | { readonly status: 'not-taken' }
  | { readonly status: 'held-elsewhere'; readonly holder: LeaseHolder }
  | { readonly status: 'kept'; readonly token: number }
  | { readonly status: 'lost'; readonly token: number; readonly reason: string };

export interface CycleResult {
  /** null when the cycle read nothing (the lease was held elsewhere). */
  readonly snapshot: Snapshot | null;
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  readonly problems: readonly string[];
  readonly lease: CycleLease;
}

export type CycleMode = 'apply' | 'plan';

export async function runControlCycle(deps: ControlCycleDeps, policy: Policy, mode: CycleMode): Promise<CycleResult> {
  const result = mode === 'plan' ? await planOnly(deps, policy) : await applyUnderLease(deps, policy);
  await notify(deps, policy, result);
  return result;
}

async function planOnly(deps: ControlCycleDeps, policy: Policy): Promise<CycleResult> {
  const decision = await decide(deps, policy);
  return { snapshot: decision.snapshot, plan: decision.plan, report: undefined, problems: decision.problems, lease: { status: 'not-taken' } };
}

async function applyUnderLease(deps: ControlCycleDeps, policy: Policy): Promise<CycleResult> {
  const store = deps.stateStore;
  // Unique per attempt, so a store can tell its own retried write from another process's.
  const owner = `${deps.lease.owner} cycle ${randomUUID().slice(0, 8)}`;
  const attempt = await store.acquireLease(owner, deps.lease.ttlMs, deps.clock.now());
  if (!attempt.acquired) {
    return { snapshot: null, plan: leaseHeldPlan(policy, store.location, attempt.holder, deps.clock.now()), report: undefined, problems: [], lease: { status: 'held-elsewhere', holder: attempt.holder } };
  }
  if (attempt.tookOverFrom !== undefined) {
    const old = attempt.tookOverFrom;
    deps.log(`lease: took over ${store.location} from ${old.owner} (token ${old.token}, expired ${old.expiresAt.toISOString()})`);
  }
  const keeper = new LeaseKeeper(store, attempt.lease, deps.lease.ttlMs, deps.clock, deps.log);
  keeper.start();
  try {
    const { snapshot, plan, previous, planned, problems } = await decide(deps, policy);
    const report = plan.changes.some((c) => !c.dryRun) ? await deps.gateway.applyPlan(plan, keeper) : undefined;
    const saved = await keeper.save(report !== undefined ? stateAfterApply(previous, planned, report) : planned);
    const lost = keeper.lost;
    const lease: CycleLease = saved || lost === undefined ? { status: 'kept', token: keeper.lease.token } : { status: 'lost', token: keeper.lease.token, reason: lost.reason };
    return { snapshot, plan, report, problems, lease };
  } finally {
    await keeper.release();
  }
}

interface Decision {
  readonly snapshot: Snapshot;
  readonly plan: Plan;
  readonly previous: ControllerState;
  readonly planned: ControllerState;
  readonly problems: readonly string[];
}

async function decide(deps: ControlCycleDeps, policy: Policy): Promise<Decision> {
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
  return { snapshot, plan, previous, planned, problems };
}

async function notify(deps: ControlCycleDeps, policy: Policy, result: CycleResult): Promise<void> {
  const { plan, report, lease } = result;
  const events = alertEventsOf(plan, report, lease.status === 'lost').filter((e) => policy.alerts.slack?.on.includes(e) ?? false);
  if (events.length === 0) return;
  const notes = lease.status === 'lost' ? [leaseLostNote(deps.stateStore.location, lease, report)] : [];
  try {
    await deps.notifier.notify({ events, plan, ...(report !== undefined ? { report } : {}), ...(notes.length > 0 ? { notes } : {}) });
  } catch (e) {
    deps.log(`notification failed: ${errorMessage(e)}`);
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
