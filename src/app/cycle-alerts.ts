// What one cycle has to tell people, deduplicated against what was already posted (alert-ledger.ts):
// from a completed cycle (its plan, the apply report, a lost lease) or from a failed one (the step it
// failed in and the error). Pure: the policy, the facts, the alert memory and the time come in; the
// alert to send (if any) and the memory to keep once it is delivered go out.

import type { HoldReason, Plan, PlannedChange } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ApplyReport, ChangeApplyOutcome } from '../ports/accelerator-gateway.js';
import type { Alert, AlertEvent, ChangeLine, FailureLine, HoldLine, ResolvedLine } from '../ports/notifier.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import { applyFailureItems, failedCycleItem, holdItems, listenerLabels, proposalItems, type AlertItem, type CycleStage, type LeaseLostFacts } from './alert-items.js';
import { reconcileAlerts, type CycleCompletion, type LedgerOutcome } from './alert-ledger.js';
import type { AlertMemory } from './alert-memory.js';

export type { CycleStage } from './alert-items.js';

export interface CompletedCycleFacts {
  readonly mode: 'apply' | 'plan';
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  /** The topology read this cycle (listener protocols and ports); null when nothing was read. */
  readonly topology: AcceleratorTopology | null;
  /** Set when the lease was lost and the state not saved. */
  readonly leaseLost?: LeaseLostFacts;
  /** A pause or resume this cycle is the first to run under: always posted, once, whatever the policy lists. */
  readonly announcement?: { readonly setting: string; readonly note: string };
}

export interface FailedCycleFacts {
  readonly mode: 'apply' | 'plan';
  readonly stage: CycleStage;
  readonly error: unknown;
}

export interface AlertDecision {
  /** What to send; undefined when there is nothing new, due or resolved. */
  readonly alert: Alert | undefined;
  /** The memory to keep once the alert is delivered (unchanged memory when nothing was posted). */
  readonly memory: AlertMemory;
  /** Whether `memory` differs from what came in (a store write is worth it). */
  readonly changed: boolean;
}

const MINUTE_MS = 60_000;
/** Holds that follow ga-steer's own change, which was posted: their end is no news, so no "resolved". */
const SELF_CLEARING_HOLDS: readonly HoldReason[] = ['CoolingDown', 'AwaitingEffect'];
const EVENT_ORDER: readonly AlertEvent[] = ['control', 'changes', 'dry-run', 'holds', 'human-override', 'stale-data', 'apply-failed', 'error'];

export function alertForCompletedCycle(policy: Policy, facts: CompletedCycleFacts, memory: AlertMemory, now: Date): AlertDecision {
  const { plan, report } = facts;
  const failures = applyFailureItems(report, facts.leaseLost, facts.topology);
  const items = [...failures, ...holdItems(plan), ...proposalItems(plan, facts.mode)];
  const completion: CycleCompletion = failures.length > 0 ? 'planned-with-failure' : 'succeeded';
  const ledger = reconcileAlerts(memory, items.filter((i) => isEnabled(policy, i)).map((i) => i.condition), completion, now, remindEveryMs(policy));

  const posted = postedLines(items, ledger);
  const applied = report?.changes.filter((o) => o.status === 'applied') ?? [];
  // Applied changes are news every time; attempted ones that did not land are shown with their failure.
  const showAttempted = (applied.length > 0 && isOn(policy, 'changes')) || posted.failures.length > 0;
  const attempted: ChangeLine[] = showAttempted ? plan.changes.filter((c) => !c.dryRun && report !== undefined).map((c) => ({ change: c, status: 'applied', ...outcomeOf(c, report) })) : [];
  const changes = [...attempted, ...posted.changes];
  const events = new Set<AlertEvent>(posted.events);
  if (applied.length > 0 && attempted.length > 0) events.add('changes');
  if (facts.announcement !== undefined) events.add('control');
  const notes = facts.announcement !== undefined ? [facts.announcement.note] : [];
  return finish(policy, facts.mode, now, ledger, memory, { changes, holds: posted.holds, failures: posted.failures, events, notes, ...(facts.announcement !== undefined ? { control: facts.announcement.setting } : {}), plan, ...(report !== undefined ? { report } : {}), topology: facts.topology });
}

export function alertForFailedCycle(policy: Policy, facts: FailedCycleFacts, memory: AlertMemory, now: Date): AlertDecision {
  const item = failedCycleItem(facts.stage, facts.error);
  const ledger = reconcileAlerts(memory, isEnabled(policy, item) ? [item.condition] : [], 'failed', now, remindEveryMs(policy));
  const posted = postedLines([item], ledger);
  return finish(policy, facts.mode, now, ledger, memory, { changes: [], holds: [], failures: posted.failures, events: new Set(posted.events), notes: [], topology: null });
}

function finish(
  policy: Policy,
  mode: 'apply' | 'plan',
  now: Date,
  ledger: LedgerOutcome,
  memory: AlertMemory,
  parts: { changes: ChangeLine[]; holds: HoldLine[]; failures: FailureLine[]; events: Set<AlertEvent>; notes: string[]; control?: string; plan?: Plan; report?: ApplyReport; topology: AcceleratorTopology | null },
): AlertDecision {
  const resolved: ResolvedLine[] = ledger.resolved
    .filter((r) => !(r.entry.kind === 'hold' && SELF_CLEARING_HOLDS.some((reason) => r.key.endsWith(`:${reason}`))))
    .map((r) => ({ kind: r.entry.kind, title: r.entry.title, firstPostedAt: r.entry.firstPostedAt }));
  for (const r of resolved) parts.events.add(r.kind === 'failure' ? 'error' : 'holds');
  const changed = JSON.stringify(ledger.memory) !== JSON.stringify(memory);
  if (parts.changes.length === 0 && parts.holds.length === 0 && parts.failures.length === 0 && resolved.length === 0 && parts.notes.length === 0) return { alert: undefined, memory: ledger.memory, changed };
  const alert: Alert = {
    events: EVENT_ORDER.filter((e) => parts.events.has(e)),
    policyName: policy.name,
    acceleratorArn: policy.accelerator.arn,
    mode,
    at: now.toISOString(),
    ...(parts.plan !== undefined ? { plan: parts.plan } : {}),
    ...(parts.report !== undefined ? { report: parts.report } : {}),
    changes: parts.changes,
    holds: parts.holds,
    failures: parts.failures,
    resolved,
    ...(parts.topology !== null ? { listeners: listenerLabels(parts.topology) } : {}),
    ...(parts.notes.length > 0 ? { notes: parts.notes } : {}),
    ...(parts.control !== undefined ? { control: parts.control } : {}),
  };
  return { alert, memory: ledger.memory, changed };
}

function postedLines(items: readonly AlertItem[], ledger: LedgerOutcome): { changes: ChangeLine[]; holds: HoldLine[]; failures: FailureLine[]; events: AlertEvent[] } {
  const byKey = new Map(items.map((i) => [i.condition.key, i]));
  const out = { changes: [] as ChangeLine[], holds: [] as HoldLine[], failures: [] as FailureLine[], events: [] as AlertEvent[] };
  for (const p of ledger.post) {
    const item = byKey.get(p.condition.key);
    if (item === undefined) continue;
    const reminder = p.reminderOf !== undefined ? { reminder: { firstPostedAt: p.reminderOf.firstPostedAt, seenCount: p.reminderOf.seenCount + 1 } } : {};
    if (!out.events.includes(item.event)) out.events.push(item.event);
    if ('hold' in item.line) out.holds.push({ hold: item.line.hold, ...reminder });
    else if ('change' in item.line) out.changes.push({ change: item.line.change, status: 'proposed', ...reminder });
    else out.failures.push({ ...item.line.failure, ...reminder });
  }
  return out;
}

function outcomeOf(c: PlannedChange, report: ApplyReport | undefined): { outcome?: ChangeApplyOutcome } {
  const o = report?.changes.find((x) => x.change === c || (x.change.kind === c.kind && x.change.address.endpointGroupArn === c.address.endpointGroupArn));
  return o !== undefined ? { outcome: o } : {};
}

function isEnabled(policy: Policy, item: AlertItem): boolean {
  return item.enabledBy.some((e) => isOn(policy, e));
}

function isOn(policy: Policy, event: AlertEvent): boolean {
  // `control` (pause, resume) is not the policy's to switch off: it is always posted.
  if (event === 'control') return true;
  return policy.alerts.slack?.on.includes(event) ?? false;
}

function remindEveryMs(policy: Policy): number {
  return policy.alerts.remindEveryMinutes * MINUTE_MS;
}

