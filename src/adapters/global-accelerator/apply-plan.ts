// Applies a plan to Global Accelerator without losing a setting:
// - each change reads its group first and is refused as stale unless the live group still matches the
//   plan's `before` (skipped when it already matches `after`);
// - a dial change sends only the dial; a weights change writes back every endpoint with its id, weight
//   and client-IP flag as just read, changing only the weights;
// - every write is verified from the response and from a fresh read; anything else that changed in the
//   group meanwhile is reported as a concurrent edit;
// - the first failure or stale change stops the apply: later changes are not attempted, and every group
//   is left as a valid, complete configuration (GA applies each UpdateEndpointGroup atomically);
// - after the writes, it waits for the accelerator to go from IN_PROGRESS to DEPLOYED.

import { dialsEqual } from '../../domain/traffic.js';
import type { DialChange, Plan, PlannedChange, WeightsChange } from '../../plan/types.js';
import type { ApplyReport, ChangeApplyOutcome, WriteGuard } from '../../ports/accelerator-gateway.js';
import type { EndpointGroupTopology } from '../../snapshot/schema.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import type { GaApi } from './ga-api.js';

const MAX_ENDPOINTS_PER_WRITE = 10;

export interface ApplyOptions {
  /** How long to wait for DEPLOYED after the writes (default 5 minutes). */
  readonly deployTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

type Verdict = { status: 'write' } | { status: 'already-applied' | 'stale' | 'failed'; message: string };

export async function applyPlanToGa(api: GaApi, plan: Plan, options: ApplyOptions = {}, guard?: WriteGuard): Promise<ApplyReport> {
  const outcomes: ChangeApplyOutcome[] = [];
  let stopped: string | undefined;
  let wrote = false;
  for (const change of plan.changes) {
    if (change.dryRun) {
      outcomes.push({ change, status: 'dry-run' });
      continue;
    }
    const permit = stopped === undefined && guard !== undefined ? await guard.beforeWrite() : undefined;
    if (permit !== undefined && !permit.allowed) stopped = permit.reason;
    if (stopped !== undefined) {
      outcomes.push({ change, status: 'not-attempted', message: stopped });
      continue;
    }
    const { outcome, concurrentEdit } = await applyOne(api, change);
    if (outcome.status === 'applied') wrote = true;
    // Someone else is editing the accelerator: finish this change, then leave the rest to them.
    if (outcome.status === 'failed' || outcome.status === 'stale' || concurrentEdit) stopped = 'an earlier change was stale or failed';
    outcomes.push(outcome);
  }

  const deployed = wrote ? await waitForDeployed(api, plan.acceleratorArn, options) : undefined;
  const applied = outcomes.filter((o) => o.status === 'applied').length;
  const bad = outcomes.some((o) => o.status === 'failed' || o.status === 'stale' || o.status === 'not-attempted');
  const outcome: ApplyReport['outcome'] = !bad ? (applied > 0 ? 'applied' : 'nothing-to-do') : applied > 0 ? 'partial' : 'failed';
  return { outcome, changes: outcomes, ...(deployed !== undefined ? { deployed } : {}) };
}

async function applyOne(api: GaApi, change: PlannedChange): Promise<{ outcome: ChangeApplyOutcome; concurrentEdit: boolean }> {
  const arn = change.address.endpointGroupArn;
  try {
    const live = await api.describeEndpointGroup(arn);
    const verdict = change.kind === 'dial' ? judgeDial(change, live) : judgeWeights(change, live);
    if (verdict.status !== 'write') return { outcome: { change, status: verdict.status, message: verdict.message }, concurrentEdit: false };

    const written =
      change.kind === 'dial'
        ? await api.setDial(arn, change.after.trafficDialPercent)
        : await api.setEndpoints(arn, live.endpoints.map((e) => ({ endpointId: e.endpointId, weight: weightIn(change.after.endpoints, e.endpointId) ?? e.weight, clientIpPreservation: e.clientIpPreservation })));
    const readBack = await api.describeEndpointGroup(arn);
    const checks = [verifyWrite(change, live, written, 'the response'), verifyWrite(change, live, readBack, 'a read-back')];
    const failures = [...new Set(checks.flatMap((c) => c.failures))];
    const others = [...new Set(checks.flatMap((c) => c.otherChanges))];
    if (failures.length > 0) {
      return { outcome: { change, status: 'failed', message: `written, but verification found: ${[...failures, ...others].join('; ')}` }, concurrentEdit: others.length > 0 };
    }
    if (others.length > 0) {
      return { outcome: { change, status: 'applied', message: `applied and verified; concurrent edit by someone else: ${others.join('; ')}` }, concurrentEdit: true };
    }
    return { outcome: { change, status: 'applied' }, concurrentEdit: false };
  } catch (e) {
    const message = e instanceof AwsCallError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { outcome: { change, status: 'failed', message }, concurrentEdit: false };
  }
}

function judgeDial(change: DialChange, live: EndpointGroupTopology): Verdict {
  if (dialsEqual(live.trafficDialPercent, change.after.trafficDialPercent)) return { status: 'already-applied', message: `dial is already ${live.trafficDialPercent}` };
  if (!dialsEqual(live.trafficDialPercent, change.before.trafficDialPercent)) {
    return { status: 'stale', message: `dial is ${round(live.trafficDialPercent)}, the plan expected ${change.before.trafficDialPercent}: changed since the plan was made` };
  }
  return { status: 'write' };
}

function judgeWeights(change: WeightsChange, live: EndpointGroupTopology): Verdict {
  const liveIds = live.endpoints.map((e) => e.endpointId).sort();
  const planIds = change.before.endpoints.map((e) => e.endpointId).sort();
  if (liveIds.join('\n') !== planIds.join('\n')) {
    return { status: 'stale', message: `the group's endpoints are now [${liveIds.join(', ')}], the plan was made for [${planIds.join(', ')}]` };
  }
  if (live.endpoints.length > MAX_ENDPOINTS_PER_WRITE) {
    return { status: 'failed', message: `the group has ${live.endpoints.length} endpoints; UpdateEndpointGroup takes at most ${MAX_ENDPOINTS_PER_WRITE}, so its weights cannot be rewritten safely` };
  }
  const matches = (target: WeightsChange['after']['endpoints']): boolean => live.endpoints.every((e) => weightIn(target, e.endpointId) === e.weight);
  if (matches(change.after.endpoints)) return { status: 'already-applied', message: 'weights already match' };
  if (!matches(change.before.endpoints)) {
    const now = live.endpoints.map((e) => `${e.endpointId}=${e.weight}`).join(', ');
    return { status: 'stale', message: `weights are now ${now}: changed since the plan was made` };
  }
  return { status: 'write' };
}

/**
 * What must hold after a write: the intended values (`failures` otherwise), and anything else in the
 * group that changed since the read before the write (`otherChanges`: someone else's concurrent edit).
 */
function verifyWrite(change: PlannedChange, before: EndpointGroupTopology, after: EndpointGroupTopology, source: string): { failures: string[]; otherChanges: string[] } {
  const failures: string[] = [];
  const otherChanges: string[] = [];
  const ids = (g: EndpointGroupTopology): string => g.endpoints.map((e) => e.endpointId).sort().join('\n');
  if (ids(after) !== ids(before)) otherChanges.push(`${source} shows endpoints [${after.endpoints.map((e) => e.endpointId).join(', ')}]`);
  for (const e of before.endpoints) {
    const now = after.endpoints.find((x) => x.endpointId === e.endpointId);
    if (now !== undefined && now.clientIpPreservation !== e.clientIpPreservation) failures.push(`${source} shows client IP preservation ${now.clientIpPreservation} for ${e.endpointId}`);
  }
  if (change.kind === 'dial') {
    if (!dialsEqual(after.trafficDialPercent, change.after.trafficDialPercent)) failures.push(`${source} shows dial ${round(after.trafficDialPercent)}, not ${change.after.trafficDialPercent}`);
    for (const e of before.endpoints) {
      const now = after.endpoints.find((x) => x.endpointId === e.endpointId);
      if (now !== undefined && now.weight !== e.weight) otherChanges.push(`${source} shows weight ${now.weight} for ${e.endpointId}, was ${e.weight}`);
    }
  } else {
    for (const e of after.endpoints) {
      const want = weightIn(change.after.endpoints, e.endpointId);
      if (want !== undefined && e.weight !== want) failures.push(`${source} shows weight ${e.weight} for ${e.endpointId}, not ${want}`);
    }
    if (!dialsEqual(after.trafficDialPercent, before.trafficDialPercent)) {
      otherChanges.push(`${source} shows dial ${round(after.trafficDialPercent)} where it was ${round(before.trafficDialPercent)}; left as found`);
    }
  }
  return { failures, otherChanges };
}

function weightIn(endpoints: readonly { endpointId: string; weight: number }[], id: string): number | undefined {
  return endpoints.find((e) => e.endpointId === id)?.weight;
}

async function waitForDeployed(api: GaApi, acceleratorArn: string, options: ApplyOptions): Promise<boolean> {
  const timeout = options.deployTimeoutMs ?? 300_000;
  const interval = options.pollIntervalMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  // As in the retries: waits count even when the sleep is simulated (the simulator passes no real time).
  let waited = 0;
  for (;;) {
    try {
      const a = await api.describeAccelerator(acceleratorArn);
      if (a.Status === 'DEPLOYED') return true;
    } catch {
      // A failed poll is not a failed apply: keep polling until the deadline.
    }
    if (Math.max(Date.now() - started, waited) + interval > timeout) return false;
    await sleep(interval);
    waited += interval;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
