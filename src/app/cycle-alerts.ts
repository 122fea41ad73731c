// What one cycle has to tell people, deduplicated against what was already posted (alert-ledger.ts):
// from a completed cycle (its plan, the apply report, a lost lease) or from a failed one (the stage it
// failed in and the error). Pure: the policy, the facts, the alert memory and the time come in; the
// alert to send (if any) and the memory to keep once it is delivered go out.

import { createHash } from 'node:crypto';
import { describeAddress, describeHoldScope, shortArnId } from '../plan/describe.js';
import type { Hold, HoldReason, Plan, PlannedChange } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ApplyReport, ChangeApplyOutcome } from '../ports/accelerator-gateway.js';
import type { Alert, AlertEvent, ChangeLine, FailureLine, HoldLine, ResolvedLine } from '../ports/notifier.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import { reconcileAlerts, type AlertCondition, type CycleCompletion, type LedgerOutcome } from './alert-ledger.js';
import type { AlertMemory } from './alert-memory.js';

export interface CompletedCycleFacts {
  readonly mode: 'apply' | 'plan';
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  /** The topology read this cycle (listener protocols and ports); null when nothing was read. */
  readonly topology: AcceleratorTopology | null;
  /** Set when the lease was lost and the state not saved: what landed, what is not recorded. */
  readonly leaseLost?: { readonly location: string; readonly note: string; readonly reason: string };
}

/** Where a cycle stops when it throws: the step it was in. */
export type CycleStage = 'taking the lease' | 'reading the accelerator' | 'reading the state' | 'deciding' | 'applying' | 'saving the state';

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

/** One thing the cycle could alert about: its dedup key, the event that enables it, and how it is shown. */
interface Item {
  readonly condition: AlertCondition;
  readonly event: AlertEvent;
  readonly enabledBy: readonly AlertEvent[];
  readonly line: { readonly hold: Hold } | { readonly change: PlannedChange } | { readonly failure: Omit<FailureLine, 'reminder'> };
}

const MINUTE_MS = 60_000;
/** Holds that follow ga-steer's own change, which was posted: their end is no news, so no "resolved". */
const SELF_CLEARING_HOLDS: readonly HoldReason[] = ['CoolingDown', 'AwaitingEffect'];
const EVENT_ORDER: readonly AlertEvent[] = ['changes', 'dry-run', 'holds', 'human-override', 'stale-data', 'apply-failed', 'error'];

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
  return finish(policy, facts.mode, now, ledger, memory, { changes, holds: posted.holds, failures: posted.failures, events, plan, ...(report !== undefined ? { report } : {}), topology: facts.topology });
}

export function alertForFailedCycle(policy: Policy, facts: FailedCycleFacts, memory: AlertMemory, now: Date): AlertDecision {
  const error = errorText(facts.error);
  const name = facts.error instanceof Error ? facts.error.name : 'Error';
  const item: Item = {
    condition: { key: `failure:cycle:${facts.stage}:${name}:${fingerprint(error)}`, kind: 'failure', title: `cycle failed while ${facts.stage}: ${name}` },
    event: 'error',
    enabledBy: ['error'],
    line: { failure: { stage: facts.stage, what: `the cycle, while ${facts.stage}`, error, leftAsItWas: leftAsItWasAfter(facts.stage) } },
  };
  const ledger = reconcileAlerts(memory, isEnabled(policy, item) ? [item.condition] : [], 'failed', now, remindEveryMs(policy));
  const posted = postedLines([item], ledger);
  return finish(policy, facts.mode, now, ledger, memory, { changes: [], holds: [], failures: posted.failures, events: new Set(posted.events), topology: null });
}

function finish(
  policy: Policy,
  mode: 'apply' | 'plan',
  now: Date,
  ledger: LedgerOutcome,
  memory: AlertMemory,
  parts: { changes: ChangeLine[]; holds: HoldLine[]; failures: FailureLine[]; events: Set<AlertEvent>; plan?: Plan; report?: ApplyReport; topology: AcceleratorTopology | null },
): AlertDecision {
  const resolved: ResolvedLine[] = ledger.resolved
    .filter((r) => !(r.entry.kind === 'hold' && SELF_CLEARING_HOLDS.some((reason) => r.key.endsWith(`:${reason}`))))
    .map((r) => ({ kind: r.entry.kind, title: r.entry.title, firstPostedAt: r.entry.firstPostedAt }));
  for (const r of resolved) parts.events.add(r.kind === 'failure' ? 'error' : 'holds');
  const changed = JSON.stringify(ledger.memory) !== JSON.stringify(memory);
  if (parts.changes.length === 0 && parts.holds.length === 0 && parts.failures.length === 0 && resolved.length === 0) return { alert: undefined, memory: ledger.memory, changed };
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
  };
  return { alert, memory: ledger.memory, changed };
}

function postedLines(items: readonly Item[], ledger: LedgerOutcome): { changes: ChangeLine[]; holds: HoldLine[]; failures: FailureLine[]; events: AlertEvent[] } {
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

function holdItems(plan: Plan): Item[] {
  // LeaseHeld: another process holds the accelerator and reports its own cycle; this one did nothing.
  return plan.holds
    .filter((h) => h.reason !== 'LeaseHeld')
    .map((hold) => {
      const event: AlertEvent = hold.reason === 'HumanOverride' ? 'human-override' : hold.reason === 'StaleData' || hold.reason === 'NoData' ? 'stale-data' : 'holds';
      return {
        condition: { key: `hold:${holdScopeKey(hold)}:${hold.reason}`, kind: 'hold', title: `${describeHoldScope(hold)}: ${hold.reason}` },
        event,
        enabledBy: event === 'holds' ? ['holds'] : ['holds', event],
        line: { hold },
      };
    });
}

/**
 * Changes planned but not applied (a dry-run rule, or the whole cycle in plan mode): posted once per
 * group, kind and reason. The value moves a little from cycle to cycle as the readings do; a
 * reminder shows the latest.
 */
function proposalItems(plan: Plan, mode: 'apply' | 'plan'): Item[] {
  return plan.changes
    .filter((c) => c.dryRun || mode === 'plan')
    .map((change) => ({
      condition: { key: `proposal:${change.address.endpointGroupArn}:${change.kind}:${change.reason}`, kind: 'proposal', title: `${describeAddress(change.address)}: ${change.reason}` },
      event: change.dryRun ? 'dry-run' : 'changes',
      enabledBy: [change.dryRun ? 'dry-run' : 'changes'],
      line: { change },
    }));
}

function applyFailureItems(report: ApplyReport | undefined, leaseLost: CompletedCycleFacts['leaseLost'], topology: AcceleratorTopology | null): Item[] {
  const items: Item[] = [];
  const outcomes = report?.changes ?? [];
  const untouched = outcomes.filter((o) => o.status === 'not-attempted').map((o) => `${where(o.change, topology)} (${describeBefore(o.change)})`);
  for (const o of outcomes) {
    if (o.status !== 'failed' && o.status !== 'stale') continue;
    const error = o.message ?? o.status;
    const call = `UpdateEndpointGroup (${o.change.kind === 'dial' ? 'traffic dial' : 'endpoint weights'})`;
    const left = [
      o.status === 'stale' ? `${where(o.change, topology)}: someone else changed it; left as they set it` : `${where(o.change, topology)}: ${describeBefore(o.change)} unless the write landed unseen (the next cycle reads it afresh)`,
      ...(untouched.length > 0 ? [`not attempted, left as they were: ${untouched.join('; ')}`] : []),
    ].join('. ');
    items.push({
      condition: { key: `failure:apply:${o.change.address.endpointGroupArn}:${o.change.kind}:${o.status}:${fingerprint(error)}`, kind: 'failure', title: `apply ${o.status}: ${o.change.address.region} ${o.change.kind} (group ${shortArnId(o.change.address.endpointGroupArn)})` },
      event: 'apply-failed',
      enabledBy: ['apply-failed', 'error'],
      line: { failure: { stage: 'applying', what: `${where(o.change, topology)}: ${call}`, error, leftAsItWas: left } },
    });
  }
  if (report?.ranOut !== undefined && items.length === 0 && untouched.length > 0) {
    const error = `the cycle's deadline ran out during ${report.ranOut.service} ${report.ranOut.operation}`;
    items.push({
      condition: { key: `failure:apply:deadline:${report.ranOut.service}:${report.ranOut.operation}`, kind: 'failure', title: `apply stopped: deadline during ${report.ranOut.operation}` },
      event: 'apply-failed',
      enabledBy: ['apply-failed', 'error'],
      line: { failure: { stage: 'applying', what: 'the apply', error, leftAsItWas: `not attempted, left as they were: ${untouched.join('; ')}` } },
    });
  }
  if (leaseLost !== undefined) {
    items.push({
      condition: { key: `failure:lease:${fingerprint(leaseLost.location)}`, kind: 'failure', title: `lease lost on the state store: the state was not saved` },
      event: 'apply-failed',
      enabledBy: ['apply-failed', 'error'],
      line: { failure: { stage: 'saving the state', what: `the lease on ${leaseLost.location}`, error: leaseLost.reason, leftAsItWas: leaseLost.note } },
    });
  }
  return items;
}

function outcomeOf(c: PlannedChange, report: ApplyReport | undefined): { outcome?: ChangeApplyOutcome } {
  const o = report?.changes.find((x) => x.change === c || (x.change.kind === c.kind && x.change.address.endpointGroupArn === c.address.endpointGroupArn));
  return o !== undefined ? { outcome: o } : {};
}

function isEnabled(policy: Policy, item: Item): boolean {
  return item.enabledBy.some((e) => isOn(policy, e));
}

function isOn(policy: Policy, event: AlertEvent): boolean {
  return policy.alerts.slack?.on.includes(event) ?? false;
}

function remindEveryMs(policy: Policy): number {
  return policy.alerts.remindEveryMinutes * MINUTE_MS;
}

function holdScopeKey(h: Hold): string {
  if (h.scope.kind === 'global') return 'global';
  if (h.scope.kind === 'region') return `region:${h.scope.region}`;
  return `group:${h.scope.address.endpointGroupArn}`;
}

function describeBefore(c: PlannedChange): string {
  return c.kind === 'dial' ? `traffic dial stays ${c.before.trafficDialPercent}` : 'endpoint weights stay as they were';
}

function where(c: PlannedChange, topology: AcceleratorTopology | null): string {
  const listener = topology !== null ? listenerLabels(topology)[c.address.listenerArn] : undefined;
  return `${c.address.region} listener ${listener ?? shortArnId(c.address.listenerArn)} (group ${shortArnId(c.address.endpointGroupArn)})`;
}

/** Listener ARN -> `TCP 443` or `UDP 5060-5061, 5080`. */
export function listenerLabels(topology: AcceleratorTopology): Record<string, string> {
  return Object.fromEntries(
    topology.listeners.map((l) => [l.arn, `${l.protocol} ${l.portRanges.map((r) => (r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`)).join(', ')}`]),
  );
}

function leftAsItWasAfter(stage: CycleStage): string {
  switch (stage) {
    case 'applying':
      return 'The apply stopped: changes already written stay, the others were left as they were; the next cycle reads the accelerator afresh.';
    case 'saving the state':
      return "The changes applied in this cycle are on the accelerator but not recorded in the state: the next cycle sees them as someone else's and backs off.";
    default:
      return 'Nothing was changed on the accelerator: every dial and weight stays as it was.';
  }
}

/**
 * The same failure keeps the same fingerprint across cycles: numbers, times, request ids and other
 * long hex runs are taken out before hashing. Only the hash is stored, never the text.
 */
function fingerprint(text: string): string {
  const normalized = text
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, 'T')
    .replace(/\b[0-9a-f]{8}-[0-9a-f-]{27,}\b/gi, 'U')
    .replace(/\b[0-9a-f]{12,}\b/gi, 'H')
    .replace(/\d+(\.\d+)?/g, '#');
  return createHash('sha256').update(normalized).digest('hex').slice(0, 16);
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
