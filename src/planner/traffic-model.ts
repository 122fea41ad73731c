// The planner's picture of the traffic: client groups with demand and proximity, the routing model,
// and how a change in modelled traffic moves each Region's measured utilization.
//
// Calibration: the routing model predicts the share of demand T_r each Region receives. Measured load is
// the base; the model supplies only the change. Per load signal, one conversion factor k (load units per
// unit of demand) is fitted over the Regions that measure that signal: k = sum(load) / sum(T). A Region's
// predicted utilization for other dials is then u'_r = u_r + (T'_r - T_r) * k / full_r. The model thus has
// to get the *movement* right, which is what the dial experiment checks, and a demand estimate that
// disagrees with measured load cannot make a Region look emptier than it is.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import { deriveProximity } from '../model/proximity.js';
import { predictLanding, type LandingShares, type RoutingGroupState } from '../model/routing.js';
import type { ClientGroupSignals, RegionLoad } from './signal-view.js';

export type DialVector = ReadonlyMap<RegionCode, number>;

export interface ModelledClientGroup {
  readonly id: string;
  readonly demandShare: number;
  readonly proximity: readonly RegionCode[];
  readonly rttMs: ReadonlyMap<RegionCode, number>;
}

export interface RegionCapacity {
  readonly signal: string;
  readonly full: number;
}

export interface TrafficModel {
  readonly regions: readonly RegionCode[];
  readonly clientGroups: readonly ModelledClientGroup[];
  readonly health: ReadonlyMap<RegionCode, boolean>;
  /** Measured utilization (percent) of each governed Region with a load reading. */
  readonly baseUtilization: ReadonlyMap<RegionCode, number>;
  /** Modelled demand share per Region at the current dials. */
  readonly baseTraffic: ReadonlyMap<RegionCode, number>;
  /** Utilization points a Region gains per unit of demand share it receives. */
  readonly pointsPerDemand: ReadonlyMap<RegionCode, number>;
  readonly notes: readonly string[];
}

export function buildTrafficModel(
  regions: readonly RegionCode[],
  dials: DialVector,
  health: ReadonlyMap<RegionCode, boolean>,
  groups: readonly ClientGroupSignals[],
  load: ReadonlyMap<RegionCode, RegionLoad>,
  capacity: ReadonlyMap<RegionCode, RegionCapacity>,
): TrafficModel {
  const allFull = regions.every((r) => dialsEqual(dials.get(r) ?? 100, 100));
  const totalDemand = groups.reduce((a, g) => a + g.demandWeight, 0);
  const clientGroups = groups.map((g) => ({
    id: g.id,
    demandShare: g.demandWeight / totalDemand,
    proximity: deriveProximity(regions, g, allFull),
    rttMs: g.rttMs,
  }));
  const empty = new Map<RegionCode, number>();
  const baseTraffic = predictTraffic({ regions, clientGroups, health, baseUtilization: empty, baseTraffic: empty, pointsPerDemand: empty, notes: [] }, dials);

  const notes: string[] = [];
  const bySignal = new Map<string, { load: number; traffic: number }>();
  for (const [region, l] of load) {
    const c = capacity.get(region);
    if (c === undefined) continue;
    const acc = bySignal.get(c.signal) ?? { load: 0, traffic: 0 };
    bySignal.set(c.signal, { load: acc.load + l.value, traffic: acc.traffic + (baseTraffic.get(region) ?? 0) });
  }
  const baseUtilization = new Map<RegionCode, number>();
  const pointsPerDemand = new Map<RegionCode, number>();
  for (const [region, l] of load) {
    const c = capacity.get(region);
    const fit = c === undefined ? undefined : bySignal.get(c.signal);
    if (c === undefined || fit === undefined) continue;
    baseUtilization.set(region, l.utilizationPercent);
    if (fit.traffic > 1e-9 && fit.load > 0) {
      pointsPerDemand.set(region, ((fit.load / fit.traffic) / c.full) * 100);
    } else {
      // Nothing to fit against (no modelled traffic or no load): assume the whole demand would fill the
      // Region's full capacity, which overstates how fast it fills: the conservative side.
      pointsPerDemand.set(region, 100);
      notes.push(`no load to calibrate ${region} against; assumed all demand would fill it`);
    }
  }
  return { regions, clientGroups, health, baseUtilization, baseTraffic, pointsPerDemand, notes };
}

export function routingState(model: TrafficModel, dials: DialVector): Map<RegionCode, RoutingGroupState> {
  const out = new Map<RegionCode, RoutingGroupState>();
  for (const r of model.regions) out.set(r, { dialPercent: dials.get(r) ?? 100, healthy: model.health.get(r) ?? false });
  return out;
}

export function predictGroupLanding(model: TrafficModel, group: ModelledClientGroup, dials: DialVector): LandingShares {
  return predictLanding(group.proximity, routingState(model, dials));
}

// The planner asks for the same dial vectors many times (every candidate is compared with the current
// dials), and many client groups share a proximity order. Landing per group is memoised by the dial
// values (never by object identity: callers mutate their maps) and by proximity order. The cache
// lives with the model, so one evaluate() never sees another's entries.
const MAX_CACHED_VECTORS = 512;
const landingCache = new WeakMap<TrafficModel, Map<string, readonly LandingShares[]>>();
const proximityKeys = new WeakMap<TrafficModel, readonly string[]>();

function landingsFor(model: TrafficModel, dials: DialVector): readonly LandingShares[] {
  let byVector = landingCache.get(model);
  let keys = proximityKeys.get(model);
  if (byVector === undefined || keys === undefined) {
    byVector = new Map();
    landingCache.set(model, byVector);
    keys = model.clientGroups.map((g) => g.proximity.join(','));
    proximityKeys.set(model, keys);
  }
  const key = model.regions.map((r) => dials.get(r) ?? 100).join(',');
  const cached = byVector.get(key);
  if (cached !== undefined) return cached;
  const state = routingState(model, dials);
  const byProximity = new Map<string, LandingShares>();
  const out = model.clientGroups.map((g, i) => {
    const pk = keys[i] ?? '';
    let shares = byProximity.get(pk);
    if (shares === undefined) {
      shares = Object.freeze(predictLanding(g.proximity, state));
      byProximity.set(pk, shares);
    }
    return shares;
  });
  if (byVector.size >= MAX_CACHED_VECTORS) byVector.clear();
  byVector.set(key, out);
  return out;
}

/** Demand (shares of the total) arriving at each Region for the given dials. */
export function predictTraffic(model: TrafficModel, dials: DialVector): Map<RegionCode, number> {
  const landings = landingsFor(model, dials);
  const traffic = new Map<RegionCode, number>(model.regions.map((r) => [r, 0]));
  model.clientGroups.forEach((g, i) => {
    for (const [r, s] of Object.entries(landings[i] ?? {})) traffic.set(r, (traffic.get(r) ?? 0) + s * g.demandShare);
  });
  return traffic;
}

/** Predicted utilization (percent) per governed Region with a load reading. */
export function predictUtilization(model: TrafficModel, dials: DialVector): Map<RegionCode, number> {
  const traffic = predictTraffic(model, dials);
  const out = new Map<RegionCode, number>();
  for (const [r, base] of model.baseUtilization) {
    const delta = (traffic.get(r) ?? 0) - (model.baseTraffic.get(r) ?? 0);
    out.set(r, Math.max(0, base + delta * (model.pointsPerDemand.get(r) ?? 0)));
  }
  return out;
}

export interface MovedCost {
  /** Share of all demand that lands in a different Region. */
  readonly movedShare: number;
  /** Demand-weighted mean added RTT of the users who move (negative when they move closer). */
  readonly meanAddedMs: number;
  /** The client group whose moving users pay most, among groups carrying >= 1 % of the moved demand. */
  readonly worstAddedMs: number;
  readonly worstClientGroup: string | null;
  /** Where the moved demand lands: Region -> share of the moved demand. */
  readonly landing: Readonly<Record<RegionCode, number>>;
  /** Groups that move to a Region they have no RTT for: their cost is unknown and left out. */
  readonly unknownGroups: readonly string[];
}

/** The latency cost of going from one dial vector to another, for the users who move. */
export function predictMovedCost(model: TrafficModel, from: DialVector, to: DialVector): MovedCost {
  const before = landingsFor(model, from);
  const after = landingsFor(model, to);
  const perGroup: { id: string; moved: number; addedMs: number }[] = [];
  const landing: Record<RegionCode, number> = {};
  const unknown: string[] = [];
  let movedTotal = 0;
  for (const [i, g] of model.clientGroups.entries()) {
    const a = before[i] ?? {};
    const b = after[i] ?? {};
    if (a === b) continue;
    let moved = 0;
    let costDelta = 0;
    let known = true;
    for (const r of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const delta = (b[r] ?? 0) - (a[r] ?? 0);
      if (Math.abs(delta) < 1e-12) continue;
      if (delta > 0) {
        moved += delta;
        landing[r] = (landing[r] ?? 0) + delta * g.demandShare;
      }
      const rtt = g.rttMs.get(r);
      if (rtt === undefined) known = false;
      else costDelta += delta * rtt;
    }
    if (moved < 1e-9) continue;
    movedTotal += moved * g.demandShare;
    if (!known) {
      unknown.push(g.id);
      continue;
    }
    perGroup.push({ id: g.id, moved: moved * g.demandShare, addedMs: costDelta / moved });
  }
  let weighted = 0;
  let weight = 0;
  let worst = Number.NEGATIVE_INFINITY;
  let worstGroup: string | null = null;
  for (const p of perGroup) {
    weighted += p.addedMs * p.moved;
    weight += p.moved;
    if (p.moved >= 0.01 * movedTotal && p.addedMs > worst) {
      worst = p.addedMs;
      worstGroup = p.id;
    }
  }
  const normalized: Record<RegionCode, number> = {};
  for (const [r, v] of Object.entries(landing)) normalized[r] = movedTotal > 0 ? v / movedTotal : 0;
  return {
    movedShare: movedTotal,
    meanAddedMs: weight > 0 ? weighted / weight : 0,
    worstAddedMs: worstGroup === null ? 0 : worst,
    worstClientGroup: worstGroup,
    landing: normalized,
    unknownGroups: unknown,
  };
}

/** Demand-weighted mean expected RTT over all client groups with known RTTs. */
export function predictMeanRttMs(model: TrafficModel, dials: DialVector): number {
  const landings = landingsFor(model, dials);
  let sum = 0;
  let weight = 0;
  for (const [i, g] of model.clientGroups.entries()) {
    const shares = landings[i] ?? {};
    let expected = 0;
    let known = true;
    for (const [r, s] of Object.entries(shares)) {
      const rtt = g.rttMs.get(r);
      if (rtt === undefined) known = false;
      else expected += s * rtt;
    }
    if (!known) continue;
    sum += expected * g.demandShare;
    weight += g.demandShare;
  }
  return weight > 0 ? sum / weight : 0;
}
