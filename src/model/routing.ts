// A model of where Global Accelerator sends a client group's new connections, for given dials and
// health. Assumptions (DESIGN.md section 1, and the README's "Routing model"):
//  1. A user enters at the nearest edge and is sent to the nearest endpoint group that has a healthy
//     endpoint with weight > 0.
//  2. If that nearest group is unhealthy, GA fails over to the nearest healthy group, ignoring dials.
//  3. Otherwise the nearest group keeps `dial` of the traffic. The rest ("spill") goes to the next
//     nearest healthy group whose dial is above 0, and is not turned away a second time: a dial applies
//     to the traffic already headed to its group ("the percentage is applied only to traffic that is
//     already directed to the endpoint group", AWS's traffic-dial page). With two Regions this
//     reproduces AWS's worked example (both dials at 50: 25 served nearby, 25 by the other Region);
//     with the RIPE Atlas experiment it sends Frankfurt's spill to us-east-1, the next group over the
//     backbone. A receiver is passed over only when its dial is 0.
//  4. Spill that no other group accepts (every other dial at 0) stays with the nearest group.
//  5. Nothing healthy: GA fails open to the nearest group.
//
// A client group (a country) is many users, and not all of them share one nearest Region or one next
// one: the group is described by a distribution over its nearest Region (`first`) and by weights for
// where its spill or failover goes, renormalised over the Regions that can take it: per Region left
// (`spillFrom`, from the backbone: users reach Regions from their edge over it) or for the group as a
// whole (`prefer`), with a strict `order` as the fallback when no weighted Region can. A single user,
// or a group known to share one order, is the special case of a one-point `first` and no weights.

import type { RegionCode } from '../domain/traffic.js';
import { takeIntRow } from './row-blocks.js';

export interface RoutingGroupState {
  readonly dialPercent: number;
  /** Has at least one healthy endpoint with weight > 0. */
  readonly healthy: boolean;
}

export type LandingShares = Record<RegionCode, number>;

/** Where a client group's users start and where their spill goes, over Region indices. */
export interface GroupPreference {
  /** Share of the group's users whose nearest Region is each Region (sums to 1 over present Regions). */
  readonly first: ArrayLike<number>;
  /** Relative weight of each Region as the place spill or failover goes; 0: only through `order`. */
  readonly prefer: ArrayLike<number>;
  /**
   * Where spill or failover from each Region goes, when known better than `prefer`: weights per source
   * Region index (users leave their Region over the backbone, so the Region nearest to it takes them).
   */
  readonly spillFrom?: readonly (ArrayLike<number> | undefined)[];
  /** How much of the spill follows `spillFrom` rather than `prefer` (0-1; default 1 when spillFrom is set). */
  readonly spillMix?: number;
  /** Every Region the group can reach, nearest first: the fallback when no weighted Region can take the traffic. */
  readonly order: ArrayLike<number>;
}

/**
 * A GroupPreference as a class instance, one shape whatever it holds: V8 may allocate an object
 * literal's site straight in the old generation once enough of its objects outlive a scavenge (every
 * decision's preferences do, in the first decisions), and an old preference then keeps its young rows
 * alive through every scavenge until a full collection. A class has no such site.
 */
export class Preference implements GroupPreference {
  constructor(
    readonly first: ArrayLike<number>,
    readonly prefer: ArrayLike<number>,
    readonly order: ArrayLike<number>,
    readonly spillFrom: readonly (ArrayLike<number> | undefined)[] | undefined,
    readonly spillMix: number | undefined,
  ) {}
}

/**
 * Where a group's weights are not 0, ascending (preferenceSupport): with it, landGroup visits only
 * those Regions. A weight of 0 adds nothing to a sum and places nothing, so the result is the same to
 * the last bit; the dial search routes a group thousands of times and most weights are 0.
 */
export interface PreferenceSupport {
  readonly first: Int32Array;
  readonly prefer: Int32Array;
  /** Per Region the group's users start at: where its spill weights are not 0. */
  readonly spillFrom: readonly (Int32Array | undefined)[];
  /** Per Region the group's users start at: where its spill weights or the group's preference are not 0. */
  readonly spillTo: readonly (Int32Array | undefined)[];
}

/** The support of `pref` over R Regions. It describes these weights: a preference with other weights needs its own. */
export function preferenceSupport(pref: GroupPreference, R: number): PreferenceSupport {
  const first = nonZero(pref.first, R);
  const prefer = nonZero(pref.prefer, R);
  // Lists of R entries from the start, and the support an instance of a class, not a literal: V8
  // allocates a literal's objects (and the stores of an empty list written at scattered indices) straight
  // in the old generation once enough of them outlived a scavenge, as every decision's supports do in
  // the first decisions. Each decision's supports then stayed there until a full GC, and kept the rows
  // they point to alive through every scavenge in between.
  const spillFrom = new Array<Int32Array | undefined>(R).fill(undefined);
  const spillTo = new Array<Int32Array | undefined>(R).fill(undefined);
  for (let k = 0; k < first.length; k += 1) {
    const s = first[k] as number;
    const row = pref.spillFrom?.[s];
    spillFrom[s] = row === undefined ? undefined : nonZero(row, R);
    // Counted, then filled: no list per starting Region (every class has a few, in every decision).
    let n = 0;
    for (let r = 0; r < R; r += 1) if (spillsTo(row, pref.prefer, r)) n += 1;
    const toRow = takeIntRow(n);
    n = 0;
    for (let r = 0; r < R; r += 1) if (spillsTo(row, pref.prefer, r)) toRow[n++] = r;
    spillTo[s] = toRow;
  }
  return new Support(first, prefer, spillFrom, spillTo);
}

class Support implements PreferenceSupport {
  constructor(
    readonly first: Int32Array,
    readonly prefer: Int32Array,
    readonly spillFrom: readonly (Int32Array | undefined)[],
    readonly spillTo: readonly (Int32Array | undefined)[],
  ) {}
}

/**
 * Adds into `out` (indexed by Region, zeroed by the caller) the shares, summing to 1, of a client
 * group's new connections. `present[i]`: Region i has a group on the listener; `dialFraction[i]` its
 * dial in [0, 1]; `healthy[i]` its health. With `cost` (R x R, row = the users' nearest Region,
 * column = where they land) it returns the mean cost of where the users land, else 0. With `support`
 * (preferenceSupport(pref)) it skips the Regions where the weights are 0.
 */
export function landGroup(
  pref: GroupPreference,
  present: ArrayLike<number>,
  dialFraction: ArrayLike<number>,
  healthy: ArrayLike<number>,
  out: Float64Array,
  cost?: ArrayLike<number>,
  support?: PreferenceSupport,
): number {
  const R = out.length;
  // One sink for every call (landGroup never runs inside itself): an object per call is garbage the
  // dial search makes thousands of times per decision.
  const sink = SINK;
  sink.matrix = cost;
  sink.total = 0;
  const starts = support?.first ?? everyRegion(R);
  let firstTotal = 0;
  for (let k = 0; k < starts.length; k += 1) {
    const s = starts[k] as number;
    if (present[s] === 1) firstTotal += pref.first[s] as number;
  }
  if (firstTotal <= 0) {
    const nearest = firstPresent(pref.order, present);
    if (nearest >= 0) place(out, sink, nearest, nearest, 1);
    return drain(sink);
  }
  for (let k = 0; k < starts.length; k += 1) {
    const s = starts[k] as number;
    const f = present[s] === 1 ? (pref.first[s] as number) / firstTotal : 0;
    if (f <= 0) continue;
    if (healthy[s] !== 1) {
      // Failover ignores dials; nothing healthy anywhere: GA fails open to the nearest group.
      if (!spread(pref, s, f, present, healthy, undefined, out, sink, support)) place(out, sink, s, s, f);
      continue;
    }
    const keep = f * clamp01(dialFraction[s] as number);
    place(out, sink, s, s, keep);
    const spill = f - keep;
    if (spill > 0 && !spread(pref, s, spill, present, healthy, dialFraction, out, sink, support)) place(out, sink, s, s, spill);
  }
  return drain(sink);
}

interface CostSink {
  matrix: ArrayLike<number> | undefined;
  total: number;
}

const SINK: CostSink = { matrix: undefined, total: 0 };

/** The sink's total; it lets go of the matrix (a decision's costs are not kept alive until the next). */
function drain(sink: CostSink): number {
  sink.matrix = undefined;
  return sink.total;
}

/** 0..R-1: the Regions landGroup visits without a support. */
const everyRegionOf: Int32Array[] = [];
function everyRegion(R: number): Int32Array {
  let all = everyRegionOf[R];
  if (all === undefined) {
    all = Int32Array.from({ length: R }, (_, i) => i);
    everyRegionOf[R] = all;
  }
  return all;
}

function spillsTo(spillFrom: ArrayLike<number> | undefined, prefer: ArrayLike<number>, r: number): boolean {
  return (spillFrom !== undefined && (spillFrom[r] as number) !== 0) || (prefer[r] as number) !== 0;
}

function nonZero(weights: ArrayLike<number>, R: number): Int32Array {
  let n = 0;
  for (let r = 0; r < R; r += 1) if ((weights[r] as number) !== 0) n += 1;
  // Cut from a shared block: the supports of every class, built in every decision, are many small arrays.
  const at = takeIntRow(n);
  n = 0;
  for (let r = 0; r < R; r += 1) if ((weights[r] as number) !== 0) at[n++] = r;
  return at;
}

/** Lands `amount` of the users whose nearest Region is `from` in Region `to`. */
function place(out: Float64Array, sink: CostSink, from: number, to: number, amount: number): void {
  out[to] = (out[to] as number) + amount;
  if (sink.matrix !== undefined) sink.total += amount * (sink.matrix[from * out.length + to] as number);
}

/** Sends `amount` from Region `from` to the Regions that can take it; false when none can. */
function spread(
  pref: GroupPreference,
  from: number,
  amount: number,
  present: ArrayLike<number>,
  healthy: ArrayLike<number>,
  dialFraction: ArrayLike<number> | undefined,
  out: Float64Array,
  sink: CostSink,
  support: PreferenceSupport | undefined,
): boolean {
  const R = out.length;
  const fromWeights = pref.spillFrom?.[from];
  const mix = fromWeights === undefined ? 0 : (pref.spillMix ?? 1);
  const fromTotal = mix > 0 ? eligibleWeight(fromWeights, support?.spillFrom[from] ?? everyRegion(R), from, present, healthy, dialFraction) : 0;
  const preferTotal = mix < 1 || fromTotal <= 0 ? eligibleWeight(pref.prefer, support?.prefer ?? everyRegion(R), from, present, healthy, dialFraction) : 0;
  // Each source of weights that can place the traffic takes its share; one that cannot leaves it to the other.
  const a = fromTotal > 0 ? (preferTotal > 0 ? mix : 1) : 0;
  const b = preferTotal > 0 ? 1 - a : 0;
  if (a + b > 0) {
    const to = support?.spillTo[from] ?? everyRegion(R);
    for (let k = 0; k < to.length; k += 1) {
      const r = to[k] as number;
      if (!canTake(r, from, present, healthy, dialFraction)) continue;
      const w = (a > 0 ? (a * ((fromWeights as ArrayLike<number>)[r] as number)) / fromTotal : 0) + (b > 0 ? (b * (pref.prefer[r] as number)) / preferTotal : 0);
      if (w > 0) place(out, sink, from, r, amount * w);
    }
    return true;
  }
  for (let k = 0; k < pref.order.length; k += 1) {
    const r = pref.order[k] as number;
    if (canTake(r, from, present, healthy, dialFraction)) {
      place(out, sink, from, r, amount);
      return true;
    }
  }
  return false;
}

/** The weights of the Regions (among `at`) that can take traffic leaving `from`. */
function eligibleWeight(
  weights: ArrayLike<number> | undefined,
  at: Int32Array,
  from: number,
  present: ArrayLike<number>,
  healthy: ArrayLike<number>,
  dialFraction: ArrayLike<number> | undefined,
): number {
  if (weights === undefined) return 0;
  let total = 0;
  for (let k = 0; k < at.length; k += 1) {
    const r = at[k] as number;
    if (canTake(r, from, present, healthy, dialFraction)) total += weights[r] as number;
  }
  return total;
}

/** Whether Region r can take traffic leaving `from`: present, healthy, and (for spill, not failover) its dial above 0. */
function canTake(r: number, from: number, present: ArrayLike<number>, healthy: ArrayLike<number>, dialFraction: ArrayLike<number> | undefined): boolean {
  return r !== from && present[r] === 1 && healthy[r] === 1 && (dialFraction === undefined || (dialFraction[r] as number) > 0);
}

function firstPresent(order: ArrayLike<number>, present: ArrayLike<number>): number {
  for (let k = 0; k < order.length; k += 1) if (present[order[k] as number] === 1) return order[k] as number;
  return -1;
}

/**
 * Shares (summing to 1) of one user's (or a group sharing one order's) new connections per Region.
 * `proximity` lists the Regions nearest first; Regions missing from `groups` are ignored.
 */
export function predictLanding(proximity: readonly RegionCode[], groups: ReadonlyMap<RegionCode, RoutingGroupState>): LandingShares {
  const present = proximity.filter((r) => groups.has(r));
  const R = present.length;
  const out = new Float64Array(R);
  const first = new Float64Array(R);
  if (R > 0) first[0] = 1;
  landGroup(
    { first, prefer: new Float64Array(R), order: present.map((_, i) => i) },
    present.map(() => 1),
    present.map((r) => (groups.get(r)?.dialPercent ?? 0) / 100),
    present.map((r) => (groups.get(r)?.healthy === true ? 1 : 0)),
    out,
  );
  const shares: LandingShares = {};
  present.forEach((r, i) => {
    if ((out[i] as number) > 0) shares[r] = out[i] as number;
  });
  return shares;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
