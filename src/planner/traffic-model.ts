// The planner's picture of the traffic: client groups with their demand and where their users start
// and spill (model/proximity.ts), each listener's endpoint groups, and the dials the search may move
// (one variable per governed endpoint group).
//
// Demand is split evenly over the governed listeners: GA reports demand per source area, not per
// port, so nothing better is known; a Region's load is the sum over its listeners' groups.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import { derivePreference } from '../model/proximity.js';
import type { GroupPreference } from '../model/routing.js';
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
  /** demandAhead x RTT per Region index (unmeasured RTT: the group's highest measured one). */
  readonly rttWeighted: Float64Array;
  readonly unknownRtt: boolean;
}

export interface ListenerModel {
  readonly arn: string;
  /** Share of the demand this listener carries. */
  readonly weight: number;
  readonly present: Uint8Array;
  readonly healthy: Uint8Array;
  /** Dial (fraction) of each Region's group on this listener now; 0 where absent. */
  readonly dialNow: Float64Array;
  /** Region index -> variable index, -1 where the Region has no governed group on this listener. */
  readonly variableOf: Int32Array;
  /** Per Region index: classes whose landing that Region's dial can change. */
  readonly reach: readonly Int32Array[];
}

/** One governed endpoint group: a dial the planner may move. */
export interface DialVariable {
  readonly index: number;
  readonly listener: number;
  readonly region: number;
  readonly regionCode: RegionCode;
  readonly group: GovernedGroup;
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

/**
 * `growth`: projected relative growth per client group (the demand trend). `demandScale`: the learnt
 * correction per Region index, applied to the users whose nearest Region that is.
 */
export function buildTrafficModel(
  topology: GovernedTopology,
  clientGroups: readonly ClientGroupSignals[],
  growth: ReadonlyMap<string, number>,
  demandScale?: Float64Array,
): TrafficModel {
  const regions = topology.regions;
  const regionIndex = new Map(regions.map((r, i) => [r, i]));
  const R = regions.length;
  const allFull = topology.groups.every((g) => dialsEqual(g.group.trafficDialPercent, 100));

  const classes: DemandClass[] = clientGroups.map((g) => {
    const measured = derivePreference(regions, g, allFull);
    const first = Float64Array.from(measured.first, (f, s) => f * (demandScale?.[s] ?? 1));
    const scale = first.reduce((a, b) => a + b, 0);
    const rtt = new Float64Array(R).fill(Number.NaN);
    for (const [r, ms] of g.rttMs) {
      const i = regionIndex.get(r);
      if (i !== undefined) rtt[i] = ms;
    }
    const demandNow = g.demand * scale;
    const demandAhead = demandNow * (1 + (growth.get(g.id) ?? 0));
    let highest = 0;
    for (let i = 0; i < R; i += 1) if (!Number.isNaN(rtt[i] as number)) highest = Math.max(highest, rtt[i] as number);
    const rttWeighted = Float64Array.from(rtt, (ms) => demandAhead * (Number.isNaN(ms) ? highest : ms));
    return {
      id: g.id,
      demandNow,
      demandAhead,
      pref: { first, prefer: measured.prefer, order: measured.order },
      measuredFirst: Float64Array.from(measured.first),
      measuredDemand: g.demand,
      rttMs: rtt,
      rttWeighted,
      unknownRtt: rtt.some((ms) => Number.isNaN(ms)),
    };
  });

  const variables: DialVariable[] = [];
  const weight = topology.listeners.length > 0 ? 1 / topology.listeners.length : 0;
  const listeners: ListenerModel[] = topology.listeners.map((l, li) => {
    const present = new Uint8Array(R);
    const healthy = new Uint8Array(R);
    const dialNow = new Float64Array(R);
    const variableOf = new Int32Array(R).fill(-1);
    for (const g of l.groups) {
      const i = regionIndex.get(g.region);
      if (i === undefined) continue;
      present[i] = 1;
      healthy[i] = g.healthy ? 1 : 0;
      dialNow[i] = g.dialPercent / 100;
      if (!g.governed) continue;
      const governed = topology.groups.find((x) => x.address.listenerArn === l.arn && x.address.region === g.region);
      if (governed === undefined) continue;
      variableOf[i] = variables.length;
      variables.push({ index: variables.length, listener: li, region: i, regionCode: g.region, group: governed, currentPercent: g.dialPercent });
    }
    const reachLists: number[][] = regions.map(() => []);
    classes.forEach((c, ci) => {
      const touches = new Set<number>();
      for (let r = 0; r < R; r += 1) if ((c.pref.first[r] as number) > 0 || (c.pref.prefer[r] as number) > 0) touches.add(r);
      let depth = 0;
      for (const r of Array.from(c.pref.order)) {
        if (present[r] !== 1) continue;
        touches.add(r);
        if ((depth += 1) >= FALLBACK_DEPTH) break;
      }
      for (const r of touches) if (present[r] === 1) reachLists[r]?.push(ci);
    });
    return { arn: l.arn, weight, present, healthy, dialNow, variableOf, reach: reachLists.map((x) => Int32Array.from(x)) };
  });

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
