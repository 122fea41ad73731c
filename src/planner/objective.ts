// What the planner minimises, in this order (issue: "one joint decision"):
//  1. predicted load above 100 % of capacity: never more than at the current dials (a higher worst
//     Region, or as high a worst and more in total; see below for the one exception); then the number
//     of Regions over capacity, the Region least over capacity (see below) and the total (in demand
//     units: a user over capacity counts the same wherever he is). Counting Regions
//     first contains an overload the Regions cannot absorb: a receiver is not filled past capacity to
//     share a hot Region's excess, which would leave two Regions over capacity where there was one.
//     Where the Regions cannot absorb the overload (more users over capacity than room below the
//     margin everywhere else), a receiver the setting fills into its capacity margin (tier 2) counts
//     as over capacity here: the prediction is a few points off, so one filled to 100 % is over
//     capacity half of the time, and with a Region over capacity anyway that is a second Region over
//     for none relieved. Where the overload fits (the hot Region relieved over a few steps), filling
//     receivers is how it is relieved, and the margin tier alone holds them back.
//     The worst Region's excess alone is no gain: moving users from one Region over capacity to
//     another that stays over serves no one more, and it once sent Europe's users to Mexico (mean
//     latency 60 ms, GA alone 24 ms) to even three Regions out at 120-160 %. It only breaks ties after latency.
//     Where the overload cannot be absorbed and two or more Regions are over capacity, the users over
//     capacity in the Region least over it count next: fewer there is the way, step by step, to one
//     Region fewer over capacity (a step rarely clears a Region at once, and the count alone gives the
//     search no direction). The same holds the exception to the first rule: a lowered dial may be given
//     back (no dial lowered) though the worst Region rises, when no more Regions are over capacity and
//     fewer users are in the one least over. Cuts made while there was room otherwise trap the overload
//     in two Regions once the room is gone (a Region fails, demand spikes): the Region they relieved
//     cannot take its own users back, as it is the worst, and its receiver stays over capacity too;
//  2. predicted load within the capacity margin (above 95 %, lower for a Region the setting fills: a
//     quarter of a point per point it adds): a prediction is minutes ahead and a few points off, more
//     so the more load it moves, so a Region left just under capacity is over it half of the time;
//  3. predicted load that a plan pushes past the drain threshold of a Region that is not hot (it would
//     make that Region hot: the flood a receiver must be spared), then load above each Region's
//     threshold, in demand units: its target when it runs hot
//     (above drainAbovePercent, or within the capacity margin) at the current dials; otherwise its
//     target or, inside the hysteresis band, its current predicted level, so a warm Region is neither
//     drained nor filled further for nothing. Counted in users, not points, so moving users between
//     two Regions that are both over their thresholds is no gain (it would only trade latency); a
//     user pushed over the threshold of a Region that is not hot counts twice, so a receiver is filled
//     to its threshold and not past it to spare a hot Region the same number of users;
//  4. the latency users pay: demand-weighted mean RTT of where they land;
//  5. the worst Region's excess (see 1), then the size of the change.
// Each tier compares with a tolerance: a difference below it is no difference, so noise in the
// figures does not turn into dial changes.

import type { RegionCode } from '../domain/traffic.js';
import type { Policy } from '../policy/schema.js';
import type { Trial } from './dial-evaluator.js';
import type { RegionBasis } from './load-basis.js';
import type { TrafficModel } from './traffic-model.js';

export interface Score {
  /**
   * 1 when the setting predicts more load above capacity than the current dials (a higher worst
   * Region, or as high a worst and more in total), else 0: no count of Regions buys that.
   */
  readonly moreOverloadThanUnchanged: number;
  /** Regions predicted over capacity, and, where the overload exceeds the room (Objective.overloadExceedsRoom), Regions the setting fills into their capacity margin. */
  readonly regionsOverCapacity: number;
  /** Utilization points. */
  readonly worstOverCapacity: number;
  /**
   * Where the overload exceeds the room (Objective.overloadExceedsRoom) and two or more Regions are
   * over capacity: the demand units over capacity in the Region least over it; 0 otherwise.
   */
  readonly leastOverCapacity: number;
  /** Demand units. */
  readonly totalOverCapacity: number;
  readonly totalInMargin: number;
  /** Demand units past the drain threshold of Regions that are not hot. */
  readonly receiversPastDrain: number;
  /** Demand units over the thresholds, those over a receiver's (a Region not hot) counted twice. */
  readonly totalOverThreshold: number;
  /** The same, each user counted once: for the plan's figures. */
  readonly demandOverThreshold: number;
  readonly meanRttMs: number;
  /** Dial points moved, summed over groups. */
  readonly changePoints: number;
}

/** How much a user pushed over a receiver's threshold weighs against one taken off a hot Region's. */
const RECEIVER_WEIGHT = 2;

/** Above this share of capacity a Region counts as at capacity for tier 2 (and as hot). */
export const CAPACITY_MARGIN_PERCENT = 95;
/**
 * Flows left after one flow lifetime (e^-1): load above capacity is judged both where a setting leads
 * and one flow lifetime after it, when the flows alive now still hold this share. An overloaded Region
 * is relieved within one lifetime, not only in the end; a receiver, whose load rises, is judged where
 * it ends up (the higher of the two).
 */
const FLOWS_LEFT_AFTER_ONE_LIFETIME = Math.exp(-1);

/** Utilization `u` where a setting leads, as the capacity tiers judge it, given the Region's reading now (if it stands for its load). */
export function capacityViewPercent(u: number, measuredPercent: number | undefined): number {
  return measuredPercent === undefined ? u : Math.max(u, FLOWS_LEFT_AFTER_ONE_LIFETIME * measuredPercent + (1 - FLOWS_LEFT_AFTER_ONE_LIFETIME) * u);
}

/**
 * A Region a setting fills is judged against a lower margin, by this many points per point of load it
 * adds: the model's error grows with the load it moves (a reading minutes later is off by a share of
 * what moved), and a Region filled to just under 95 % is then over capacity as often as not.
 */
const MARGIN_PER_POINT_FILLED = 0.25;

/** Tolerances: utilization points (the worst Region; the demand tiers as points of the smallest Region); ms. */
const TOLERANCE = { count: 0.5, worstPoints: 0.5, regionPoints: 0.5, rttMs: 0.01, change: 1e-9 } as const;

export interface ObjectiveRegion {
  readonly region: RegionCode;
  readonly index: number;
  readonly coef: number;
  readonly offset: number;
  readonly targetPercent: number;
  readonly drainAbovePercent: number;
  /** Tier-2 threshold for this decision. */
  readonly thresholdPercent: number;
  /** Predicted utilization at the current dials: where the Region is heading if nothing changes. */
  readonly aheadPercent: number;
  /** The Region's last reading, when it stands for its load now (not for a Region just down or back). */
  readonly measuredPercent: number | undefined;
  readonly hot: boolean;
}

export class Objective {
  readonly regions: readonly ObjectiveRegion[];
  /** demandTolerance(), fixed once the regions are: the search compares scores thousands of times. */
  private readonly tolerance: number;
  /** Load above capacity at the current dials: worst (points) and total (demand units). */
  private readonly unchanged: { readonly worst: number; readonly total: number; readonly count: number; readonly least: number };
  /**
   * Whether the Regions cannot absorb the load above capacity heading their way: more users over
   * capacity at the current dials than there is room below the capacity margin in every other Region.
   * Then some Region stays over capacity whatever the dials, and a receiver filled into its margin
   * counts as over capacity (tier 1).
   */
  readonly overloadExceedsRoom: boolean;
  /** The two sides of that comparison, in demand units: users over capacity at the current dials, and room below the margin elsewhere. */
  readonly overloadDemand: number;
  readonly roomDemand: number;

  constructor(
    policy: Policy,
    private readonly model: TrafficModel,
    basis: ReadonlyMap<RegionCode, RegionBasis>,
    current: Trial,
  ) {
    const regions: ObjectiveRegion[] = [];
    for (const b of basis.values()) {
      const rp = policy.regions[b.region];
      if (rp === undefined || !b.healthy) continue;
      const ahead = Math.max(0, b.coef * (current.routed[b.index] as number) + b.offset);
      const hot = ahead > rp.drainAbovePercent || ahead > CAPACITY_MARGIN_PERCENT;
      const threshold = hot ? rp.targetPercent : Math.max(rp.targetPercent, Math.min(rp.drainAbovePercent, ahead));
      regions.push({
        region: b.region,
        index: b.index,
        coef: b.coef,
        offset: b.offset,
        targetPercent: rp.targetPercent,
        drainAbovePercent: rp.drainAbovePercent,
        thresholdPercent: threshold,
        aheadPercent: ahead,
        measuredPercent: b.healthy ? b.measuredPercent : undefined,
        hot,
      });
    }
    this.regions = regions.sort((a, b) => a.index - b.index);
    this.tolerance = this.demandTolerance();
    let excess = 0;
    let room = 0;
    for (const r of this.regions) {
      const perPoint = 1 / Math.max(1e-12, r.coef);
      excess += Math.max(0, r.aheadPercent - 100) * perPoint;
      room += Math.max(0, CAPACITY_MARGIN_PERCENT - r.aheadPercent) * perPoint;
    }
    this.overloadExceedsRoom = excess > room;
    this.overloadDemand = excess;
    this.roomDemand = room;
    // The current dials are scored like any setting; only their flag against themselves (unused) reads this placeholder.
    this.unchanged = { worst: 0, total: 0, count: 0, least: 0 };
    const now = this.score(current, current.dials);
    this.unchanged = { worst: now.worstOverCapacity, total: now.totalOverCapacity, count: now.regionsOverCapacity, least: now.leastOverCapacity };
  }

  utilization(trial: Trial, region: ObjectiveRegion): number {
    // A Region's residual can exceed what the model routes there once routing moves: no load is below 0.
    return Math.max(0, region.coef * (trial.routed[region.index] as number) + region.offset);
  }

  /** Utilization `u` (where a setting leads) as the capacity tiers judge it: the higher of it and its level one flow lifetime on. */
  capacityView(region: ObjectiveRegion, u: number): number {
    return capacityViewPercent(u, region.measuredPercent);
  }

  /** Predicted utilization per Region for a trial. */
  predicted(trial: Trial): Map<RegionCode, number> {
    return new Map(this.regions.map((r) => [r.region, this.utilization(trial, r)]));
  }

  score(trial: Trial, currentDials: Float64Array): Score {
    let worst = 0;
    let total = 0;
    let count = 0;
    let least = Number.POSITIVE_INFINITY;
    let margin = 0;
    let overThreshold = 0;
    let demandOverThreshold = 0;
    let pastDrain = 0;
    for (const r of this.regions) {
      const u = this.utilization(trial, r);
      const uCap = this.capacityView(r, u);
      // Points over a line, in demand units (divided by coef): how many users those points are.
      const perPoint = 1 / Math.max(1e-12, r.coef);
      const marginLine = CAPACITY_MARGIN_PERCENT - MARGIN_PER_POINT_FILLED * Math.max(0, u - r.aheadPercent);
      if (uCap > 100) {
        count += 1;
        worst = Math.max(worst, uCap - 100);
        total += (uCap - 100) * perPoint;
        least = Math.min(least, (uCap - 100) * perPoint);
      } else if (this.overloadExceedsRoom && u > r.aheadPercent + TOLERANCE.regionPoints && uCap > marginLine) {
        // Filled into its margin: over capacity as often as not when the load lands (see tier 1).
        count += 1;
      }
      if (uCap > marginLine) margin += (Math.min(uCap, 100) - marginLine) * perPoint;
      if (!r.hot && u > r.drainAbovePercent) pastDrain += (u - r.drainAbovePercent) * perPoint;
      if (u > r.thresholdPercent) {
        const users = (u - r.thresholdPercent) * perPoint;
        demandOverThreshold += users;
        overThreshold += r.hot ? users : RECEIVER_WEIGHT * users;
      }
    }
    const leastOver = this.overloadExceedsRoom && count >= 2 && Number.isFinite(least) ? least : 0;
    let change = 0;
    let lowered = false;
    for (let v = 0; v < trial.dials.length; v += 1) {
      const d = (trial.dials[v] as number) - (currentDials[v] as number);
      change += Math.abs(d) * 100;
      if (d < -1e-12) lowered = true;
    }
    const demand = this.model.totalDemandAhead;
    const was = this.unchanged;
    // A lowered dial given back where the overload cannot be absorbed (tier 1): no user is sent away.
    // Where it can, leastOver is 0 at every setting, so nothing is given back.
    const givesBack = !lowered && count <= was.count && leastOver < was.least - this.tolerance;
    const worse = !givesBack && (worst > was.worst + EPSILON * Math.max(1, was.worst) || (worst >= was.worst - TOLERANCE.worstPoints && total > was.total + EPSILON * Math.max(1, was.total)));
    return {
      moreOverloadThanUnchanged: worse ? 1 : 0,
      regionsOverCapacity: count,
      leastOverCapacity: leastOver,
      worstOverCapacity: worst,
      totalOverCapacity: total,
      totalInMargin: margin,
      receiversPastDrain: pastDrain,
      totalOverThreshold: overThreshold,
      demandOverThreshold,
      meanRttMs: demand > 0 ? trial.rttTotal / demand : 0,
      changePoints: change,
    };
  }

  /** Negative when `a` is better than `b`, positive when worse, 0 when equal within the tolerances. */
  compare(a: Score, b: Score): number {
    return compareScores(a, b, this.tolerance);
  }

  /** Whether `a` relieves as much as `b`: no worse, beyond the tolerances, in any tier but latency and the change's size (the worst Region's tie-break included). */
  reliefNoWorse(a: Score, b: Score): boolean {
    const tol = this.tolerance;
    return tiers(a, b, tol).every(([name, x, y, t]) => name === 'latency' || name === 'change' || x <= y + t);
  }

  /**
   * Whether `a` predicts less load above capacity than `b`: less in total (more users served), and no
   * higher worst Region. Fewer Regions over capacity alone is not enough, nor a lower worst Region alone
   * (the latency budget gives way to this, not to pulling one Region just under capacity, nor to
   * evening out Regions that all stay over capacity, at any cost in latency).
   */
  relievesOverload(a: Score, b: Score): boolean {
    if (a.moreOverloadThanUnchanged > b.moreOverloadThanUnchanged) return false;
    return a.worstOverCapacity <= b.worstOverCapacity + EPSILON * Math.max(1, b.worstOverCapacity) && a.totalOverCapacity < b.totalOverCapacity - this.tolerance;
  }

  /**
   * Whether a setting predicts less load above capacity than the current dials in the given Regions
   * (Region indices), in demand units and beyond the tolerance, each Region as the capacity tiers judge it.
   */
  relievesOverloadIn(trial: Trial, regions: ReadonlySet<number>): boolean {
    let before = 0;
    let after = 0;
    for (const r of this.regions) {
      if (!regions.has(r.index)) continue;
      const perPoint = 1 / Math.max(1e-12, r.coef);
      before += Math.max(0, this.capacityView(r, r.aheadPercent) - 100) * perPoint;
      after += Math.max(0, this.capacityView(r, this.utilization(trial, r)) - 100) * perPoint;
    }
    return after < before - this.tolerance;
  }

  /** The tier in which `a` beats `b`. */
  tier(a: Score, b: Score): TierName | undefined {
    return decisiveTier(a, b, this.tolerance);
  }

  /**
   * The index of the best of several scores. Tier by tier, only the scores within the tolerance of that
   * tier's best value stay: anchored at the best, so a chain of scores each within the tolerance of the
   * next cannot drift away from it (pairwise comparison with a tolerance is not transitive).
   */
  pick(scores: readonly Score[]): number {
    if (scores.length === 0) return -1;
    // The indices still in the running, first `count` of them, in order (a typed array: arrays built by
    // map and filter changed shape once this was optimised, and V8 threw the code away).
    const keep = Int32Array.from(scores, (_, i) => i);
    let count = keep.length;
    for (let k = 0; k < TIER_NAMES.length; k += 1) {
      const tolerance = tierTolerance(k, this.tolerance);
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < count; j += 1) best = Math.min(best, tierValue(scores[keep[j] as number] as Score, k));
      let kept = 0;
      for (let j = 0; j < count; j += 1) {
        const i = keep[j] as number;
        if (tierValue(scores[i] as Score, k) <= best + tolerance) {
          keep[kept] = i;
          kept += 1;
        }
      }
      count = kept;
      if (count === 1) break;
    }
    return keep[0] as number;
  }

  /** Half a utilization point of the smallest Region, in users: below that, a move changes nothing anyone would see. */
  private demandTolerance(): number {
    let smallest = Number.POSITIVE_INFINITY;
    for (const r of this.regions) if (r.coef > 0) smallest = Math.min(smallest, TOLERANCE.regionPoints / r.coef);
    return Number.isFinite(smallest) ? smallest : 1e-9;
  }
}

export type TierName = 'capacity' | 'margin' | 'threshold' | 'latency' | 'worst' | 'change';

function tiers(a: Score, b: Score, demandTolerance: number): [TierName, number, number, number][] {
  return TIER_NAMES.map((name, k) => [name, tierValue(a, k), tierValue(b, k), tierTolerance(k, demandTolerance)]);
}

/** Differences below this are rounding, in any unit. */
const EPSILON = 1e-9;

/**
 * Negative when `a` is better than `b`, positive when worse, 0 when neither. Asymmetric on purpose:
 * `a` is better only when it gains more than the tolerance in some tier and loses nothing (beyond
 * rounding) in any tier before it. Accepting small losses in a higher tier for a gain in a lower one
 * would let a search walk, step by step, far from where it started.
 */
function compareScores(a: Score, b: Score, demandTolerance: number): number {
  const k = decisiveIndex(a, b, demandTolerance);
  return k === WORSE ? 1 : k === EVEN ? 0 : -1;
}

/** The tier in which `a` beats `b` (see compareScores), for rules and explanations. */
function decisiveTier(a: Score, b: Score, demandTolerance: number): TierName | undefined {
  const k = decisiveIndex(a, b, demandTolerance);
  return k >= 0 ? TIER_NAMES[k] : undefined;
}

/**
 * The rows the tiers are compared by, in order: more load over capacity than unchanged, Regions over
 * capacity, the Region least over it (where the overload cannot be absorbed), total over capacity, load in the margin, receivers pushed past their drain threshold and load over
 * thresholds, latency, the worst Region over capacity (a tie-break), change (see tierValue).
 */
const TIER_NAMES: readonly TierName[] = ['capacity', 'capacity', 'capacity', 'capacity', 'margin', 'threshold', 'threshold', 'latency', 'worst', 'change'];
const WORSE = -1;
const EVEN = -2;

/**
 * The first row (TIER_NAMES) that decides between `a` and `b`: its index when `a` wins there, WORSE when
 * `a` loses there, EVEN when none decides. Read one by one, not built as arrays: the search compares
 * scores thousands of times a decision.
 */
function decisiveIndex(a: Score, b: Score, demandTolerance: number): number {
  for (let k = 0; k < TIER_NAMES.length; k += 1) {
    const x = tierValue(a, k);
    const y = tierValue(b, k);
    if (x > y + EPSILON * Math.max(1, Math.abs(y))) return WORSE;
    if (x < y - tierTolerance(k, demandTolerance)) return k;
  }
  return EVEN;
}

function tierTolerance(k: number, demandTolerance: number): number {
  return k <= 1 ? TOLERANCE.count : k === 8 ? TOLERANCE.worstPoints : k === 7 ? TOLERANCE.rttMs : k === 9 ? TOLERANCE.change : demandTolerance;
}

function tierValue(s: Score, k: number): number {
  switch (k) {
    case 0:
      return s.moreOverloadThanUnchanged;
    case 1:
      return s.regionsOverCapacity;
    case 2:
      return s.leastOverCapacity;
    case 3:
      return s.totalOverCapacity;
    case 4:
      return s.totalInMargin;
    case 5:
      return s.receiversPastDrain;
    case 6:
      return s.totalOverThreshold;
    case 7:
      return s.meanRttMs;
    case 8:
      return s.worstOverCapacity;
    default:
      return s.changePoints;
  }
}
