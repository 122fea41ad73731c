// One control cycle: [take the lease] -> gather -> decide -> [apply -> verify] -> persist -> notify.
// The single place that wires ports together; Lambda handlers, `ga-steer run` and the demo call it.
//
// An applying cycle takes the accelerator's lease before it reads anything and keeps it until the state
// is saved; every write to the accelerator and the state save is made only under the current lease.
//
// With a deadline, every outbound call of the cycle is bounded by it (adapters/deadline), the lease's
// store calls included: taking the lease, gathering, deciding and applying must end a reserve before
// it, so the state is still persisted and the outcome reported. When the deadline passes while the
// cycle is still reading, it stops there, having changed nothing; when it passes during the apply, the
// apply stops and its report says which call ran out.
//
// The control record in the stored state is read every cycle: while it says paused, the cycle plans
// and reports as usual but every change is dry-run (nothing is written to the accelerator), and the
// first cycle under a new setting alerts it once.

import { randomUUID } from 'node:crypto';
import { withinDeadline } from '../adapters/deadline/ambient-deadline.js';
import { finishWithin } from '../adapters/deadline/call-deadline.js';
import type { CycleDeadline } from '../adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError, type CallLabel } from '../adapters/deadline/errors.js';
import { evaluate } from '../planner/evaluate.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseAttempt, LeaseHolder } from '../ports/lease.js';
import type { AlertEvent, Notifier } from '../ports/notifier.js';
import type { RanOutCall } from '../ports/ran-out-call.js';
import type { SignalReadout, SignalSource } from '../ports/signal-source.js';
import type { StateStore, StoredState } from '../ports/state-store.js';
import type { Snapshot } from '../snapshot/schema.js';
import { alertEventsOf } from './alert-events.js';
import { assembleSnapshot } from './assemble-snapshot.js';
import { controlModeOf, describeSetting, type ControlMode, type ModeSetting } from './control-record.js';
import { leaseHeldPlan } from './lease-held-plan.js';
import { LeaseKeeper } from './lease-keeper.js';
import { leaseLostNote } from './lease-lost-note.js';
import { stateAfterApply } from './state-after-apply.js';
import { storedAfterCycle } from './stored-after-cycle.js';

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

/** The control record as this cycle read it. */
export interface CycleControl {
  /** paused: every change was planned as dry-run; apply when nothing was set (or the cycle read nothing). */
  readonly mode: ControlMode;
  readonly setting?: ModeSetting;
  /** This cycle was the first under the setting, saved it as announced, and alerted it. */
  readonly announced: boolean;
}

export interface CycleResult {
  /** null when the cycle read nothing (the lease was held elsewhere). */
  readonly snapshot: Snapshot | null;
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  readonly problems: readonly string[];
  readonly lease: CycleLease;
  readonly control: CycleControl;
  /** The call the cycle's deadline cut off, when it stopped the apply. */
  readonly ranOut?: RanOutCall;
}

const NOTHING_READ: CycleControl = { mode: 'apply', announced: false };

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
    const result = mode === 'plan' ? await planOnly(deps, policy, work) : await applyUnderLease(deps, policy, deadline, work);
    await withinDeadline(deadline, () => notify(deps, policy, result, deadline));
    return result;
  } finally {
    work?.dispose();
  }
}

async function planOnly(deps: ControlCycleDeps, policy: Policy, work: CycleDeadline | undefined): Promise<CycleResult> {
  const { snapshot, plan, problems, previous } = await withinDeadline(work, () => gatherAndDecide(deps, policy, work));
  // Plan-only cycles write nothing, so they announce nothing either: the applying cycle does, once.
  return { snapshot, plan, report: undefined, problems, lease: { status: 'not-taken' }, control: controlOf(previous, false) };
}

async function applyUnderLease(deps: ControlCycleDeps, policy: Policy, deadline: CycleDeadline | undefined, work: CycleDeadline | undefined): Promise<CycleResult> {
  const store = deps.stateStore;
  // Unique per attempt, so a store can tell its own write that landed unseen from another process's.
  const owner = `${deps.lease.owner} cycle ${randomUUID().slice(0, 8)}`;
  const attempt = await withinDeadline(work, () => takeLease(deps, owner, work));
  if (!attempt.acquired) {
    return { snapshot: null, plan: leaseHeldPlan(policy, store.location, attempt.holder, deps.clock.now()), report: undefined, problems: [], lease: { status: 'held-elsewhere', holder: attempt.holder }, control: NOTHING_READ };
  }
  if (attempt.tookOverFrom !== undefined) {
    const old = attempt.tookOverFrom;
    deps.log(`lease: took over ${store.location} from ${old.owner} (token ${old.token}, expired ${old.expiresAt.toISOString()})`);
  }
  const keeper = new LeaseKeeper(store, attempt.lease, deps.lease.ttlMs, deps.clock, deps.log);
  // The keeper's background renewals run under the whole cycle's deadline (started in its context).
  return withinDeadline(deadline, async () => {
    keeper.start();
    try {
      const decided = await withinDeadline(work, () => gatherDecideApply(deps, policy, work, keeper));
      const saved = await persist(deps, decided, keeper, deadline);
      const lost = keeper.lost;
      const lease: CycleLease = saved || lost === undefined ? { status: 'kept', token: keeper.lease.token } : { status: 'lost', token: keeper.lease.token, reason: lost.reason };
      const { snapshot, plan, report, problems } = decided;
      const control = controlOf(decided.previous, saved && needsAnnouncing(decided.previous));
      return { snapshot, plan, report, problems, lease, control, ...(report?.ranOut !== undefined ? { ranOut: report.ranOut } : {}) };
    } finally {
      await keeper.release();
    }
  });
}

/** The lease first, before anything is read; the cycle's deadline passing meanwhile stops the cycle. */
async function takeLease(deps: ControlCycleDeps, owner: string, work: CycleDeadline | undefined): Promise<LeaseAttempt> {
  try {
    return await finishWithin(work, port('state store', 'acquireLease'), deps.stateStore.acquireLease(owner, deps.lease.ttlMs, deps.clock.now()));
  } catch (e) {
    if (work?.expired === true) throw new CycleDeadlineError('taking the lease', work.limitMs, work.ranOut);
    throw e;
  }
}

/** What the cycle read and decided. */
interface Decision {
  readonly snapshot: Snapshot;
  readonly problems: readonly string[];
  /** As stored: the controller state, the control record, the decision history. */
  readonly previous: StoredState;
  readonly plan: Plan;
  /** The state for a fully applied plan. */
  readonly planned: StoredState;
}

/** What the cycle read, decided and applied. */
interface Decided extends Decision {
  readonly report: ApplyReport | undefined;
}

async function gatherAndDecide(deps: ControlCycleDeps, policy: Policy, work: CycleDeadline | undefined): Promise<Decision> {
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
  // Paused: the same decision, every change dry-run, so nothing is applied and the state expects no change.
  const paused = controlModeOf(previous.control) === 'paused';
  const { plan, state: planned } = evaluate(paused ? { ...policy, dryRun: { ...policy.dryRun, all: true } } : policy, snapshot, previous, now);
  return { snapshot, problems, previous, plan, planned };
}

/** Applying is bounded by the work deadline through its calls, and returns a report when it passes; the lease guards each write. */
async function gatherDecideApply(deps: ControlCycleDeps, policy: Policy, work: CycleDeadline | undefined, keeper: LeaseKeeper): Promise<Decided> {
  const decision = await gatherAndDecide(deps, policy, work);
  const apply = decision.plan.changes.some((c) => !c.dryRun);
  const report = apply ? await finishWithin(work, port('accelerator gateway', 'applyPlan'), deps.gateway.applyPlan(decision.plan, keeper)) : undefined;
  return { ...decision, report };
}

/** In the time kept for it: the state (what was applied), under the lease; false when the store refused it. */
async function persist(deps: ControlCycleDeps, decided: Decided, keeper: LeaseKeeper, deadline: CycleDeadline | undefined): Promise<boolean> {
  const { report, previous, snapshot, plan } = decided;
  const controller = report !== undefined ? stateAfterApply(previous, decided.planned, report) : decided.planned;
  const now = deps.clock.now();
  const state = storedAfterCycle({
    previous,
    controller,
    plan,
    report,
    topology: snapshot.accelerators.find((a) => a.arn === plan.acceleratorArn),
    kind: controlModeOf(previous.control) === 'paused' ? 'paused' : 'apply',
    announced: needsAnnouncing(previous),
    now,
  });
  return finishWithin(deadline, port('state store', 'save'), keeper.save(state));
}

async function notify(deps: ControlCycleDeps, policy: Policy, result: CycleResult, deadline: CycleDeadline | undefined): Promise<void> {
  const { plan, report, lease, control } = result;
  const wanted: readonly AlertEvent[] = policy.alerts.slack?.on ?? [];
  const events: AlertEvent[] = alertEventsOf(plan, report, lease.status === 'lost').filter((e) => wanted.includes(e));
  const notes = lease.status === 'lost' ? [leaseLostNote(deps.stateStore.location, lease, report)] : [];
  // A pause or resume is always alerted, once, whatever the policy's list: on-call must know.
  if (control.announced && control.setting !== undefined) {
    events.unshift('control');
    notes.unshift(announcementOf(control.setting));
  }
  if (events.length === 0) return;
  try {
    await finishWithin(deadline, port('notifier', 'notify'), deps.notifier.notify({ events, plan, ...(report !== undefined ? { report } : {}), ...(notes.length > 0 ? { notes } : {}) }));
  } catch (e) {
    deps.log(`notification failed: ${errorMessage(e)}`);
  }
}

function controlOf(stored: StoredState, announced: boolean): CycleControl {
  const setting = stored.control?.setting;
  return { mode: controlModeOf(stored.control), ...(setting !== undefined ? { setting } : {}), announced };
}

/** The setting has not been alerted yet: the first cycle under it that saves its state does. */
function needsAnnouncing(stored: StoredState): boolean {
  const setting = stored.control?.setting;
  return setting !== undefined && setting.announcedAt === undefined;
}

function announcementOf(setting: ModeSetting): string {
  const effect = setting.mode === 'paused' ? 'cycles plan and report, nothing is written to the accelerator until `ga-steer resume`' : 'cycles apply their plans again';
  return `ga-steer ${describeSetting(setting)}; ${effect}`;
}

/** A port of the cycle, named for the backstop that stops waiting for it after the deadline. */
function port(service: string, operation: string): CallLabel {
  return { service, operation, target: '' };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
