// The library's entry point: (policy, snapshot, state, now) -> { plan, next state }.
// Pure and deterministic: no I/O, no clock; the same input gives the same plan. It reads as the list
// of steps a decision takes; each step lives in its own file.

import type { RegionCode } from '../domain/traffic.js';
import { withRowScope } from '../model/row-blocks.js';
import { PLAN_FORMAT_VERSION, type Hold, type Plan, type PlannedChange, type RegionAssessment, type WeightsChange } from '../plan/types.js';
import { summarizePlan } from '../plan/summarize-plan.js';
import type { Policy } from '../policy/schema.js';
import { isClockSkewed } from '../signals/clock-offset.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS, isFresh, ageSeconds } from '../signals/freshness.js';
import type { Snapshot } from '../snapshot/schema.js';
import { chooseWeights } from './choose-weights.js';
import { normalizeControllerState, type ControllerState, type ControllerStateInput, type RegionState } from './controller-state.js';
import { appendCycle } from './cycle-history.js';
import { projectDemand } from './demand-trend.js';
import { DialEvaluator } from './dial-evaluator.js';
import { boundGroups, boundsKey, boundVariables, holdCoolingUnlessOverloaded } from './dial-bounds.js';
import { explainDials, overloadRecord, regionEvidence } from './explain-plan.js';
import { freezeGroups } from './freeze-groups.js';
import { readGovernedTopology, type GovernedGroup, type GovernedTopology } from './governed-topology.js';
import { LatencyBudget } from './latency-budget.js';
import { buildLoadBasis, trackRegionHealth, type LoadBasis } from './load-basis.js';
import { nextState } from './next-state.js';
import { Objective } from './objective.js';
import { DialSearch } from './search-dials.js';
import { readSignals, type RegionSignals, type SignalView } from './signal-view.js';
import { buildTrafficModel, withDemandScale } from './traffic-model.js';

export interface Evaluation {
  readonly plan: Plan;
  /** The state to keep if the plan's (non-dry-run) changes are applied and verified. */
  readonly state: ControllerState;
}

/** How far ahead a decision looks: the demand readings' age plus the time a change takes to show. */
const TREND_LEAD_SECONDS = 180;
const MAX_TREND_HORIZON_SECONDS = 600;

export function evaluate(policy: Policy, snapshot: Snapshot, stateInput: ControllerStateInput, now: Date): Evaluation {
  // The decision's typed rows come from blocks the last decision handed back (model/row-blocks.ts):
  // its plan and state are plain data, so none of them outlives it.
  return withRowScope(() => decide(policy, snapshot, stateInput, now));
}

function decide(policy: Policy, snapshot: Snapshot, stateInput: ControllerStateInput, now: Date): Evaluation {
  const state = normalizeControllerState(stateInput);
  const header = {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    policy: { name: policy.name, apiVersion: policy.apiVersion },
    snapshot: { takenAt: snapshot.takenAt },
    acceleratorArn: policy.accelerator.arn,
  } as const;

  const accelerator = snapshot.accelerators.find((a) => a.arn === policy.accelerator.arn);
  if (accelerator === undefined) {
    const hold = globalHold('AcceleratorNotFound', `the snapshot has no accelerator ${policy.accelerator.arn}`, {});
    return { plan: { ...header, changes: [], holds: [hold], regions: [], summary: summarizePlan([], [hold], [], NOTHING_MOVED) }, state };
  }
  const topology = readGovernedTopology(policy, accelerator);
  // A clock known to be off from AWS's judges no age and stamps no time: hold all, keep the state as it was.
  const skewed = clockSkewHold(snapshot.serverClock);
  if (skewed !== undefined) {
    const regions = assessRegions(policy, topology, undefined, undefined, new Map(), new Map());
    return { plan: { ...header, changes: [], holds: [skewed], regions, summary: summarizePlan([], [skewed], regions, NOTHING_MOVED) }, state };
  }
  const regionStates = trackRegionHealth(
    state.regions,
    new Map([...topology.regionHealth].filter(([r]) => r in policy.regions)),
    now,
  );
  const holdAll = (holds: readonly Hold[], signalRegions?: ReadonlyMap<RegionCode, RegionSignals>): Evaluation => {
    const regions = assessRegions(policy, topology, signalRegions, undefined, new Map(), new Map());
    return {
      plan: { ...header, changes: [], holds: [...holds], regions, summary: summarizePlan([], holds, regions, NOTHING_MOVED) },
      state: { ...state, regions: regionStates },
    };
  };

  const global = globalHolds(policy, accelerator, topology, now);
  if (global.length > 0) return holdAll(global);
  const signals = readSignals(policy, snapshot, now);
  if (!signals.ok) return holdAll(signals.holds, signals.regions);
  const view = signals.view;

  const freeze = freezeGroups(policy, topology.groups, state, now);
  const demandNow = new Map(view.clientGroups.map((g) => [g.id, g.demand]));
  const horizon = view.demandObservedAt === undefined ? 0 : Math.min(MAX_TREND_HORIZON_SECONDS, Math.max(0, ageSeconds(view.demandObservedAt, now)) + TREND_LEAD_SECONDS);
  const trend = projectDemand(state.history, demandNow, view.demandObservedAt, horizon);

  const groupBounds = boundGroups(policy, topology.groups, freeze.frozen, freeze.groupStates, now);
  const groupKey = (g: GovernedGroup): string => {
    const b = groupBounds.get(g.address.endpointGroupArn);
    return b === undefined ? '' : boundsKey(b);
  };
  const measuredModel = buildTrafficModel(topology, view.clientGroups, trend.growth, { groupKey });
  const basis = buildLoadBasis({ policy, model: measuredModel, signals: view.regions, regionHealth: topology.regionHealth, regionStates, state, demandNow, now });
  const history = appendCycle(state.history, {
    now,
    groups: topology.groups,
    regionHealth: new Map([...topology.regionHealth].filter(([r]) => r in policy.regions)),
    readings: basis.readings,
    demand: demandNow,
    demandAt: view.demandObservedAt,
  });
  if (basis.holds.length > 0) {
    const held = holdAll(basis.holds, view.regions);
    return { plan: held.plan, state: { ...held.state, history } };
  }
  // The model with the fitted corrections: what the search and the explanations use.
  const model = withDemandScale(measuredModel, basis.demandScale, trend.growth, basis.spillMix);
  const current = new DialEvaluator(model);
  const objective = new Objective(policy, model, basis.regions, current.current());
  const bounds = holdCoolingUnlessOverloaded(
    boundVariables(model.variables, groupBounds),
    new Map(objective.regions.map((r) => [r.index, objective.capacityView(r, r.aheadPercent)])),
  );
  const budget = new LatencyBudget(model, current, policy.latency.budgetMs);
  const search = new DialSearch({ policy, model, bounds, objective, budget, current, budgetYieldsToCapacity: policy.latency.budgetYieldsToCapacity });
  const result = search.run();
  const trendNote = trend.overallGrowth > 0.005 ? [`demand rising: planned for ${round1(trend.overallGrowth * 100)} % more in ${Math.round(horizon / 60)} min`] : [];
  const explained = explainDials({ policy, model, bounds, objective, basis, budget, search, result, current, notes: [...trendNote, ...basis.notes, ...view.notes] });

  const dryRun = (region: RegionCode, reason: PlannedChange['reason']): boolean =>
    policy.dryRun.all || policy.dryRun.regions.includes(region) || policy.dryRun.reasons.includes(reason);
  const changes: PlannedChange[] = [
    ...explained.changes.map((c) => ({ ...c, dryRun: dryRun(c.address.region, c.reason) })),
    ...weightChanges(policy, topology, view, basis, freeze.frozen, state, now, explained.predictedBefore, explained.predictedAfter).map((c) => ({ ...c, dryRun: dryRun(c.address.region, c.reason) })),
  ];
  const holds: Hold[] = [...freeze.holds, ...explained.holds];
  const regions = assessRegions(policy, topology, view.regions, basis, explained.predictedBefore, explained.predictedAfter, result.trial.dials, model.variables);
  const moved = { movedDemandPercent: explained.moved.movedShare * 100, meanAddedMs: explained.moved.meanAddedMs };
  const plan: Plan = {
    ...header,
    changes,
    holds,
    regions,
    summary: summarizePlan(changes, holds, regions, moved),
    decision: { method: result.method, evaluations: result.evaluations, before: explained.before, after: explained.after, ...overloadRecord(objective, model.totalDemandAhead) },
  };
  const next = nextState({
    groupStates: freeze.groupStates,
    groups: topology.groups,
    changes,
    regionStates,
    basis,
    history,
    now,
  });
  return { plan, state: next };
}

const NOTHING_MOVED = { movedDemandPercent: 0, meanAddedMs: 0 };

function globalHolds(policy: Policy, accelerator: Snapshot['accelerators'][number], topology: GovernedTopology, now: Date): Hold[] {
  const holds: Hold[] = [];
  if (!policy.enabled) holds.push(globalHold('Disabled', 'the policy is disabled (enabled: false): ga-steer changes nothing', {}));
  if (accelerator.status !== 'DEPLOYED') {
    holds.push(globalHold('AcceleratorNotDeployed', `the accelerator is ${accelerator.status}: waiting until it is DEPLOYED`, { status: accelerator.status }));
  }
  if (!accelerator.enabled) holds.push(globalHold('AcceleratorNotDeployed', 'the accelerator is disabled', { enabled: false }));
  if (!isFresh(accelerator.observedAt, now, policy.guardrails.maxSignalAgeSeconds.topology)) {
    holds.push(globalHold('StaleData', `the topology was read at ${accelerator.observedAt}, more than ${policy.guardrails.maxSignalAgeSeconds.topology} s ago`, { signal: 'topology' }));
  }
  for (const arn of topology.missingListeners) holds.push(globalHold('AcceleratorNotFound', `listener ${arn} is not on the accelerator`, { listenerArn: arn }));
  for (const region of Object.keys(policy.regions)) {
    if (!topology.groups.some((g) => g.address.region === region)) {
      holds.push(globalHold('AcceleratorNotFound', `no endpoint group in ${region} on the governed listeners`, { region }));
    }
  }
  return holds;
}

function weightChanges(
  policy: Policy,
  topology: GovernedTopology,
  view: SignalView,
  basis: LoadBasis,
  frozen: ReturnType<typeof freezeGroups>['frozen'],
  state: ControllerState,
  now: Date,
  before: ReadonlyMap<RegionCode, number>,
  after: ReadonlyMap<RegionCode, number>,
): WeightsChange[] {
  const out: WeightsChange[] = [];
  for (const g of topology.groups) {
    const region = g.address.region;
    const rp = policy.regions[region];
    const signals = view.regions.get(region);
    const freeze = frozen.get(g.address.endpointGroupArn);
    // Weights wait out any freeze, cooling included: endpoint readings taken while a dial change is
    // still showing would rebalance for a load that is on its way out.
    if (rp === undefined || signals?.capacity === undefined || freeze !== undefined) continue;
    const changedAt = state.groups[g.address.endpointGroupArn]?.weightsChangedAt;
    if (changedAt !== undefined && (now.getTime() - Date.parse(changedAt)) / 1000 < policy.guardrails.cooldownSeconds) continue;
    const w = chooseWeights(rp, signals.capacity, g.group, signals.endpointValues, policy.guardrails.weightImbalancePercent);
    if (w === undefined) continue;
    out.push({
      kind: 'weights',
      address: g.address,
      before: { endpoints: w.before },
      after: { endpoints: w.after },
      reason: 'WeightsShifted',
      evidence: {
        ...regionEvidence(policy, basis, region, before, after),
        predictedLanding: {},
        receiverUtilizationPercent: {},
        addedLatencyMs: { meanMs: 0, worstMs: 0, worstClientGroup: null },
        notes: [`endpoint utilization ${Object.entries(w.endpointUtilizationPercent).map(([id, u]) => `${shortId(id)} ${u} %`).join(', ')}; imbalance ${w.imbalancePercent} points`],
      },
      dryRun: false,
    });
  }
  return out;
}

function assessRegions(
  policy: Policy,
  topology: GovernedTopology,
  signalRegions: ReadonlyMap<RegionCode, RegionSignals> | undefined,
  basis: LoadBasis | undefined,
  before: ReadonlyMap<RegionCode, number>,
  after: ReadonlyMap<RegionCode, number>,
  dials?: Float64Array,
  variables?: readonly { index: number; regionCode: RegionCode; currentPercent: number }[],
): RegionAssessment[] {
  return Object.keys(policy.regions)
    .sort()
    .map((region) => {
      const rp = policy.regions[region];
      const measured = basis?.regions.get(region)?.measuredPercent ?? signalRegions?.get(region)?.utilizationPercent;
      const ahead = before.get(region);
      const basisFor = ahead ?? measured;
      const mine = variables?.filter((v) => v.regionCode === region) ?? [];
      const dialAfter = mine.length > 0 && dials !== undefined ? mine.reduce((a, v) => a + (dials[v.index] as number) * 100, 0) / mine.length : undefined;
      return {
        region,
        utilizationPercent: measured === undefined ? null : round1(measured),
        predictedIfUnchangedPercent: ahead === undefined ? null : round1(ahead),
        predictedUtilizationPercent: after.has(region) ? round1(after.get(region) ?? 0) : null,
        targetPercent: rp?.targetPercent ?? 100,
        condition: basisFor === undefined || rp === undefined ? 'unknown' : basisFor > rp.drainAbovePercent ? 'hot' : basisFor < rp.restoreBelowPercent ? 'cool' : 'warm',
        healthy: topology.regionHealth.get(region) ?? false,
        dialBeforePercent: round1(topology.regionDials.get(region) ?? 100),
        dialAfterPercent: round1(dialAfter ?? topology.regionDials.get(region) ?? 100),
      };
    });
}

function clockSkewHold(clock: Snapshot['serverClock']): Hold | undefined {
  if (clock === undefined || !isClockSkewed(clock.offsetSeconds)) return undefined;
  const way = clock.offsetSeconds > 0 ? 'ahead of' : 'behind';
  return globalHold(
    'ClockSkew',
    `the local clock is ${round1(Math.abs(clock.offsetSeconds))} s ${way} AWS's (${clock.source} answered ${clock.serverTime} at local ${clock.localTime}), more than the ${CLOCK_SKEW_ALLOWANCE_SECONDS} s clock-skew allowance: no signal age or back-off can be judged until the clock is corrected`,
    { offsetSeconds: clock.offsetSeconds, allowanceSeconds: CLOCK_SKEW_ALLOWANCE_SECONDS, serverTime: clock.serverTime, localTime: clock.localTime, source: clock.source },
  );
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

export type { RegionState };
