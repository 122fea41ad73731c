// The planner's picture of the traffic: client groups with their demand and where their users start
// and spill (model/proximity.ts), each listener's endpoint groups, and the dials the search may move
// (one variable per governed endpoint group).
//
// Demand is split evenly over the governed listeners: GA reports demand per source area, not per
// port, so nothing better is known; a Region's load is the sum over its listeners' groups.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import { landingCostMatrix } from '../model/landing-cost.js';
import { backboneSpill, derivePreference, userSigmaMs } from '../model/proximity.js';
import { Preference, type GroupPreference } from '../model/routing.js';
import { copyFloatRow, takeFloatRow } from '../model/row-blocks.js';
import type { GovernedGroup, GovernedTopology } from './governed-topology.js';
import type { ClientGroupSignals } from './signal-view.js';

export interface DemandClass {
  readonly id: string;
  /** Demand now and at the decision's horizon (trend applied), in demand units, with the learnt scale. */
  readonly demandNow: number;
  readonly demandAhead: number;
  /** Where its users start (scaled by the learnt correction per Region) and where their spill goes. */
  readonly pref: GroupPreference;
  /** The group's users split by their nearest Region, before the learnt correction. */
  readonly measuredFirst: Float64Array;
  /** Demand as measured (no scale, no trend). */
  readonly measuredDemand: number;
  /** RTT per Region index; NaN where unmeasured. */
  readonly rttMs: Float64Array;
  /** RTT a user pays by his nearest Region (row) and where he lands (column): model/landing-cost.ts. */
  readonly landingCost: Float64Array;
  readonly unknownRtt: boolean;
}

/**
 * A demand class as the model holds it: an instance of a class, not a literal. V8 allocates a
 * literal's objects straight in the old generation once enough of them outlived a scavenge (every
 * decision's classes do, in the first decisions); each decision's classes then stayed there until a
 * full GC, and kept their rows alive through every scavenge in between.
 */
class ModelClass implements DemandClass {
  constructor(
    readonly id: string,
    readonly demandNow: number,
    readonly demandAhead: number,
    readonly pref: GroupPreference,
    readonly measuredFirst: Float64Array,
    readonly measuredDemand: number,
    readonly rttMs: Float64Array,
    readonly landingCost: Float64Array,
    readonly unknownRtt: boolean,
  ) {}
}

/**
 * Listeners that route alike (same groups, dials and health, and governed groups with the same limits
 * this cycle) are one bucket: the planner moves their groups of a Region together, from the same dial.
 * Most accelerators' listeners all route alike, so the search works per Region; listeners whose dials
 * differ stay apart and are planned apart.
 */
export interface ListenerModel {
  readonly arns: readonly string[];
  /** Share of the demand the bucket's listeners carry. */
  readonly weight: number;
  readonly present: Uint8Array;
  readonly healthy: Uint8Array;
  /** Dial (fraction) of each Region's groups in the bucket now; 0 where absent. */
  readonly dialNow: Float64Array;
  /** Region index -> variable index, -1 where the Region has no governed group in the bucket. */
  readonly variableOf: Int32Array;
  /** Per Region index: classes whose landing that Region's dial can change. */
  readonly reach: readonly Int32Array[];
}

/** The governed groups of one Region in one bucket: a dial the planner may move. */
export interface DialVariable {
  readonly index: number;
  /** Bucket index. */
  readonly listener: number;
  readonly region: number;
  readonly regionCode: RegionCode;
  readonly groups: readonly GovernedGroup[];
  readonly currentPercent: number;
}

export interface TrafficModel {
  readonly regions: readonly RegionCode[];
  readonly regionIndex: ReadonlyMap<RegionCode, number>;
  readonly classes: readonly DemandClass[];
  readonly listeners: readonly ListenerModel[];
  readonly variables: readonly DialVariable[];
  readonly totalDemandNow: number;
  readonly totalDemandAhead: number;
}

/** A spill or failover reaches at most this far down a group's strict order when no weighted Region can take it. */
const FALLBACK_DEPTH = 3;

export interface TrafficModelOptions {
  /** The learnt correction per Region index, applied to the users whose nearest Region that is. */
  readonly demandScale?: Float64Array;
  /** Governed groups with different keys are never moved together (their limits differ). */
  readonly groupKey?: (group: GovernedGroup) => string;
}

/** `growth`: projected relative growth per client group (the demand trend). */
export function buildTrafficModel(
  topology: GovernedTopology,
  clientGroups: readonly ClientGroupSignals[],
  growth: ReadonlyMap<string, number>,
  options: TrafficModelOptions = {},
): TrafficModel {
  const demandScale = options.demandScale;
  const regions = topology.regions;
  const regionIndex = new Map(regions.map((r, i) => [r, i]));
  const R = regions.length;
  const allFull = topology.groups.every((g) => dialsEqual(g.group.trafficDialPercent, 100));

  const preferences = preferencesOf(regions, clientGroups, allFull);
  const spillFrom = preferences.spillFrom;
  // Every class's landing costs in one block (an R x R array per class would be an allocation each).
  const costs = takeFloatRow(clientGroups.length * R * R);
  const classes: DemandClass[] = clientGroups.map((g, gi) => {
    const measured = preferences.byGroup[gi] as GroupPreference;
    const first = scaledFirst(measured.first, demandScale);
    const scale = sumOf(first);
    const rtt = takeFloatRow(R).fill(Number.NaN);
    g.rttMs.forEach((ms, r) => {
      const i = regionIndex.get(r);
      if (i !== undefined) rtt[i] = ms;
    });
    const demandNow = g.demand * scale;
    const demandAhead = demandNow * (1 + (growth.get(g.id) ?? 0));
    const landingCost = landingCostMatrix(rtt, userSigmaMs(g.spreadMs), measured.first, costs.subarray(gi * R * R, (gi + 1) * R * R));
    return new ModelClass(g.id, demandNow, demandAhead, withStarts(measured, first), copyFloatRow(measured.first), g.demand, rtt, landingCost, hasNaN(rtt));
  });

  // Per class, the Regions whose dial can change where it lands (before the fallback order).
  const support = classes.map((c) => {
    const out = new Uint8Array(R);
    for (let r = 0; r < R; r += 1) if ((c.pref.first[r] as number) > 0 || (c.pref.prefer[r] as number) > 0) out[r] = 1;
    for (let s = 0; s < R; s += 1) {
      const from = spillFrom[s];
      if ((c.pref.first[s] as number) <= 0 || from === undefined) continue;
      for (let r = 0; r < R; r += 1) if ((from[r] as number) > 0) out[r] = 1;
    }
    return out;
  });
  const governedByKey = new Map(topology.groups.map((g) => [`${g.address.listenerArn}|${g.address.region}`, g]));
  const variables: DialVariable[] = [];
  const listeners: ListenerModel[] = [];
  const total = topology.listeners.length;
  for (const bucket of bucketListeners(topology, governedByKey, options.groupKey ?? (() => ''))) {
    const first = bucket[0] as (typeof topology.listeners)[number];
    const li = listeners.length;
    const present = new Uint8Array(R);
    const healthy = new Uint8Array(R);
    const dialNow = new Float64Array(R);
    const variableOf = new Int32Array(R).fill(-1);
    for (const g of first.groups) {
      const i = regionIndex.get(g.region);
      if (i === undefined) continue;
      present[i] = 1;
      healthy[i] = g.healthy ? 1 : 0;
      dialNow[i] = g.dialPercent / 100;
      if (!g.governed) continue;
      const groups = bucket.flatMap((l) => {
        const found = governedByKey.get(`${l.arn}|${g.region}`);
        return found === undefined ? [] : [found];
      });
      if (groups.length === 0) continue;
      variableOf[i] = variables.length;
      variables.push({ index: variables.length, listener: li, region: i, regionCode: g.region, groups, currentPercent: g.dialPercent });
    }
    const reachLists: number[][] = regions.map(() => []);
    const touches = new Uint8Array(R);
    classes.forEach((c, ci) => {
      touches.set(support[ci] as Uint8Array);
      let depth = 0;
      for (let k = 0; k < c.pref.order.length && depth < FALLBACK_DEPTH; k += 1) {
        const r = c.pref.order[k] as number;
        if (present[r] !== 1) continue;
        touches[r] = 1;
        depth += 1;
      }
      for (let r = 0; r < R; r += 1) if (touches[r] === 1 && present[r] === 1) reachLists[r]?.push(ci);
    });
    listeners.push({ arns: bucket.map((l) => l.arn), weight: total > 0 ? bucket.length / total : 0, present, healthy, dialNow, variableOf, reach: reachLists.map((x) => Int32Array.from(x)) });
  }

  return {
    regions,
    regionIndex,
    classes,
    listeners,
    variables,
    totalDemandNow: classes.reduce((a, c) => a + c.demandNow, 0),
    totalDemandAhead: classes.reduce((a, c) => a + c.demandAhead, 0),
  };
}

/** Listeners grouped by how they route (groups, dials, health) and by their governed groups' keys. */
function bucketListeners(
  topology: GovernedTopology,
  governedByKey: ReadonlyMap<string, GovernedGroup>,
  groupKey: (group: GovernedGroup) => string,
): (GovernedTopology['listeners'][number])[][] {
  const buckets = new Map<string, (GovernedTopology['listeners'][number])[]>();
  for (const l of topology.listeners) {
    const key = l.groups
      .map((g) => {
        const governed = governedByKey.get(`${l.arn}|${g.region}`);
        return `${g.region}:${g.dialPercent}:${g.healthy ? 1 : 0}:${governed === undefined ? '-' : groupKey(governed)}`;
      })
      .join(';');
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [l]);
    else bucket.push(l);
  }
  return [...buckets.values()];
}

// Worked out afresh for each model: a decision builds one from its client groups (withDemandScale
// reuses its preferences). No cache keyed by the client groups: V8's scavenges hold a WeakMap's values
// alive whatever their keys, so every decision's preferences were copied and promoted to the old generation.
function preferencesOf(regions: readonly RegionCode[], clientGroups: readonly ClientGroupSignals[], allFull: boolean): { byGroup: readonly GroupPreference[]; spillFrom: readonly (Float64Array | undefined)[] } {
  const spillFrom = backboneSpill(regions);
  const byGroup = clientGroups.map((g) => derivePreference(regions, g, allFull, spillFrom));
  return { byGroup, spillFrom };
}

/**
 * The same model with the learnt correction applied: the demand of the users whose nearest Region is
 * s scaled by demandScale[s]. Listeners, variables and reach are shared (a scale never makes a Region
 * reachable that was not).
 */
export function withDemandScale(model: TrafficModel, demandScale: Float64Array, growth: ReadonlyMap<string, number>, spillMix: number): TrafficModel {
  const classes = model.classes.map((c): DemandClass => {
    const first = scaledFirst(c.measuredFirst, demandScale);
    const scale = sumOf(first);
    const demandNow = c.measuredDemand * scale;
    const demandAhead = demandNow * (1 + (growth.get(c.id) ?? 0));
    // Written out, not spread: a class is copied for every client group in every decision.
    return new ModelClass(c.id, demandNow, demandAhead, withFirst(c.pref, first, spillMix), c.measuredFirst, c.measuredDemand, c.rttMs, c.landingCost, c.unknownRtt);
  });
  // Written out, not spread, in buildTrafficModel's order: one shape for every model. A spread's copy
  // changes shape once V8 has seen it a few times (in the tenth decision or so), and every optimised
  // function that reads a model is thrown away with it.
  return {
    regions: model.regions,
    regionIndex: model.regionIndex,
    classes,
    listeners: model.listeners,
    variables: model.variables,
    totalDemandNow: classes.reduce((a, c) => a + c.demandNow, 0),
    totalDemandAhead: classes.reduce((a, c) => a + c.demandAhead, 0),
  };
}

/** derivePreference's preference with other starts (its spill weights shared, not copied). */
function withStarts(pref: GroupPreference, first: ArrayLike<number>): GroupPreference {
  return new Preference(first, pref.prefer, pref.order, pref.spillFrom, undefined);
}

/** A preference with other starts and spill mix (the rest shared). */
export function withFirst(pref: GroupPreference, first: ArrayLike<number>, spillMix: number): GroupPreference {
  return new Preference(first, pref.prefer, pref.order, pref.spillFrom, spillMix);
}

/** A group's users by nearest Region, each Region's share times its learnt correction (1 without one). */
function scaledFirst(first: ArrayLike<number>, demandScale: ArrayLike<number> | undefined): Float64Array {
  const out = takeFloatRow(first.length);
  for (let s = 0; s < first.length; s += 1) out[s] = (first[s] as number) * (demandScale?.[s] ?? 1);
  return out;
}

function sumOf(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i] as number;
  return total;
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i += 1) if (Number.isNaN(values[i] as number)) return true;
  return false;
}
