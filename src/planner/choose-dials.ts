// Chooses a dial per Region: offload hot Regions at the least latency cost, restore cool ones gradually,
// and respect the guardrails that shape a single cycle (floor, step, minimum Regions serving, last
// healthy Region, latency budget, receivers' targets). Holds that freeze a Region (pins, cooldown, human
// override) are decided before and arrive here as `frozen`.

import { roundDial, type RegionCode } from '../domain/traffic.js';
import type { HoldReason } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import { predictMovedCost, predictUtilization, type MovedCost, type TrafficModel } from './traffic-model.js';

/** The planner's dial grid: fine enough to hit a target, coarse enough to keep plans readable. */
const DIAL_GRID_PERCENT = 0.5;

export interface DialPlanningInput {
  readonly policy: Policy;
  readonly model: TrafficModel;
  /** Region-level dials now. */
  readonly current: ReadonlyMap<RegionCode, number>;
  /** Measured utilization, percent, per governed Region. */
  readonly utilization: ReadonlyMap<RegionCode, number>;
  readonly frozen: ReadonlySet<RegionCode>;
}

export interface RegionDialDecision {
  readonly region: RegionCode;
  readonly fromPercent: number;
  readonly toPercent: number;
  readonly reason: 'DialReduced' | 'DialRestored';
  readonly cost: MovedCost;
  readonly notes: readonly string[];
}

export interface RegionBlock {
  readonly region: RegionCode;
  readonly reason: HoldReason;
  readonly message: string;
}

export interface DialPlan {
  readonly dials: ReadonlyMap<RegionCode, number>;
  readonly decisions: readonly RegionDialDecision[];
  readonly blocks: readonly RegionBlock[];
}

export type RegionCondition = 'hot' | 'warm' | 'cool';

export function classifyRegion(policy: Policy, region: RegionCode, utilizationPercent: number): RegionCondition {
  const rp = policy.regions[region];
  if (rp === undefined) return 'warm';
  if (utilizationPercent > rp.drainAbovePercent) return 'hot';
  if (utilizationPercent < rp.restoreBelowPercent) return 'cool';
  return 'warm';
}

export function chooseDials(input: DialPlanningInput): DialPlan {
  const { policy, model, utilization, frozen } = input;
  const dials = new Map(input.current);
  const decisions: RegionDialDecision[] = [];
  const blocks: RegionBlock[] = [];
  const g = policy.guardrails;

  const hot = [...utilization.entries()]
    .filter(([r, u]) => classifyRegion(policy, r, u) === 'hot')
    .sort(([a, ua], [b, ub]) => ub / target(policy, b) - ua / target(policy, a) || a.localeCompare(b))
    .map(([r]) => r);

  for (const region of hot) {
    if (frozen.has(region)) continue;
    const from = dials.get(region) ?? 100;
    const floor = policy.regions[region]?.dialFloorPercent ?? g.dialFloorPercent;
    if (!(model.health.get(region) ?? false)) {
      blocks.push({ region, reason: 'NoHealthyEndpoints', message: `${region} has no healthy endpoint: GA already fails its users over, whatever the dial` });
      continue;
    }
    if (healthyServing(model, dials).length <= 1) {
      blocks.push({ region, reason: 'LastHealthyRegion', message: `${region} is the last healthy Region serving: it is never drained` });
      continue;
    }
    if (from <= floor + 1e-9) {
      blocks.push({ region, reason: 'DialFloorReached', message: `${region} is at its dial floor (${floor} %) and still hot` });
      continue;
    }
    const lower = Math.max(floor, from - g.maxStepPercent);
    const before = predictUtilization(model, dials);
    let best: { dial: number; score: [number, number]; cost: MovedCost } | undefined;
    let blockedBy: { reason: HoldReason; message: string } | undefined;
    for (const candidate of candidatesDown(from, lower)) {
      const trial = new Map(dials).set(region, candidate);
      if (candidate === 0 && healthyServing(model, trial).length < g.minRegionsServing) {
        blockedBy ??= { reason: 'MinRegionsServing', message: `draining ${region} would leave fewer than ${g.minRegionsServing} Regions serving` };
        continue;
      }
      const cost = predictMovedCost(model, input.current, trial);
      if (cost.worstAddedMs > policy.latency.budgetMs) {
        blockedBy ??= {
          reason: 'LatencyBudgetExceeded',
          message: `offloading ${region} further would cost ${cost.worstClientGroup ?? 'a client group'} +${round1(cost.worstAddedMs)} ms, over the ${policy.latency.budgetMs} ms budget`,
        };
        continue;
      }
      const predicted = predictUtilization(model, trial);
      const overloaded = receiversPushedOverTarget(policy, region, before, predicted);
      if (overloaded.length > 0) {
        blockedBy ??= { reason: 'ReceiverAtCapacity', message: `offloading ${region} further would push ${overloaded.join(', ')} over target` };
        continue;
      }
      const score = overloadScore(policy, predicted);
      if (best === undefined || lexLess(score, best.score)) best = { dial: candidate, score, cost };
    }
    const baseline = overloadScore(policy, predictUtilization(model, dials));
    if (best === undefined || best.dial >= from || !lexLess(best.score, baseline)) {
      const receiverFull = best !== undefined && best.dial < from;
      blocks.push(
        blockedBy !== undefined
          ? { region, ...blockedBy }
          : (receiverFull
            ? { region, reason: 'ReceiverAtCapacity', message: `offloading ${region} would push a receiving Region over its target` }
            : { region, reason: 'InsufficientCapacity', message: `no dial for ${region} lowers overload: the other Regions cannot take its traffic` }),
      );
      continue;
    }
    const notes: string[] = [];
    const after = predictUtilization(model, new Map(dials).set(region, best.dial));
    const stillOver = (after.get(region) ?? 0) > target(policy, region);
    if (stillOver && best.dial <= lower + 1e-9 && lower > floor) notes.push(`step limited to ${g.maxStepPercent} points: more relief next cycle`);
    else if (stillOver && best.dial <= floor + 1e-9) notes.push(`dial floor ${floor} % reached: ${region} stays above target`);
    else if (stillOver && blockedBy !== undefined) notes.push(`partial relief: ${blockedBy.message}`);
    else if (stillOver) notes.push('partial relief: a lower dial would push a receiving Region over its target');
    dials.set(region, best.dial);
    decisions.push({ region, fromPercent: from, toPercent: best.dial, reason: 'DialReduced', cost: best.cost, notes });
  }

  relieveMutuallyBlocked(input, hot, dials, decisions, blocks);

  // Restore cool Regions gradually, most-restored first so the nearest users come back first.
  const restorable = [...utilization.entries()]
    .filter(([r, u]) => !frozen.has(r) && (dials.get(r) ?? 100) < 100 - 1e-9 && classifyRegion(policy, r, u) === 'cool')
    .filter(([r]) => !decisions.some((d) => d.region === r))
    .sort(([a], [b]) => (dials.get(a) ?? 100) - (dials.get(b) ?? 100) || a.localeCompare(b))
    .map(([r]) => r);
  for (const region of restorable) {
    const from = dials.get(region) ?? 100;
    // A dial below its floor (set by hand, or the floor was raised) comes back to the floor first.
    const floor = policy.regions[region]?.dialFloorPercent ?? g.dialFloorPercent;
    const upper = Math.min(100, Math.max(floor, from + g.restoreStepPercent));
    const baseline = overloadScore(policy, predictUtilization(model, dials));
    let chosen: number | undefined;
    for (const candidate of candidatesDown(upper, from).filter((c) => c > from + 1e-9 && c >= floor - 1e-9)) {
      const trial = new Map(dials).set(region, candidate);
      const predicted = predictUtilization(model, trial);
      if ((predicted.get(region) ?? 0) > target(policy, region)) continue;
      if (lexLess(baseline, overloadScore(policy, predicted))) continue;
      chosen = candidate;
      break;
    }
    if (chosen === undefined) {
      blocks.push({ region, reason: 'InsufficientCapacity', message: `restoring ${region} would push it over its ${target(policy, region)} % target; its dial stays` });
      continue;
    }
    const cost = predictMovedCost(model, dials, new Map(dials).set(region, chosen));
    dials.set(region, chosen);
    decisions.push({ region, fromPercent: from, toPercent: chosen, reason: 'DialRestored', cost, notes: [] });
  }
  return { dials, decisions, blocks };
}

/** Receivers that would end above their target with more load than they have now. */
function receiversPushedOverTarget(
  policy: Policy,
  offloaded: RegionCode,
  before: ReadonlyMap<RegionCode, number>,
  after: ReadonlyMap<RegionCode, number>,
): RegionCode[] {
  const out: RegionCode[] = [];
  for (const [r, u] of after) {
    if (r === offloaded) continue;
    if (u > target(policy, r) + 1e-6 && u > (before.get(r) ?? 0) + 1e-6) out.push(r);
  }
  return out;
}

/**
 * Hot Regions that are each other's spill targets (Frankfurt spills to Dublin and Dublin to Frankfurt)
 * block each other one at a time. Lowered together, part of each one's spill passes on to a Region with
 * room. Try equal steps for the whole group and keep the smallest step that lowers overload most.
 */
function relieveMutuallyBlocked(
  input: DialPlanningInput,
  hot: readonly RegionCode[],
  dials: Map<RegionCode, number>,
  decisions: RegionDialDecision[],
  blocks: RegionBlock[],
): void {
  const { policy, model } = input;
  const g = policy.guardrails;
  const stuck = hot.filter((r) => blocks.some((b) => b.region === r && b.reason === 'ReceiverAtCapacity'));
  if (stuck.length < 2) return;
  const from = new Map(stuck.map((r) => [r, dials.get(r) ?? 100]));
  const floorOf = (r: RegionCode): number => policy.regions[r]?.dialFloorPercent ?? g.dialFloorPercent;
  const before = predictUtilization(model, dials);
  const baseline = overloadScore(policy, before);
  let best: { step: number; trial: Map<RegionCode, number>; score: [number, number]; cost: MovedCost } | undefined;
  for (let step = DIAL_GRID_PERCENT; step <= g.maxStepPercent + 1e-9; step += DIAL_GRID_PERCENT) {
    const trial = new Map(dials);
    for (const r of stuck) trial.set(r, roundDial(Math.max(floorOf(r), (from.get(r) ?? 100) - step)));
    if (healthyServing(model, trial).length < Math.min(g.minRegionsServing, healthyServing(model, dials).length)) continue;
    const predicted = predictUtilization(model, trial);
    const pushed = receiversPushedOverTarget(policy, '', before, predicted).filter((r) => !stuck.includes(r));
    if (pushed.length > 0) continue;
    const cost = predictMovedCost(model, input.current, trial);
    if (cost.worstAddedMs > policy.latency.budgetMs) continue;
    const score = overloadScore(policy, predicted);
    if (best === undefined || lexLess(score, best.score)) best = { step, trial, score, cost };
  }
  if (best === undefined || !lexLess(best.score, baseline)) return;
  for (const r of stuck) {
    const to = best.trial.get(r) ?? 100;
    if (to >= (from.get(r) ?? 100)) continue;
    dials.set(r, to);
    const i = blocks.findIndex((b) => b.region === r && b.reason === 'ReceiverAtCapacity');
    if (i >= 0) blocks.splice(i, 1);
    decisions.push({
      region: r,
      fromPercent: from.get(r) ?? 100,
      toPercent: to,
      reason: 'DialReduced',
      cost: best.cost,
      notes: [`offloaded together with ${stuck.filter((x) => x !== r).join(', ')}: they spill into each other`],
    });
  }
}

function target(policy: Policy, region: RegionCode): number {
  return policy.regions[region]?.targetPercent ?? 100;
}

/** (worst overload, total overload) in utilization points above target; lower is better. */
function overloadScore(policy: Policy, predicted: ReadonlyMap<RegionCode, number>): [number, number] {
  let worst = 0;
  let total = 0;
  for (const [r, u] of predicted) {
    const over = Math.max(0, u - target(policy, r));
    worst = Math.max(worst, over);
    total += over;
  }
  return [round2(worst), round2(total)];
}

function lexLess(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Dials from `from` down to `to` on the grid, both ends included. */
function candidatesDown(from: number, to: number): number[] {
  const out: number[] = [];
  const start = roundDial(from);
  for (let c = Math.floor(start / DIAL_GRID_PERCENT) * DIAL_GRID_PERCENT; c >= to - 1e-9; c -= DIAL_GRID_PERCENT) {
    out.push(roundDial(c));
  }
  const last = roundDial(to);
  if (out[out.length - 1] !== last) out.push(last);
  if (out[0] !== start) out.unshift(start);
  return out;
}

function healthyServing(model: TrafficModel, dials: ReadonlyMap<RegionCode, number>): RegionCode[] {
  return model.regions.filter((r) => (model.health.get(r) ?? false) && (dials.get(r) ?? 100) > 0);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
