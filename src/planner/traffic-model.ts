// The planner's picture of the traffic: client groups gathered into demand classes (groups that try
// the Regions in the same order land alike), each listener's endpoint groups, and the dials the
// search may move (one variable per governed endpoint group).
//
// Demand is split evenly over the governed listeners: GA reports demand per source area, not per
// port, so nothing better is known; a Region's load is the sum over its listeners' groups.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import { deriveProximity } from '../model/proximity.js';
import type { ClientGroupSignals } from './signal-view.js';
import type { GovernedGroup, GovernedTopology } from './governed-topology.js';

export interface ClassMember {
  readonly id: string;
  /** Demand now and at the decision's horizon (trend applied), in demand units. */
  readonly demandNow: number;
  readonly demandAhead: number;
  /** RTT per Region index; NaN where unmeasured. */
  readonly rttMs: Float64Array;
}

export interface DemandClass {
  readonly key: string;
  readonly members: readonly ClassMember[];
  readonly demandNow: number;
  readonly demandAhead: number;
  /** Per Region index: sum over members of demandAhead x RTT (unmeasured RTT: the member's highest measured one). */
  readonly rttWeighted: Float64Array;
  /** Members with no RTT to some Region: what they pay there is estimated. */
  readonly unknownRtt: boolean;
  /** Region indices, nearest first. */
  readonly order: Int32Array;
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
  /** Per class: the present Regions in proximity order. */
  readonly orders: readonly Int32Array[];
  /** Per Region index: classes in which the Region is present and healthy (whose landing its dial can touch). */
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

/**
 * `growth`: projected relative growth per client group (the demand trend). `demandScale`: the learnt
 * correction per Region index, applied to the demand of the client groups nearest to that Region.
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

  const byKey = new Map<string, { order: RegionCode[]; members: ClassMember[] }>();
  for (const g of clientGroups) {
    const order = deriveProximity(regions, g, allFull);
    const key = order.join(',');
    const rtt = new Float64Array(R).fill(Number.NaN);
    for (const [r, ms] of g.rttMs) {
      const i = regionIndex.get(r);
      if (i !== undefined) rtt[i] = ms;
    }
    const scale = demandScale?.[regionIndex.get(order[0] ?? '') ?? -1] ?? 1;
    const demandNow = g.demand * scale;
    const member: ClassMember = { id: g.id, demandNow, demandAhead: demandNow * (1 + (growth.get(g.id) ?? 0)), rttMs: rtt };
    const entry = byKey.get(key);
    if (entry === undefined) byKey.set(key, { order, members: [member] });
    else entry.members.push(member);
  }
  const classes: DemandClass[] = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { order, members }]) => {
      const rttWeighted = new Float64Array(R);
      let unknownRtt = false;
      for (const m of members) {
        let highest = 0;
        for (let i = 0; i < R; i += 1) if (!Number.isNaN(m.rttMs[i] as number)) highest = Math.max(highest, m.rttMs[i] as number);
        for (let i = 0; i < R; i += 1) {
          const rtt = m.rttMs[i] as number;
          if (Number.isNaN(rtt)) unknownRtt = true;
          rttWeighted[i] = (rttWeighted[i] as number) + m.demandAhead * (Number.isNaN(rtt) ? highest : rtt);
        }
      }
      return {
        key,
        members,
        demandNow: members.reduce((a, m) => a + m.demandNow, 0),
        demandAhead: members.reduce((a, m) => a + m.demandAhead, 0),
        rttWeighted,
        unknownRtt,
        order: Int32Array.from(order.map((r) => regionIndex.get(r) ?? 0)),
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
    const orders = classes.map((c) => Int32Array.from([...c.order].filter((i) => present[i] === 1)));
    const reachLists: number[][] = regions.map(() => []);
    orders.forEach((order, ci) => {
      for (const i of order) if (healthy[i] === 1) reachLists[i]?.push(ci);
    });
    return { arn: l.arn, weight, present, healthy, dialNow, variableOf, orders, reach: reachLists.map((x) => Int32Array.from(x)) };
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
