// One control cycle: [take the lease] -> gather -> decide -> [apply -> verify] -> persist -> notify.
// The single place that wires ports together; Lambda handlers, `ga-steer run` and the demo call it.
//
// Alerts are deduplicated against the alert memory kept beside the state (cycle-alerts.ts): an applying
// cycle saves the memory its alert leaves with the state, in the same write, then posts (and writes the
// old memory back if the post failed, so the next cycle posts again). A cycle that fails (any step:
// the lease, reading, deciding, applying, saving) posts an `error` alert, once per failure, and records
// that it did under its lease when it holds one. Plan mode never writes the store: it remembers in the
// process only (the alert memory cache of `ga-steer run` and a warm Lambda).
//
// The control record kept beside the state (control-record.ts, set by `ga-steer pause`/`resume`) is read
// every cycle: paused, the cycle plans every change as dry-run and writes nothing to the accelerator. The
// first cycle that saves under a new setting alerts it once, whatever the policy's list of events.
//
// An applying cycle takes the accelerator's lease before it reads anything and keeps it until the state
// is saved; every write to the accelerator and the state save is made only under the current lease.
//
// With a deadline, every outbound call of the cycle is bounded by it (adapters/deadline), the lease's
// store calls included: taking the lease, gathering, deciding and applying must end a reserve before
// it, so the state is still persisted and the outcome reported. When the deadline passes while the
// cycle is still reading, it stops there, having changed nothing; when it passes during the apply, the
// apply stops and its report says which call ran out.

import { randomUUID } from 'node:crypto';
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
import type { ServerClockLog } from '../ports/server-clock.js';
import { compareClocks } from '../signals/clock-offset.js';
import type { LeaseAttempt, LeaseHolder } from '../ports/lease.js';
import type { Notifier } from '../ports/notifier.js';
import type { StoredState } from '../ports/state-store.js';
import type { RanOutCall } from '../ports/ran-out-call.js';
import type { SignalReadout, SignalSource } from '../ports/signal-source.js';
import type { StateStore } from '../ports/state-store.js';
import type { Snapshot } from '../snapshot/schema.js';
import { alertMemoryFor, deliverAlert, type AlertMemoryCache } from './alert-delivery.js';
import type { AlertMemory } from './alert-memory.js';
import { assembleSnapshot } from './assemble-snapshot.js';
import { recordingClock } from './recording-clock.js';
import { leaseHeldPlan } from './lease-held-plan.js';
import { LeaseKeeper } from './lease-keeper.js';
import { leaseLostNote } from './lease-lost-note.js';
import { alertForCompletedCycle, alertForFailedCycle, type AlertDecision, type CycleStage } from './cycle-alerts.js';
import { controlModeOf, describeSetting, type ControlMode, type ModeSetting } from './control-record.js';
import { storedAfterCycle } from './stored-after-cycle.js';
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
  /**
   * What the AWS responses' `Date` said of AWS's clock: the cycle compares its own clock with the
   * responses it read, and holds when it is off (ClockSkew). None: no comparison (recorded sources).
   */
  readonly serverClock?: ServerClockLog;
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
  /** What the alerts said, kept across the cycles of a long-lived process (see AlertMemoryCache). */
  readonly alertCache?: AlertMemoryCache;
}

/** Time kept at the end of the cycle to persist the state and notify: 15 %, at most 20 s. */
export function reserveMsFor(limitMs: number): number {
  return Math.min(20_000, limitMs * 0.15);
}

export async function runControlCycle(deps: ControlCycleDeps, policy: Policy, mode: CycleMode, options: CycleOptions = {}): Promise<CycleResult> {
  const deadline = options.deadline;
  const work = deadline?.earlier(reserveMsFor(deadline.limitMs));
  const cycle: CycleContext = { deps, policy, mode, deadline, work, cache: options.alertCache, progress: { stage: mode === 'plan' ? 'reading the accelerator' : 'taking the lease', stored: undefined } };
  try {
    return mode === 'plan' ? await planOnly(cycle) : await applyUnderLease(cycle);
  } finally {
    work?.dispose();
  }
}

/** One cycle's settings and how far it got: the step it is in and the stored state once read. */
interface CycleContext {
  readonly deps: ControlCycleDeps;
  readonly policy: Policy;
  readonly mode: CycleMode;
  readonly deadline: CycleDeadline | undefined;
  readonly work: CycleDeadline | undefined;
  readonly cache: AlertMemoryCache | undefined;
  readonly progress: { stage: CycleStage; stored: StoredState | undefined };
}

async function planOnly(cycle: CycleContext): Promise<CycleResult> {
  const { deps, policy, work, deadline } = cycle;
  let decision: Decision;
  try {
    decision = await withinDeadline(work, () => gatherAndDecide(cycle));
  } catch (e) {
    await withinDeadline(deadline, () => alertFailure(cycle, e, undefined));
    throw e;
  }
  const { snapshot, plan, problems } = decision;
  const alert = alertForCompletedCycle(policy, { mode: 'plan', plan, report: undefined, topology: snapshot.accelerators[0] ?? null }, alertMemoryFor('plan', decision.previous, cycle.cache), recordingClock(deps.clock, snapshot).now());
  await withinDeadline(deadline, () => deliverAlert(deps, alert, deadline, cycle.cache));
  // Plan-only cycles write nothing, so they announce nothing either: the applying cycle does, once.
  return { snapshot, plan, report: undefined, problems, lease: { status: 'not-taken' }, control: controlOf(decision.previous, false) };
}

async function applyUnderLease(cycle: CycleContext): Promise<CycleResult> {
  const { deps, policy, deadline, work } = cycle;
  const store = deps.stateStore;
  // Unique per attempt, so a store can tell its own write that landed unseen from another process's.
  const owner = `${deps.lease.owner} cycle ${randomUUID().slice(0, 8)}`;
  let attempt: LeaseAttempt;
  try {
    attempt = await withinDeadline(work, () => takeLease(deps, owner, work));
  } catch (e) {
    await withinDeadline(deadline, () => alertFailure(cycle, e, undefined));
    throw e;
  }
  if (!attempt.acquired) {
    // The holder reports its own cycle; this one read and changed nothing, and says so in its plan only.
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
      let decided: Decided;
      try {
        cycle.progress.stage = 'reading the accelerator';
        decided = await withinDeadline(work, () => gatherDecideApply(cycle, keeper));
      } catch (e) {
        await alertFailure(cycle, e, keeper);
        throw e;
      }
      return await persistAndNotify(cycle, decided, keeper);
    } finally {
      await keeper.release();
    }
  });
}

/**
 * In the time kept for it: the state (what was applied) with the alert memory this cycle's alert
 * leaves, under the lease; then the alert. A post that fails puts the old memory back.
 */
async function persistAndNotify(cycle: CycleContext, decided: Decided, keeper: LeaseKeeper): Promise<CycleResult> {
  const { deps, policy, deadline } = cycle;
  const { snapshot, plan, report, problems } = decided;
  const { previous } = decided;
  // What is stored is stamped by AWS's clock when this cycle found its own off (the lease keeps the local one).
  const stamp = recordingClock(deps.clock, snapshot);
  const now = stamp.now();
  const memory = alertMemoryFor('apply', previous, cycle.cache);
  const announce = needsAnnouncing(previous);
  const setting = previous.control?.setting;
  const facts = {
    mode: 'apply' as const,
    plan,
    report,
    topology: snapshot.accelerators[0] ?? null,
    ...(announce && setting !== undefined ? { announcement: { setting: describeSetting(setting), note: announcementOf(setting) } } : {}),
  };
  const planned = alertForCompletedCycle(policy, facts, memory, now);
  const controller = report !== undefined ? stateAfterApply(previous, decided.planned, report) : decided.planned;
  const stored = storedAfterCycle({
    previous,
    controller,
    plan,
    report,
    topology: snapshot.accelerators.find((a) => a.arn === plan.acceleratorArn),
    kind: controlModeOf(previous.control) === 'paused' ? 'paused' : 'apply',
    announced: announce,
    now,
  });
  const state: StoredState = { ...stored, alerts: planned.memory };
  cycle.progress.stage = 'saving the state';
  let saved: boolean;
  try {
    saved = await finishWithin(deadline, port('state store', 'save'), keeper.save(state));
  } catch (e) {
    await alertFailure(cycle, e, keeper);
    throw e;
  }
  const lost = keeper.lost;
  const lease: CycleLease = saved || lost === undefined ? { status: 'kept', token: keeper.lease.token } : { status: 'lost', token: keeper.lease.token, reason: lost.reason };
  if (lease.status === 'lost') {
    // Nothing was recorded: the alert says so, and this process remembers what it posted.
    const note = leaseLostNote(deps.stateStore.location, lease, report);
    const decision = alertForCompletedCycle(policy, { ...facts, leaseLost: { location: deps.stateStore.location, note, reason: lease.reason } }, memory, stamp.now());
    await deliverAlert(deps, decision, deadline, cycle.cache);
  } else if (!(await deliverAlert(deps, planned, deadline, cycle.cache)) && planned.changed) {
    await recordAlertMemory(cycle, keeper, memory, state);
  }
  const control = controlOf(previous, saved && announce);
  return { snapshot, plan, report, problems, lease, control, ...(report?.ranOut !== undefined ? { ranOut: report.ranOut } : {}) };
}

/** A failed cycle's alert, deduplicated, and recorded under the lease when the cycle holds one. Never throws. */
async function alertFailure(cycle: CycleContext, error: unknown, keeper: LeaseKeeper | undefined): Promise<void> {
  const { deps, policy, deadline } = cycle;
  try {
    const stored = cycle.progress.stored ?? (keeper !== undefined ? await loadQuietly(cycle) : undefined);
    const memory = alertMemoryFor(cycle.mode, stored, cycle.cache);
    const decision: AlertDecision = alertForFailedCycle(policy, { mode: cycle.mode, stage: cycle.progress.stage, error }, memory, deps.clock.now());
    const delivered = await deliverAlert(deps, decision, deadline, cycle.cache);
    // Not after a failed save: writing the state read before it could undo a save that landed unseen.
    const record = delivered && decision.changed && keeper !== undefined && stored !== undefined && cycle.progress.stage !== 'saving the state';
    if (record) await recordAlertMemory(cycle, keeper, decision.memory, stored);
  } catch (e) {
    deps.log(`alerting the failed cycle failed: ${errorMessage(e)}`);
  }
}

/** The state as stored, for a failed cycle that had not read it yet; undefined when it cannot be read (that may be the failure). */
async function loadQuietly(cycle: CycleContext): Promise<StoredState | undefined> {
  try {
    return await finishWithin(cycle.deadline, port('state store', 'load'), cycle.deps.stateStore.load());
  } catch {
    return undefined;
  }
}

/** Writes `memory` beside the stored state `state` under the lease; a refusal or failure is logged (the next cycle may post again). */
async function recordAlertMemory(cycle: CycleContext, keeper: LeaseKeeper, memory: AlertMemory, state: StoredState): Promise<void> {
  try {
    const saved = await finishWithin(cycle.deadline, port('state store', 'save'), keeper.save({ ...state, alerts: memory }));
    if (!saved) cycle.deps.log('alerts: what was posted could not be recorded (the lease is gone); the next cycle may post it again');
  } catch (e) {
    cycle.deps.log(`alerts: what was posted could not be recorded: ${errorMessage(e)}`);
  }
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
  /** As stored: the controller state, the control record, the decision history, the alert memory. */
  readonly previous: StoredState;
  readonly plan: Plan;
  /** The state for a fully applied plan. */
  readonly planned: ControllerState;
}

/** What the cycle read, decided and applied. */
interface Decided extends Decision {
  readonly report: ApplyReport | undefined;
}

async function gatherAndDecide(cycle: CycleContext): Promise<Decision> {
  const { deps, policy, work, progress } = cycle;
  const now = deps.clock.now();
  const clockMark = deps.serverClock?.mark();
  progress.stage = 'reading the accelerator';
  const topology = await finishWithin(work, port('accelerator gateway', 'readTopology'), deps.gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners));
  const settled = await Promise.allSettled(deps.sources.map((s) => finishWithin(work, port(`signal source ${s.name}`, 'collect'), s.collect(policy, now))));
  const readouts: SignalReadout[] = settled.map((r, i) =>
    r.status === 'fulfilled' ? r.value : { problems: [`${deps.sources[i]?.name ?? 'source'}: ${errorMessage(r.reason)}`] },
  );
  const problems = readouts.flatMap((r) => r.problems);
  for (const p of problems) deps.log(`signal problem: ${p}`);
  // Signals cut off by the deadline would make a plan from half a picture, with no time to apply it.
  if (work?.expired === true) throw new CycleDeadlineError('reading the accelerator and its signals', work.limitMs, work.ranOut);

  // Only this cycle's responses: none (every call failed) compares nothing, and the failed or stale paths apply.
  const serverClock = clockMark === undefined ? undefined : compareClocks(deps.serverClock?.since(clockMark) ?? []);
  const snapshot = assembleSnapshot(topology, readouts, now, policy.signals.demand.sourceAreas, serverClock);
  progress.stage = 'reading the state';
  const previous = await finishWithin(work, port('state store', 'load'), deps.stateStore.load());
  progress.stored = previous;
  progress.stage = 'deciding';
  // Paused: the same decision, every change dry-run, so nothing is applied and the state expects no change.
  const paused = controlModeOf(previous.control) === 'paused';
  const { plan, state: planned } = evaluate(paused ? { ...policy, dryRun: { ...policy.dryRun, all: true } } : policy, snapshot, previous, now);
  return { snapshot, problems, previous, plan, planned };
}

/** Applying is bounded by the work deadline through its calls, and returns a report when it passes; the lease guards each write. */
async function gatherDecideApply(cycle: CycleContext, keeper: LeaseKeeper): Promise<Decided> {
  const decision = await gatherAndDecide(cycle);
  const apply = decision.plan.changes.some((c) => !c.dryRun);
  cycle.progress.stage = 'applying';
  const report = apply ? await finishWithin(cycle.work, port('accelerator gateway', 'applyPlan'), cycle.deps.gateway.applyPlan(decision.plan, keeper)) : undefined;
  return { ...decision, report };
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
