// Steady-state loads and latency of one setting of the Regions' dials, from the simulator's ground
// truth (truthRoutingShares). Metros are grouped by their path through the healthy Regions: the truth
// only looks at healthy Regions, so every metro of a group splits its flows the same way, and one
// truth call per group serves all of them. A move of one dial is evaluated from a base setting by
// recomputing only the groups it can change, which keeps the dial search cheap on the full world.

import type { RegionCode } from '../../domain/traffic.js';
import { truthRoutingShares, type RegionRoutingState } from '../truth/ga-routing.js';
import type { AssignmentProblem } from '../types.js';
import { healthyRegions, totalDemand, usableCapacity } from './check-problem.js';
import type { FlowsByRegion } from './latency-figures.js';

/** Dials in percent, one per healthy Region, in `DialSteadyState.regions` order. */
export type DialVector = readonly number[];

export interface DialEvaluation {
  /** Flows over usable capacity, summed over the healthy Regions. */
  readonly overload: number;
  /** Demand-weighted mean RTT (NaN with no demand). */
  readonly meanMs: number;
}

interface PathGroup {
  /** The healthy Regions, nearest first, of every metro in the group. */
  readonly path: readonly RegionCode[];
  readonly demand: number;
  /** Sum over the group's metros of demand x RTT, per Region of the path. */
  readonly demandRtt: Readonly<Record<RegionCode, number>>;
}

/** One group's part of the steady state: flows per healthy Region (by position) and demand x RTT. */
interface Contribution {
  readonly flows: readonly (readonly [number, number])[];
  readonly latency: number;
}

/** A full steady state, the base from which single-dial moves are evaluated. */
export interface SteadyState {
  readonly dials: DialVector;
  readonly loads: readonly number[];
  readonly latency: number;
  readonly contributions: readonly Contribution[];
}

export class DialSteadyState {
  /** The healthy Regions, in problem order: the positions of a DialVector. */
  readonly regions: readonly RegionCode[];
  /** Healthy Regions that are the first healthy Region of some metro with demand (their dial sheds load). */
  readonly firstRegions: ReadonlySet<RegionCode>;
  readonly totalDemand: number;
  private readonly groups: readonly PathGroup[];
  /** Per healthy Region, the groups whose first healthy Region it is. */
  private readonly owned: readonly (readonly number[])[];
  private readonly usable: readonly number[];
  private readonly position: ReadonlyMap<RegionCode, number>;

  constructor(private readonly problem: AssignmentProblem) {
    this.regions = healthyRegions(problem);
    this.totalDemand = totalDemand(problem);
    const healthy = new Set(this.regions);
    const byPath = new Map<string, { path: RegionCode[]; demand: number; demandRtt: Record<RegionCode, number> }>();
    problem.metros.forEach((metro, i) => {
      const d = problem.demand[i] ?? 0;
      if (!(d > 0)) return;
      const reachable = metro.proximity.filter((r) => healthy.has(r));
      // Nearest Region down: the truth fails over to the nearest healthy one whatever the dials, which a
      // one-Region path expresses.
      const path = metro.proximity[0] !== undefined && healthy.has(metro.proximity[0]) ? reachable : reachable.slice(0, 1);
      const key = path.join(' ');
      let group = byPath.get(key);
      if (group === undefined) {
        group = { path, demand: 0, demandRtt: Object.fromEntries(path.map((r) => [r, 0])) };
        byPath.set(key, group);
      }
      group.demand += d;
      for (const r of path) group.demandRtt[r] = (group.demandRtt[r] ?? 0) + d * (metro.rttMs[r] ?? 0);
    });
    this.groups = [...byPath.values()];
    this.position = new Map(this.regions.map((r, h) => [r, h]));
    this.owned = this.regions.map((r) => this.groups.flatMap((g, k) => (g.path[0] === r ? [k] : [])));
    this.firstRegions = new Set(this.regions.filter((_, h) => (this.owned[h]?.length ?? 0) > 0));
    this.usable = this.regions.map((code) => usableCapacity(problem, problem.regions.find((r) => r.code === code)?.capacity ?? 0));
  }

  /** Dials by Region code; unhealthy Regions are listed at 100 (the truth ignores their dial). */
  dialRecord(dials: DialVector): Record<RegionCode, number> {
    const out: Record<RegionCode, number> = {};
    for (const r of this.problem.regions) out[r.code] = 100;
    this.regions.forEach((code, h) => (out[code] = dials[h] ?? 100));
    return out;
  }

  private routingState(dials: DialVector): Record<RegionCode, RegionRoutingState> {
    const state: Record<RegionCode, RegionRoutingState> = {};
    for (const r of this.problem.regions) state[r.code] = { dialPercent: 100, healthy: false };
    this.regions.forEach((code, h) => (state[code] = { dialPercent: dials[h] ?? 100, healthy: true }));
    return state;
  }

  private contribution(group: PathGroup, state: Readonly<Record<RegionCode, RegionRoutingState>>): Contribution {
    const flows: (readonly [number, number])[] = [];
    let latency = 0;
    const shares = truthRoutingShares(group.path, state);
    for (const r in shares) {
      const share = shares[r] ?? 0;
      const h = this.position.get(r);
      if (h === undefined || !(share > 0)) continue;
      flows.push([h, group.demand * share]);
      latency += share * (group.demandRtt[r] ?? 0);
    }
    return { flows, latency };
  }

  steadyState(dials: DialVector): SteadyState {
    const state = this.routingState(dials);
    const contributions = this.groups.map((g) => this.contribution(g, state));
    const loads = this.regions.map(() => 0);
    let latency = 0;
    for (const c of contributions) {
      for (const [h, f] of c.flows) loads[h] = (loads[h] ?? 0) + f;
      latency += c.latency;
    }
    return { dials, loads, latency, contributions };
  }

  /**
   * The base with dial `h` set to `value`. While the dial stays above 0 (or stays at 0) only the
   * groups it is first for can change: whether a Region receives spill depends only on its dial
   * being above 0. Otherwise every group is recomputed.
   */
  moved(base: SteadyState, h: number, value: number): SteadyState {
    const dials = base.dials.map((d, k) => (k === h ? value : d));
    if ((value > 0) !== ((base.dials[h] ?? 100) > 0)) return this.steadyState(dials);
    const state = this.routingState(dials);
    const loads = [...base.loads];
    let latency = base.latency;
    const contributions = [...base.contributions];
    for (const k of this.owned[h] ?? []) {
      const group = this.groups[k];
      const old = contributions[k];
      if (group === undefined || old === undefined) continue;
      const next = this.contribution(group, state);
      for (const [r, f] of old.flows) loads[r] = (loads[r] ?? 0) - f;
      for (const [r, f] of next.flows) loads[r] = (loads[r] ?? 0) + f;
      latency += next.latency - old.latency;
      contributions[k] = next;
    }
    return { dials, loads, latency, contributions };
  }

  evaluation(s: SteadyState): DialEvaluation {
    let overload = 0;
    s.loads.forEach((load, h) => (overload += Math.max(0, load - (this.usable[h] ?? 0))));
    return { overload, meanMs: this.totalDemand > 0 ? s.latency / this.totalDemand : Number.NaN };
  }

  /** Flows over usable capacity per healthy Region (same order as `regions`). */
  overloads(s: SteadyState): number[] {
    return s.loads.map((load, h) => Math.max(0, load - (this.usable[h] ?? 0)));
  }

  /** Each metro's shares per Region for the dials, from the truth with the metro's own proximity. */
  metroShares(dials: DialVector): FlowsByRegion[] {
    const state = this.routingState(dials);
    return this.problem.metros.map((m) => truthRoutingShares(m.proximity, state));
  }
}
