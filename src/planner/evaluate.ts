// The library's entry point: (policy, snapshot, state, now) -> { plan, next state }.
// Pure and deterministic: no I/O, no clock; the same input gives the same plan.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import { PLAN_FORMAT_VERSION, type ChangeEvidence, type Hold, type Plan, type PlannedChange, type RegionAssessment } from '../plan/types.js';
import { summarizePlan } from '../plan/summarize-plan.js';
import type { Policy } from '../policy/schema.js';
import type { Snapshot } from '../snapshot/schema.js';
import { chooseDials, classifyRegion, type RegionDialDecision } from './choose-dials.js';
import { chooseWeights } from './choose-weights.js';
import type { ControllerState, GroupState } from './controller-state.js';
import { freezeRegions } from './freeze-regions.js';
import { readGovernedTopology, type GovernedGroup } from './governed-topology.js';
import { isFresh } from './signal-freshness.js';
import { readSignals } from './signal-view.js';
import { buildTrafficModel, predictMeanRttMs, predictUtilization } from './traffic-model.js';

export interface Evaluation {
  readonly plan: Plan;
  /** The state to keep if the plan's (non-dry-run) changes are applied and verified. */
  readonly state: ControllerState;
}

export function evaluate(policy: Policy, snapshot: Snapshot, state: ControllerState, now: Date): Evaluation {
  const header = {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    policy: { name: policy.name, apiVersion: policy.apiVersion },
    snapshot: { takenAt: snapshot.takenAt },
    acceleratorArn: policy.accelerator.arn,
  } as const;
  const finish = (changes: PlannedChange[], holds: Hold[], regions: RegionAssessment[], meanAddedMs: number, next: ControllerState): Evaluation => ({
    plan: { ...header, changes, holds, regions, summary: summarizePlan(changes, holds, regions, meanAddedMs) },
    state: next,
  });

  const accelerator = snapshot.accelerators.find((a) => a.arn === policy.accelerator.arn);
  if (accelerator === undefined) {
    return finish([], [globalHold('AcceleratorNotFound', `the snapshot has no accelerator ${policy.accelerator.arn}`, {})], [], 0, state);
  }
  const topology = readGovernedTopology(policy, accelerator);
  const measured = new Map(
    Object.entries(policy.regions).flatMap(([r, rp]) => {
      const s = snapshot.load.find((x) => x.region === r && x.signal === rp.capacity.signal && x.endpointId === undefined);
      return s === undefined ? [] : [[r, (s.value / rp.capacity.full) * 100] as const];
    }),
  );
  const assess = (predicted: ReadonlyMap<RegionCode, number>, after: ReadonlyMap<RegionCode, number>): RegionAssessment[] =>
    Object.keys(policy.regions)
      .sort()
      .map((region) => {
        const u = measured.get(region);
        return {
          region,
          utilizationPercent: u === undefined ? null : round1(u),
          predictedUtilizationPercent: predicted.has(region) ? round1(predicted.get(region) ?? 0) : null,
          targetPercent: policy.regions[region]?.targetPercent ?? 100,
          condition: u === undefined ? 'unknown' : classifyRegion(policy, region, u),
          healthy: topology.regionHealth.get(region) ?? false,
          dialBeforePercent: round1(topology.regionDials.get(region) ?? 100),
          dialAfterPercent: round1(after.get(region) ?? topology.regionDials.get(region) ?? 100),
        };
      });
  const holdAll = (holds: Hold[]): Evaluation => finish([], holds, assess(new Map(), topology.regionDials), 0, state);

  const global: Hold[] = [];
  if (!policy.enabled) global.push(globalHold('Disabled', 'the policy is disabled (enabled: false): ga-steer changes nothing', {}));
  if (accelerator.status !== 'DEPLOYED') {
    global.push(globalHold('AcceleratorNotDeployed', `the accelerator is ${accelerator.status}: waiting until it is DEPLOYED`, { status: accelerator.status }));
  }
  if (!accelerator.enabled) global.push(globalHold('AcceleratorNotDeployed', 'the accelerator is disabled', { enabled: false }));
  if (!isFresh(accelerator.observedAt, now, policy.guardrails.maxSignalAgeSeconds.topology)) {
    global.push(globalHold('StaleData', `the topology was read at ${accelerator.observedAt}, more than ${policy.guardrails.maxSignalAgeSeconds.topology} s ago`, { signal: 'topology' }));
  }
  for (const arn of topology.missingListeners) global.push(globalHold('AcceleratorNotFound', `listener ${arn} is not on the accelerator`, { listenerArn: arn }));
  for (const region of Object.keys(policy.regions)) {
    if (!topology.groups.some((g) => g.address.region === region)) {
      global.push(globalHold('AcceleratorNotFound', `no endpoint group in ${region} on the governed listeners`, { region }));
    }
  }
  if (global.length > 0) return holdAll(global);

  const signals = readSignals(policy, snapshot, now);
  if (!signals.ok) return holdAll([...signals.holds]);
  const view = signals.view;

  const freeze = freezeRegions(policy, topology.groups, state, now);
  const capacity = new Map(Object.entries(policy.regions).map(([r, rp]) => [r, rp.capacity]));
  const model = buildTrafficModel(topology.regions, topology.regionDials, topology.regionHealth, view.clientGroups, view.load, capacity);
  const utilization = new Map([...view.load].map(([r, l]) => [r, l.utilizationPercent]));
  const dialPlan = chooseDials({ policy, model, current: topology.regionDials, utilization, frozen: freeze.frozenRegions });
  const predicted = predictUtilization(model, dialPlan.dials);
  const receivers = Object.fromEntries([...predicted].map(([r, u]) => [r, round1(u)]));

  const holds: Hold[] = [...freeze.holds, ...dialPlan.blocks.map((b): Hold => ({ scope: { kind: 'region', region: b.region }, reason: b.reason, message: b.message, evidence: { utilizationPercent: round1(utilization.get(b.region) ?? 0) } }))];
  const changes: PlannedChange[] = [];
  const dryRun = (region: RegionCode, reason: PlannedChange['reason']): boolean =>
    policy.dryRun.all || policy.dryRun.regions.includes(region) || policy.dryRun.reasons.includes(reason);

  for (const decision of dialPlan.decisions) {
    for (const g of topology.groups.filter((x) => x.address.region === decision.region)) {
      if (freeze.frozenGroups.has(g.address.endpointGroupArn) || dialsEqual(g.group.trafficDialPercent, decision.toPercent)) continue;
      changes.push({
        kind: 'dial',
        address: g.address,
        before: { trafficDialPercent: g.group.trafficDialPercent },
        after: { trafficDialPercent: decision.toPercent },
        reason: decision.reason,
        evidence: dialEvidence(policy, decision, utilization, predicted, receivers, [...view.notes, ...model.notes]),
        dryRun: dryRun(decision.region, decision.reason),
      });
    }
  }

  for (const g of topology.groups) {
    const region = g.address.region;
    const rp = policy.regions[region];
    const load = view.load.get(region);
    if (rp === undefined || load === undefined || freeze.frozenRegions.has(region) || freeze.frozenGroups.has(g.address.endpointGroupArn)) continue;
    const w = chooseWeights(rp, g.group, load.endpointValues, policy.guardrails.weightImbalancePercent);
    if (w === undefined) continue;
    changes.push({
      kind: 'weights',
      address: g.address,
      before: { endpoints: w.before },
      after: { endpoints: w.after },
      reason: 'WeightsShifted',
      evidence: {
        ...emptyEvidence(policy, region, utilization, predicted),
        notes: [`endpoint utilization ${Object.entries(w.endpointUtilizationPercent).map(([id, u]) => `${shortId(id)} ${u} %`).join(', ')}; imbalance ${w.imbalancePercent} points`],
      },
      dryRun: dryRun(region, 'WeightsShifted'),
    });
  }

  const meanAdded = predictMeanRttMs(model, dialPlan.dials) - predictMeanRttMs(model, topology.regionDials);
  const next = nextState(freeze.groupStates, topology.groups, changes, now);
  return finish(changes, holds, assess(predicted, dialPlan.dials), meanAdded, next);
}

function nextState(groupStates: Readonly<Record<string, GroupState>>, groups: readonly GovernedGroup[], changes: readonly PlannedChange[], now: Date): ControllerState {
  const out: Record<string, GroupState> = { ...groupStates };
  for (const g of groups) {
    const arn = g.address.endpointGroupArn;
    const s = out[arn] ?? {};
    if (s.humanOverrideSeenAt !== undefined) continue; // keep expecting our value until the backoff ends
    const applied = changes.filter((c) => c.address.endpointGroupArn === arn && !c.dryRun);
    const dial = applied.find((c) => c.kind === 'dial');
    const weights = applied.find((c) => c.kind === 'weights');
    out[arn] = {
      ...s,
      expectedDialPercent: dial?.kind === 'dial' ? dial.after.trafficDialPercent : g.group.trafficDialPercent,
      expectedWeights: Object.fromEntries(
        (weights?.kind === 'weights' ? weights.after.endpoints : g.group.endpoints).map((e) => [e.endpointId, e.weight]),
      ),
      ...(applied.length > 0
        ? { lastChangeAt: now.toISOString(), lastDirection: dial?.kind === 'dial' ? (dial.reason === 'DialReduced' ? 'down' : 'up') : 'weights' }
        : {}),
    };
  }
  return { stateVersion: 1, groups: out };
}

function dialEvidence(
  policy: Policy,
  d: RegionDialDecision,
  utilization: ReadonlyMap<RegionCode, number>,
  predicted: ReadonlyMap<RegionCode, number>,
  receivers: Record<RegionCode, number>,
  notes: readonly string[],
): ChangeEvidence {
  const receiving = Object.fromEntries(Object.keys(d.cost.landing).filter((r) => r !== d.region && r in receivers).map((r) => [r, receivers[r] ?? 0]));
  return {
    ...emptyEvidence(policy, d.region, utilization, predicted),
    predictedLanding: Object.fromEntries(Object.entries(d.cost.landing).map(([r, s]) => [r, round3(s)])),
    receiverUtilizationPercent: receiving,
    addedLatencyMs: { meanMs: round1(d.cost.meanAddedMs), worstMs: round1(d.cost.worstAddedMs), worstClientGroup: d.cost.worstClientGroup },
    notes: [
      `moves ${round1(d.cost.movedShare * 100)} % of all demand`,
      ...d.notes,
      ...(d.cost.unknownGroups.length > 0 ? [`no RTT to the receiving Region for ${d.cost.unknownGroups.length} client group(s); their cost is not counted`] : []),
      ...notes,
    ],
  };
}

function emptyEvidence(policy: Policy, region: RegionCode, utilization: ReadonlyMap<RegionCode, number>, predicted: ReadonlyMap<RegionCode, number>): ChangeEvidence {
  const rp = policy.regions[region];
  const u = utilization.get(region);
  const p = predicted.get(region);
  return {
    utilizationPercent: u === undefined ? null : round1(u),
    predictedUtilizationPercent: p === undefined ? null : round1(p),
    targetPercent: rp?.targetPercent ?? 100,
    drainAbovePercent: rp?.drainAbovePercent ?? 100,
    restoreBelowPercent: rp?.restoreBelowPercent ?? 0,
    predictedLanding: {},
    receiverUtilizationPercent: {},
    addedLatencyMs: { meanMs: 0, worstMs: 0, worstClientGroup: null },
    notes: [],
  };
}

function globalHold(reason: Hold['reason'], message: string, evidence: Hold['evidence']): Hold {
  return { scope: { kind: 'global' }, reason, message, evidence };
}

function shortId(id: string): string {
  const parts = id.split('/');
  return parts.length > 1 ? parts.slice(-2).join('/') : id;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
