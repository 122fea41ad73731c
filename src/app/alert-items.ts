// What a cycle could alert about, each with the key that makes it "the same" from one cycle to the
// next (alert-ledger.ts), the event that enables it in the policy, and what a message shows of it: the
// plan's holds (per scope and reason), changes planned but not applied (per group, kind and reason),
// apply failures and a lost lease, and a cycle that failed (per step and error). Keys and titles carry
// no error text: a fingerprint stands for it.

import { createHash } from 'node:crypto';
import { describeAddress, describeHoldScope, shortArnId } from '../plan/describe.js';
import type { Hold, Plan, PlannedChange } from '../plan/types.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';
import type { AlertEvent, FailureLine } from '../ports/notifier.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import type { AlertCondition } from './alert-ledger.js';

/** Where a cycle stops when it throws: the step it was in. */
export type CycleStage = 'taking the lease' | 'reading the accelerator' | 'reading the state' | 'deciding' | 'applying' | 'saving the state';

/** The lease lost before the state was saved: where, what landed and is not recorded (the note), and why. */
export interface LeaseLostFacts {
  readonly location: string;
  readonly note: string;
  readonly reason: string;
}

/** One thing a cycle could alert about: its dedup key, the events that enable it, and how it is shown. */
export interface AlertItem {
  readonly condition: AlertCondition;
  readonly event: AlertEvent;
  readonly enabledBy: readonly AlertEvent[];
  readonly line: { readonly hold: Hold } | { readonly change: PlannedChange } | { readonly failure: Omit<FailureLine, 'reminder'> };
}

export function holdItems(plan: Plan): AlertItem[] {
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
export function proposalItems(plan: Plan, mode: 'apply' | 'plan'): AlertItem[] {
  return plan.changes
    .filter((c) => c.dryRun || mode === 'plan')
    .map((change) => ({
      condition: { key: `proposal:${change.address.endpointGroupArn}:${change.kind}:${change.reason}`, kind: 'proposal', title: `${describeAddress(change.address)}: ${change.reason}` },
      event: change.dryRun ? 'dry-run' : 'changes',
      enabledBy: [change.dryRun ? 'dry-run' : 'changes'],
      line: { change },
    }));
}

export function applyFailureItems(report: ApplyReport | undefined, leaseLost: LeaseLostFacts | undefined, topology: AcceleratorTopology | null): AlertItem[] {
  const items: AlertItem[] = [];
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
  if (report !== undefined && items.length === 0 && untouched.length > 0 && (leaseLost === undefined || report.ranOut !== undefined)) {
    // Stopped with nothing failed: the deadline ran out, or a change landed beside someone else's edit
    // and the rest was left for the next cycle to judge afresh.
    const ranOut = report.ranOut;
    const firstNote = outcomes.find((o) => o.status === 'not-attempted')?.message ?? 'stopped before these changes';
    const concurrent = outcomes.find((o) => o.status === 'applied' && /concurrent edit/.test(o.message ?? ''));
    const error =
      ranOut !== undefined
        ? `the cycle's deadline ran out during ${ranOut.service} ${ranOut.operation}`
        : concurrent !== undefined
          ? `someone else edited ${where(concurrent.change, topology)} while it was written; the rest waits for the next cycle`
          : firstNote;
    const key = ranOut !== undefined ? `failure:apply:deadline:${ranOut.service}:${ranOut.operation}` : `failure:apply:stopped:${fingerprint(error)}`;
    const title = ranOut !== undefined ? `apply stopped: deadline during ${ranOut.operation}` : 'apply stopped: changes not attempted';
    items.push({
      condition: { key, kind: 'failure', title },
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

export function failedCycleItem(stage: CycleStage, e: unknown): AlertItem {
  const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const name = e instanceof Error ? e.name : 'Error';
  return {
    condition: { key: `failure:cycle:${stage}:${name}:${fingerprint(error)}`, kind: 'failure', title: `cycle failed while ${stage}: ${name}` },
    event: 'error',
    enabledBy: ['error'],
    line: { failure: { stage, what: `the cycle, while ${stage}`, error, leftAsItWas: leftAsItWasAfter(stage) } },
  };
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

