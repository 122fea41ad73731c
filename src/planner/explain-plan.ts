// Turns the chosen dials into the plan's changes and holds, with the numbers behind each: what the
// Region measures, where it is heading with and without the plan, where the moved users land and
// what they pay, and, for a hot Region the plan cannot fully relieve, which limit stopped it.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import type { ChangeEvidence, DialChange, Hold, HoldReason, ObjectiveFigures, OverloadRecord } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { DialEvaluator, Trial } from './dial-evaluator.js';
import type { VariableBounds } from './dial-bounds.js';
import type { LatencyBudget, MovedCost } from './latency-budget.js';
import type { LoadBasis } from './load-basis.js';
import type { Objective, ObjectiveRegion, Score, TierName } from './objective.js';
import type { DialSearch, SearchResult } from './search-dials.js';
import type { TrafficModel } from './traffic-model.js';

export interface ExplainInput {
  readonly policy: Policy;
  readonly model: TrafficModel;
  readonly bounds: readonly VariableBounds[];
  readonly objective: Objective;
  readonly basis: LoadBasis;
  readonly budget: LatencyBudget;
  readonly search: DialSearch;
  readonly result: SearchResult;
  /** The current dials, evaluated. */
  readonly current: DialEvaluator;
  readonly notes: readonly string[];
}

export interface Explained {
  readonly changes: DialChange[];
  readonly holds: Hold[];
  readonly predictedBefore: ReadonlyMap<RegionCode, number>;
  readonly predictedAfter: ReadonlyMap<RegionCode, number>;
  readonly moved: MovedCost;
  readonly before: ObjectiveFigures;
  readonly after: ObjectiveFigures;
}

export function explainDials(input: ExplainInput): Explained {
  const { policy, model, objective, budget, result, current } = input;
  const currentTrial = current.current();
  const predictedBefore = objective.predicted(currentTrial);
  const predictedAfter = objective.predicted(result.trial);
  const scoreBefore = input.search.score(currentTrial);
  const tier = objective.tier(result.score, scoreBefore);
  const changes: DialChange[] = [];
  const receivers = receiversOf(objective, currentTrial, result.trial, predictedAfter);
  const overBudget = budget.check(result.trial, result.evaluator);
  const budgetNote = overBudget === undefined ? [] : [`costs ${overBudget.clientGroup} +${round1(overBudget.addedMs)} ms, over the ${policy.latency.budgetMs} ms latency budget: relief of load above capacity comes first (latency.budgetYieldsToCapacity)`];

  for (const b of input.bounds) {
    const v = b.variable;
    const raw = (result.trial.dials[v.index] as number) * 100;
    // An unmoved group keeps its dial to the last digit (a person's 98.94 is not a change to 98.9).
    if (Math.abs(raw - v.currentPercent) < 1e-9) continue;
    const after = round1(raw);
    if (dialsEqual(after, v.currentPercent)) continue;
    const cost = budget.movedCost(currentTrial, current, result.trial, result.evaluator, { listener: v.listener, region: v.region });
    const region = objective.regions.find((r) => r.index === v.region);
    const reason = after < v.currentPercent ? 'DialReduced' : 'DialRestored';
    const evidence: ChangeEvidence = {
      ...regionEvidence(policy, input.basis, v.regionCode, predictedBefore, predictedAfter),
      predictedLanding: Object.fromEntries([...cost.landing].filter(([, s]) => s >= 0.0005).map(([r, s]) => [model.regions[r] ?? String(r), round3(s)])),
      receiverUtilizationPercent: Object.fromEntries(receivers.filter((r) => r !== v.regionCode).map((r) => [r, round1(predictedAfter.get(r) ?? 0)])),
      addedLatencyMs: { meanMs: round1(cost.meanAddedMs), worstMs: round1(cost.worstAddedMs), worstClientGroup: cost.worstClientGroup },
      notes: [
        ...whyNotes(reason, tier, region, predictedBefore, predictedAfter, receivers),
        ...(reason === 'DialReduced' ? budgetNote : []),
        `moves ${round1((cost.movedShare * 100) / Math.max(1, v.groups.length))} % of all demand${v.groups.length > 1 ? ` through this group (${round1(cost.movedShare * 100)} % with the Region's ${v.groups.length} groups that move alike)` : ''}`,
        ...(b.coolingDown ? [`changed again within its cooldown: ${v.regionCode} is heading above capacity (guardrails.overloadSkipsCooldown)`] : []),
        ...stepNotes(b, after, region, predictedAfter),
        ...(cost.unknownGroups.length > 0 ? [`no RTT to the receiving Region for ${cost.unknownGroups.length} client group(s); their cost is estimated from their farthest measured Region`] : []),
        ...input.notes,
      ],
    };
    for (const group of v.groups) {
      changes.push({
        kind: 'dial',
        address: group.address,
        before: { trafficDialPercent: group.group.trafficDialPercent },
        after: { trafficDialPercent: after },
        reason,
        evidence,
        dryRun: false,
      });
    }
  }

  const holds = [...limitHolds(input, predictedAfter), ...restoreHolds(input, predictedAfter)];
  const moved = budget.movedCost(currentTrial, current, result.trial, result.evaluator);
  return { changes, holds, predictedBefore, predictedAfter, moved, before: figures(scoreBefore, model.totalDemandAhead), after: figures(result.score, model.totalDemandAhead) };
}

export function regionEvidence(
  policy: Policy,
  basis: LoadBasis,
  region: RegionCode,
  before: ReadonlyMap<RegionCode, number>,
  after: ReadonlyMap<RegionCode, number>,
): Omit<ChangeEvidence, 'predictedLanding' | 'receiverUtilizationPercent' | 'addedLatencyMs' | 'notes'> {
  const rp = policy.regions[region];
  const measured = basis.regions.get(region)?.measuredPercent;
  const b = before.get(region);
  const a = after.get(region);
  return {
    utilizationPercent: measured === undefined ? null : round1(measured),
    predictedIfUnchangedPercent: b === undefined ? null : round1(b),
    predictedUtilizationPercent: a === undefined ? null : round1(a),
    targetPercent: rp?.targetPercent ?? 100,
    drainAbovePercent: rp?.drainAbovePercent ?? 100,
    restoreBelowPercent: rp?.restoreBelowPercent ?? 0,
  };
}

/** Regions that receive more demand with the plan than without it. */
function receiversOf(objective: Objective, before: Trial, after: Trial, predictedAfter: ReadonlyMap<RegionCode, number>): RegionCode[] {
  return objective.regions
    .filter((r) => (after.routed[r.index] as number) > (before.routed[r.index] as number) * (1 + 1e-9) + 1e-9)
    .map((r) => r.region)
    .filter((r) => predictedAfter.has(r));
}

function whyNotes(
  reason: DialChange['reason'],
  tier: TierName | undefined,
  region: ObjectiveRegion | undefined,
  before: ReadonlyMap<RegionCode, number>,
  after: ReadonlyMap<RegionCode, number>,
  receivers: readonly RegionCode[],
): string[] {
  const name = region?.region;
  const u = (r: RegionCode | undefined): string => (r === undefined ? 'n/a' : `${round1(before.get(r) ?? 0)} % -> ${round1(after.get(r) ?? 0)} %`);
  const overCapacity = [...before].filter(([, x]) => x > 100).map(([r]) => r);
  if (reason === 'DialRestored') {
    if (tier === 'capacity' && name !== undefined && (after.get(name) ?? 0) > 100) {
      // A lowered dial given back where the overload cannot be absorbed (Objective, tier 1).
      const relieved = overCapacity.filter((r) => r !== name && (after.get(r) ?? 0) < (before.get(r) ?? 0));
      return [
        `gives ${name} its own users back (${u(name)}): the other Regions cannot take the load above capacity, so it stays in one Region rather than two${relieved.length > 0 ? ` (${relieved.map((r) => `${r} ${u(r)}`).join(', ')})` : ''}`,
      ];
    }
    return tier === 'latency' || tier === undefined
      ? [`restores users to a nearer Region: every Region stays within its threshold (${name ?? 'this Region'} ${u(name)})`]
      : [`raising it relieves ${overCapacity.length > 0 ? overCapacity.join(', ') : 'the Regions that spill here'} (${name ?? ''} ${u(name)})`];
  }
  if (tier === 'margin') {
    return [`keeps Regions out of the last 5 % before capacity where it can: ${[...before].filter(([, x]) => x > 95).map(([r]) => `${r} ${u(r)}`).join(', ')}`];
  }
  if (tier === 'capacity') {
    const receiversOver = receivers.some((r) => (after.get(r) ?? 0) > 100);
    const tail = receivers.length === 0 ? '' : receiversOver ? '; the receivers are over capacity too: the load is spread so that no Region is as far over' : '; receivers stay within capacity';
    return [`relieves load above capacity: ${overCapacity.map((r) => `${r} ${u(r)}`).join(', ')}${tail}`];
  }
  if (region !== undefined && region.hot) return [`${region.region} runs hot (heading for ${round1(region.aheadPercent)} %, drain above ${region.drainAbovePercent} %): brought toward its ${region.targetPercent} % target (${u(name)})`];
  return [`passes spill on: ${name ?? 'this Region'} ${u(name)} over its threshold while Regions further on have room`];
}

function stepNotes(b: VariableBounds, after: number, region: ObjectiveRegion | undefined, predictedAfter: ReadonlyMap<RegionCode, number>): string[] {
  const still = region !== undefined && (predictedAfter.get(region.region) ?? 0) > region.thresholdPercent + 0.05;
  if (!still) return [];
  if (after <= b.floorPercent + 1e-9) return [`dial floor ${b.floorPercent} % reached: ${b.variable.regionCode} stays above its threshold`];
  if (after <= b.lowPercent + 1e-9) return [`step limited to the maximum step: more relief next cycle`];
  return [];
}

/** For every hot Region still above its threshold after the plan: which limit stopped the planner. */
function limitHolds(input: ExplainInput, predictedAfter: ReadonlyMap<RegionCode, number>): Hold[] {
  const { objective, result, search, budget, policy } = input;
  const holds: Hold[] = [];
  // A hot Region with no healthy endpoint: GA already fails its new users over, whatever its dial says.
  for (const b of input.basis.regions.values()) {
    const rp = policy.regions[b.region];
    if (b.healthy || rp === undefined || b.measuredPercent === undefined || b.measuredPercent <= rp.drainAbovePercent) continue;
    holds.push(
      regionHold(b.region, 'NoHealthyEndpoints', `${b.region} has no healthy endpoint: GA already sends its new users to other Regions, so its dial changes nothing; its ${round1(b.measuredPercent)} % is flows that started before`, {
        utilizationPercent: round1(b.measuredPercent),
      }),
    );
  }
  for (const region of objective.regions) {
    const u = predictedAfter.get(region.region) ?? 0;
    if (!(region.hot || u > 100) || u <= region.thresholdPercent + 0.05) continue;
    const vars = input.bounds.filter((b) => b.variable.region === region.index);
    // A group cooling down may still step down while its Region heads above capacity
    // (overloadSkipsCooldown): if it did not, the cooldown is not why, and the hold says what is.
    const movable = vars.filter((b) => b.stay === undefined || b.coolingDown);
    const evidence = { predictedUtilizationPercent: round1(u), targetPercent: region.targetPercent };
    if (movable.length === 0) continue; // frozen: its pin, cooldown or override hold says why
    if (objective.regions.every((r) => r.index === region.index)) {
      holds.push(regionHold(region.region, 'LastHealthyRegion', `${region.region} is the only healthy Region: there is nowhere to offload it, and it is never drained`, evidence));
      continue;
    }
    const dials = movable.map((b) => ({ b, dial: (result.trial.dials[b.variable.index] as number) * 100 }));
    if (dials.every(({ b, dial }) => dial <= b.floorPercent + 1e-9)) {
      holds.push(regionHold(region.region, 'DialFloorReached', `${region.region} is at its dial floor and still heading for ${round1(u)} % (target ${region.targetPercent} %)`, evidence));
      continue;
    }
    if (dials.every(({ b, dial }) => dial <= b.lowPercent + 1e-9)) continue; // step-limited: the change's note says so
    // One more grid step down for the Region's groups: what would it break?
    const moves = new Map(dials.map(({ b, dial }) => [b.variable.index, Math.max(b.lowPercent, dial - Math.max(1, policy.guardrails.maxStepPercent / 4)) / 100]));
    const trial = result.evaluator.trial(moves);
    const reason = blockingReason(input, trial, region, result.score);
    if (reason !== undefined) holds.push(regionHold(region.region, reason.reason, reason.message, evidence));
    void budget;
  }
  return holds;
}

/**
 * A cool Region left below 100 % that the plan does not restore, because even its smallest raise would
 * push it over its target: the hold says so, rather than leave the operator to wonder.
 */
function restoreHolds(input: ExplainInput, predictedAfter: ReadonlyMap<RegionCode, number>): Hold[] {
  const { objective, result, policy } = input;
  const holds: Hold[] = [];
  for (const region of objective.regions) {
    const rp = policy.regions[region.region];
    if (rp === undefined || region.aheadPercent >= rp.restoreBelowPercent) continue;
    const vars = input.bounds.filter((b) => b.variable.region === region.index && b.stay === undefined && b.onlyForCapacity.size === 0);
    const raisable = vars.filter((b) => (result.trial.dials[b.variable.index] as number) * 100 < 100 - 1e-9 && b.candidates.some((d) => d > b.startPercent + 1e-9));
    if (raisable.length === 0 || vars.some((b) => (result.trial.dials[b.variable.index] as number) * 100 > b.startPercent + 1e-9)) continue;
    const moves = new Map(raisable.map((b) => [b.variable.index, (b.candidates.find((d) => d > b.startPercent + 1e-9) as number) / 100]));
    const raised = objective.utilization(result.evaluator.trial(moves), region);
    if (raised <= rp.targetPercent) continue;
    const now = predictedAfter.get(region.region) ?? region.aheadPercent;
    holds.push(
      regionHold(
        region.region,
        'InsufficientCapacity',
        `${region.region} is cool (${round1(now)} %) but even the smallest restore step would take it to ${round1(raised)} %, over its ${rp.targetPercent} % target: its dial stays`,
        { predictedUtilizationPercent: round1(raised), targetPercent: rp.targetPercent },
      ),
    );
  }
  return holds;
}

function blockingReason(input: ExplainInput, trial: Trial, region: ObjectiveRegion, best: Score): { reason: HoldReason; message: string } | undefined {
  const { search, budget, objective, result } = input;
  if (!search.feasible(trial)) {
    const serving = input.policy.guardrails.minRegionsServing;
    return serving <= 1
      ? { reason: 'LastHealthyRegion', message: `${region.region} is the last healthy Region serving: it is never drained` }
      : { reason: 'MinRegionsServing', message: `offloading ${region.region} further would leave fewer than ${serving} Regions serving` };
  }
  const score = search.score(trial);
  const violation = budget.check(trial, result.evaluator);
  // Relief of load above capacity may break the budget (latency.budgetYieldsToCapacity): then it did not block.
  if (violation !== undefined && !search.budgetYields(trial, score, best)) {
    return {
      reason: 'LatencyBudgetExceeded',
      message: `offloading ${region.region} further would cost ${violation.clientGroup} +${round1(violation.addedMs)} ms, over the ${input.policy.latency.budgetMs} ms budget`,
    };
  }
  if (objective.compare(score, best) <= 0) return undefined;
  const after = objective.predicted(trial);
  const pushed = objective.regions
    .filter((r) => r.index !== region.index && (after.get(r.region) ?? 0) > (result.trial.routed[r.index] as number) * r.coef + r.offset + 1e-6)
    .filter((r) => (after.get(r.region) ?? 0) > Math.min(100, r.thresholdPercent))
    .map((r) => `${r.region} (${round1(after.get(r.region) ?? 0)} %)`);
  if (pushed.length > 0) {
    const overCapacity = objective.tier(best, score) === 'capacity';
    return {
      reason: 'ReceiverAtCapacity',
      message: `offloading ${region.region} further would push ${pushed.join(', ')} over ${overCapacity ? 'capacity' : 'target'}`,
    };
  }
  return { reason: 'InsufficientCapacity', message: `no dial setting lowers ${region.region} further without costing more than it relieves` };
}

function regionHold(region: RegionCode, reason: HoldReason, message: string, evidence: Hold['evidence']): Hold {
  return { scope: { kind: 'region', region }, reason, message, evidence };
}

/** Whether the others can absorb the load heading over capacity (the decision's record), when any is. */
export function overloadRecord(objective: Objective, totalDemand: number): { overload?: OverloadRecord } {
  if (!(objective.overloadDemand > 0) || !(totalDemand > 0)) return {};
  const share = (x: number): number => round1((100 * x) / totalDemand);
  return { overload: { overCapacityDemandPercent: share(objective.overloadDemand), roomDemandPercent: share(objective.roomDemand), absorbable: !objective.overloadExceedsRoom } };
}

export function figures(s: Score, totalDemand: number): ObjectiveFigures {
  const share = (x: number): number => (totalDemand > 0 ? round1((100 * x) / totalDemand) : 0);
  return {
    worstOverCapacityPoints: round1(s.worstOverCapacity),
    overCapacityDemandPercent: share(s.totalOverCapacity),
    inCapacityMarginDemandPercent: share(s.totalInMargin),
    overThresholdDemandPercent: share(s.demandOverThreshold),
    meanRttMs: round1(s.meanRttMs),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
