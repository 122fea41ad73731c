// `ga-steer restore` as a plan: each governed endpoint group with a recorded baseline is brought back to
// it, from the live values just read. Within the guardrails (pins, cooldown, at most maxStepPercent
// down or restoreStepPercent up per run) unless `allAtOnce`, which goes straight to the baseline;
// either way it is applied by the guarded apply (refused as stale if the group changed since the read).
// Weights go back for the endpoints the baseline knew; an endpoint added since keeps its weight, and
// none is ever dropped (the change lists the live endpoints).

import type { DialPercent } from '../domain/traffic.js';
import { summarizePlan } from '../plan/summarize-plan.js';
import { PLAN_FORMAT_VERSION, type ChangeAddress, type ChangeEvidence, type Hold, type Plan, type PlannedChange } from '../plan/types.js';
import type { ControllerState } from '../planner/controller-state.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import type { ControlRecord, GroupBaseline } from './control-record.js';
import { findGroup } from './record-baselines.js';

export interface RestoreInput {
  readonly policy: Policy;
  readonly topology: AcceleratorTopology;
  readonly state: ControllerState;
  readonly control: ControlRecord | undefined;
  readonly now: Date;
  readonly allAtOnce: boolean;
}

export function restorePlan(input: RestoreInput): Plan {
  const { policy, topology, now } = input;
  const changes: PlannedChange[] = [];
  const holds: Hold[] = [];
  const baselines = Object.entries(input.control?.baselines ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [arn, baseline] of baselines) {
    const found = findGroup(topology, arn);
    if (found === undefined) {
      holds.push({ scope: { kind: 'region', region: baseline.region }, reason: 'AcceleratorNotFound', message: `endpoint group ${arn} of the baseline is not in the accelerator any more: nothing to restore there`, evidence: {} });
      continue;
    }
    const address: ChangeAddress = { acceleratorArn: topology.arn, listenerArn: found.listenerArn, endpointGroupArn: arn, region: found.group.region };
    const dial = dialChange(input, address, found.group.trafficDialPercent, baseline);
    const weights = weightsChange(input, address, found.group.endpoints, baseline);
    if (dial === undefined && weights === undefined) continue;
    const frozen = input.allAtOnce ? undefined : frozenBy(input, address);
    if (frozen !== undefined) {
      holds.push(frozen);
      continue;
    }
    if (dial !== undefined) changes.push(dial);
    if (weights !== undefined) changes.push(weights);
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    policy: { name: policy.name, apiVersion: policy.apiVersion },
    snapshot: { takenAt: topology.observedAt },
    acceleratorArn: topology.arn,
    changes,
    holds,
    regions: [],
    summary: summarizePlan(changes, holds, [], { movedDemandPercent: 0, meanAddedMs: 0 }),
  };
}

function dialChange(input: RestoreInput, address: ChangeAddress, live: DialPercent, baseline: GroupBaseline): PlannedChange | undefined {
  const base = baseline.trafficDialPercent;
  if (Math.abs(live - base) < 1e-6) return undefined;
  const g = input.policy.guardrails;
  const after = input.allAtOnce ? base : base > live ? Math.min(base, live + g.restoreStepPercent) : Math.max(base, live - g.maxStepPercent);
  const steps = after === base ? '' : ` (this run moves ${after > live ? g.restoreStepPercent : g.maxStepPercent} points at most; run restore again after the cooldown)`;
  return {
    kind: 'dial',
    address,
    before: { trafficDialPercent: live },
    after: { trafficDialPercent: after },
    reason: after > live ? 'DialRestored' : 'DialReduced',
    evidence: evidenceFor(input.policy, address, [`restore: baseline dial ${base} recorded ${baseline.recordedAt}${steps}`]),
    dryRun: false,
  };
}

function weightsChange(input: RestoreInput, address: ChangeAddress, live: AcceleratorTopology['listeners'][number]['endpointGroups'][number]['endpoints'], baseline: GroupBaseline): PlannedChange | undefined {
  const recorded = new Map(baseline.endpoints.map((e) => [e.endpointId, e.weight]));
  const before = live.map((e) => ({ endpointId: e.endpointId, weight: e.weight }));
  const after = live.map((e) => ({ endpointId: e.endpointId, weight: recorded.get(e.endpointId) ?? e.weight }));
  if (after.every((e, i) => e.weight === before[i]?.weight)) return undefined;
  return {
    kind: 'weights',
    address,
    before: { endpoints: before },
    after: { endpoints: after },
    reason: 'WeightsShifted',
    evidence: evidenceFor(input.policy, address, [`restore: baseline weights recorded ${baseline.recordedAt}`]),
    dryRun: false,
  };
}

/** Pins and the cooldown after ga-steer's last change hold a stepped restore, as they hold the planner. */
function frozenBy(input: RestoreInput, address: ChangeAddress): Hold | undefined {
  const nowMs = input.now.getTime();
  const pin = input.policy.pins.find((p) => p.region === address.region && (p.listener === undefined || p.listener === address.listenerArn) && (p.until === undefined || Date.parse(p.until) > nowMs));
  if (pin !== undefined) return { scope: { kind: 'endpoint-group', address }, reason: 'Pinned', message: `${address.region} is pinned: ${pin.reason}`, evidence: { until: pin.until ?? null } };
  const s = input.state.groups[address.endpointGroupArn];
  const last = Math.max(Date.parse(s?.lastChangeAt ?? '') || 0, Date.parse(s?.weightsChangedAt ?? '') || 0);
  const cooldownMs = input.policy.guardrails.cooldownSeconds * 1000;
  if (last > 0 && nowMs - last < cooldownMs) {
    const until = new Date(last + cooldownMs).toISOString();
    return { scope: { kind: 'endpoint-group', address }, reason: 'CoolingDown', message: `changed at ${new Date(last).toISOString()}; cooling down until ${until} (or restore --all-at-once)`, evidence: { until } };
  }
  return undefined;
}

function evidenceFor(policy: Policy, address: ChangeAddress, notes: readonly string[]): ChangeEvidence {
  const r = policy.regions[address.region];
  return {
    utilizationPercent: null,
    predictedIfUnchangedPercent: null,
    predictedUtilizationPercent: null,
    targetPercent: r?.targetPercent ?? 75,
    drainAbovePercent: r?.drainAbovePercent ?? 80,
    restoreBelowPercent: r?.restoreBelowPercent ?? 60,
    predictedLanding: {},
    receiverUtilizationPercent: {},
    addedLatencyMs: { meanMs: 0, worstMs: 0, worstClientGroup: null },
    notes,
  };
}
