// Reads the signals a decision needs out of the snapshot, checking presence and age once. Missing or
// stale signals are reported as problems (the caller decides, with the Region's health history,
// whether they hold the decision: fail static), never read as zeros. Utilization is computed here and
// nowhere else.

import type { RegionCode } from '../domain/traffic.js';
import type { Hold } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import { ageSeconds, isFresh, parseTime } from '../signals/freshness.js';
import type { LoadSample, Snapshot } from '../snapshot/schema.js';
import { regionList, RegionValues, type RegionList } from './region-values.js';

export interface LoadReading {
  readonly value: number;
  readonly observedAt: string;
}

export interface RegionSignals {
  readonly region: RegionCode;
  /** Newest Region-wide reading of the capacity signal (or the sum of the endpoints'), fresh or not. */
  readonly load: LoadReading | undefined;
  /** Why `load` cannot be used as it is: absent or too old. */
  readonly loadProblem: Hold | undefined;
  /** Every fresh Region-wide reading of the capacity signal, oldest first (a trend, when the source keeps history). */
  readonly loadHistory: readonly LoadReading[];
  /** The Region's current capacity in the load signal's units; undefined when its capacity signal is missing or stale. */
  readonly capacity: number | undefined;
  readonly capacityProblem: Hold | undefined;
  /** Measured utilization, percent: load / capacity, when both are usable. */
  readonly utilizationPercent: number | undefined;
  /** Per-endpoint readings of the capacity signal, when the snapshot has them. */
  readonly endpointValues: ReadonlyMap<string, number>;
}

export interface ClientGroupSignals {
  readonly id: string;
  /** Demand in the demand signal's units; only ratios between groups and cycles matter. */
  readonly demand: number;
  /** RTT per Region by the policy's statistic. */
  readonly rttMs: ReadonlyMap<RegionCode, number>;
  /** How much RTT varies between the group's vantage points: the median over Regions of p90 - p50 (ms). */
  readonly spreadMs: number | undefined;
  /** Observed landing shares, when measured. */
  readonly landing: Readonly<Record<RegionCode, number>> | undefined;
  /** Share of the group's vantage points nearest to each Region, and how many vantage points that rests on, when measured. */
  readonly nearest: NearestVantages | undefined;
  readonly latitude: number | undefined;
  readonly longitude: number | undefined;
}

/**
 * A client group's signals: an instance of a class, not a literal. V8 allocates a literal's objects
 * straight in the old generation once enough of them outlived a scavenge (every decision's groups do,
 * in the first decisions); each decision's groups then stayed there until a full GC, and kept their
 * rows alive through every scavenge in between.
 */
class GroupSignals implements ClientGroupSignals {
  constructor(
    readonly id: string,
    readonly demand: number,
    readonly rttMs: ReadonlyMap<RegionCode, number>,
    readonly spreadMs: number | undefined,
    readonly landing: Readonly<Record<RegionCode, number>> | undefined,
    readonly nearest: NearestVantages | undefined,
    readonly latitude: number | undefined,
    readonly longitude: number | undefined,
  ) {}
}

export interface NearestVantages {
  readonly shares: ReadonlyMap<RegionCode, number>;
  readonly vantages: number;
}

export interface SignalView {
  readonly regions: ReadonlyMap<RegionCode, RegionSignals>;
  readonly clientGroups: readonly ClientGroupSignals[];
  /** When the demand figures were observed (the newest demand reading used). */
  readonly demandObservedAt: string | undefined;
  readonly notes: readonly string[];
}

/** How much of the measured demand the client groups with latency carry: the users the model can route. */
interface DemandCoverage {
  /** Share (percent) of all measured demand carried by client groups that have latency measurements. */
  readonly percent: number;
  readonly coveredGroups: number;
  readonly demandGroups: number;
  /** The client groups with demand and no latency, most demand first. */
  readonly uncovered: readonly { readonly clientGroup: string; readonly percent: number }[];
}

export type SignalViewResult =
  | { readonly ok: true; readonly view: SignalView }
  /** `regions`: the load as read, so a held plan still shows each Region's utilization. */
  | { readonly ok: false; readonly holds: readonly Hold[]; readonly regions: ReadonlyMap<RegionCode, RegionSignals> };

export function readSignals(policy: Policy, snapshot: Snapshot, now: Date): SignalViewResult {
  const maxAge = policy.guardrails.maxSignalAgeSeconds;
  const holds: Hold[] = [];
  const notes: string[] = [];

  const regions = new Map<RegionCode, RegionSignals>();
  // One function per Region: readSignals stays small, so V8 optimises it at less cost.
  for (const [region, rp] of Object.entries(policy.regions)) regions.set(region, readRegion(policy, snapshot, now, region, rp));

  const { rtt, spreads, nearest, staleLatency } = readLatency(policy, snapshot, now);
  if (rtt.size === 0) {
    const stale = staleLatency > 0;
    holds.push({
      scope: { kind: 'global' },
      reason: stale ? 'StaleData' : 'NoData',
      message: stale
        ? `every latency measurement is older than ${maxAge.latency} s: cannot predict where offloaded users land`
        : `no latency measurement with at least ${policy.latency.minSamples} samples: cannot predict where offloaded users land`,
      evidence: { signal: 'latency', staleMeasurements: staleLatency, maxAgeSeconds: maxAge.latency },
    });
  } else if (staleLatency > 0) {
    notes.push(`${staleLatency} latency measurement(s) older than ${maxAge.latency} s were left out`);
  }

  const landing = new Map<string, Record<RegionCode, number>>();
  for (const m of snapshot.landing) {
    if (isFresh(m.observedAt, now, maxAge.landing) && m.sampleCount > 0) landing.set(m.clientGroup, m.shares);
  }

  const demand = readDemand(policy, snapshot, now, rtt);
  if (!demand.ok) holds.push(demand.hold);

  if (holds.length > 0) return { ok: false, holds, regions };
  const meta = new Map(snapshot.clientGroups.map((g) => [g.id, g]));
  // The groups with demand, by id. A loop, not map and filter: see readRegion.
  const clientGroups: ClientGroupSignals[] = [];
  for (const id of [...rtt.keys()].sort()) {
    const groupDemand = demand.ok ? (demand.weights.get(id) ?? 0) : 0;
    if (!(groupDemand > 0)) continue;
    const m = meta.get(id);
    clientGroups.push(new GroupSignals(id, groupDemand, rtt.get(id) ?? new Map(), median(spreads.get(id)), landing.get(id), nearest.get(id), m?.latitude, m?.longitude));
  }
  if (clientGroups.length === 0) {
    return {
      ok: false,
      holds: [{ scope: { kind: 'global' }, reason: 'NoData', message: 'no client group has both latency and demand data', evidence: { signal: 'demand' } }],
      regions,
    };
  }
  if (demand.ok) notes.push(...demand.notes);
  const coverage = coverageOf(demand.ok ? demand.weights : new Map(), rtt);
  if (coverage.uncovered.length > 0) notes.push(coverageNote(coverage));
  return { ok: true, view: { regions, clientGroups, demandObservedAt: demand.ok ? demand.observedAt : undefined, notes } };
}

/** One Region's load and capacity readings. */
function readRegion(policy: Policy, snapshot: Snapshot, now: Date, region: RegionCode, rp: Policy['regions'][string]): RegionSignals {
  const maxAge = policy.guardrails.maxSignalAgeSeconds;
  // The Region's readings of its signal, Region-wide and per endpoint, in snapshot order. Filled in a
  // loop, not by filter: the arrays filter returns (empty ones above all) can change shape once V8
  // optimises this function, and the optimised code that reads them is thrown away.
  const regionWide: LoadSample[] = [];
  const endpointSamples: LoadSample[] = [];
  for (const s of snapshot.load) {
    if (s.region !== region || s.signal !== rp.capacity.signal) continue;
    if (s.endpointId === undefined) regionWide.push(s);
    else endpointSamples.push(s);
  }
  const perEndpoint = latestPerEndpoint(endpointSamples);
  const endpointValues = new Map([...perEndpoint].map(([id, s]) => [id, s.value]));
  const newestWide = newest(regionWide);
  // Without a Region-wide reading, the Region is the sum of its endpoints' readings: of every one of
  // them, or the sum would read low (one endpoint's gap is not an idle endpoint).
  const endpointsHere = endpointIdsOf(snapshot, policy.accelerator.arn, region);
  const unread = endpointsHere.filter((id) => !perEndpoint.has(id));
  const load: LoadReading | undefined =
    newestWide !== undefined
      ? { value: newestWide.value, observedAt: newestWide.observedAt }
      : perEndpoint.size > 0 && unread.length === 0
        ? { value: sum([...perEndpoint.values()].map((s) => s.value)), observedAt: oldestOf([...perEndpoint.values()].map((s) => s.observedAt)) }
        : undefined;
  const loadProblem =
    load === undefined
      ? dataHold('NoData', region, `no "${rp.capacity.signal}" load reading for ${region}${perEndpoint.size > 0 ? ` (and none for its endpoint${unread.length > 1 ? 's' : ''} ${unread.join(', ')}, so its endpoints' readings cannot stand for it)` : ''}`, { signal: rp.capacity.signal })
      : isFresh(load.observedAt, now, maxAge.load)
        ? undefined
        : staleHold(region, rp.capacity.signal, load.observedAt, now, maxAge.load);

  let capacity: number | undefined = rp.capacity.full;
  let capacityProblem: Hold | undefined;
  const fullSignal = rp.capacity.fullSignal;
  if (fullSignal !== undefined) {
    const reading = newest(snapshot.load.filter((s) => s.region === region && s.signal === fullSignal && s.endpointId === undefined));
    if (reading === undefined) {
      capacity = undefined;
      capacityProblem = dataHold('NoData', region, `no "${fullSignal}" capacity reading for ${region}`, { signal: fullSignal });
    } else if (!isFresh(reading.observedAt, now, maxAge.load)) {
      capacity = undefined;
      capacityProblem = staleHold(region, fullSignal, reading.observedAt, now, maxAge.load);
    } else {
      capacity = reading.value;
    }
  }
  const loadHistory = regionWide
    .filter((s) => isFresh(s.observedAt, now, maxAge.load))
    .sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt))
    .map((s) => ({ value: s.value, observedAt: s.observedAt }));
  return {
    region,
    load,
    loadProblem,
    loadHistory,
    capacity,
    capacityProblem,
    utilizationPercent: load !== undefined && loadProblem === undefined && capacity !== undefined ? utilization(load.value, capacity) : undefined,
    endpointValues,
  };
}

/**
 * RTT per client group and Region by the policy's statistic, and each group's spreads (p90 - p50),
 * from the fresh measurements with enough samples. A function of its own: a snapshot holds thousands
 * of measurements, and a small loop is optimised sooner and at less cost than the whole of readSignals.
 */
function readLatency(
  policy: Policy,
  snapshot: Snapshot,
  now: Date,
): { rtt: Map<string, RegionValues>; spreads: Map<string, number[]>; nearest: Map<string, NearestVantages>; staleLatency: number } {
  const maxAge = policy.guardrails.maxSignalAgeSeconds;
  const statistic = policy.latency.statistic;
  // Each group's values are rows over the policy's Regions (see region-values.ts).
  const regions = regionList(Object.keys(policy.regions));
  const rtt = new Map<string, RegionValues>();
  const spreads = new Map<string, number[]>();
  // Nearest shares per group and source: one source's vantage points are compared with each other only.
  const nearestBySource = new Map<string, Map<string, { shares: RegionValues; vantages: number }>>();
  let staleLatency = 0;
  // Measurements come in runs with one timestamp: each run's age is judged once.
  let judgedAt: string | undefined;
  let fresh = false;
  // ...and in runs of one client group: its entries are looked up once per run (no key built per measurement).
  let group: GroupLatency | undefined;
  // Indexed, not for-of: an iterator result per measurement until V8 optimises the loop.
  const measurements = snapshot.latency;
  for (let k = 0; k < measurements.length; k += 1) {
    const m = measurements[k] as Snapshot['latency'][number];
    const ri = regions.index.get(m.region);
    if (ri === undefined) continue;
    if (m.observedAt !== judgedAt) {
      judgedAt = m.observedAt;
      fresh = isFresh(m.observedAt, now, maxAge.latency);
    }
    if (!fresh) {
      staleLatency += 1;
      continue;
    }
    if (m.sampleCount < policy.latency.minSamples) continue;
    const value = statistic === 'p50' ? m.p50Ms : statistic === 'p90' ? m.p90Ms : m.p95Ms;
    if (group === undefined || group.id !== m.clientGroup) group = groupLatency(m.clientGroup, regions, rtt, spreads, nearestBySource);
    const byRegion = group.rtt;
    const previous = byRegion.at(ri);
    // Two sources for one pair (RIPE Atlas and synthetic): keep the lower, the less congested path.
    byRegion.setAt(ri, previous === undefined ? value : Math.min(previous, value));
    if (m.nearestShare !== undefined) {
      let bySource = group.nearest;
      if (bySource === undefined) {
        bySource = new Map();
        nearestBySource.set(m.clientGroup, bySource);
        group.nearest = bySource;
      }
      let n = bySource.get(m.source);
      if (n === undefined) {
        n = { shares: new RegionValues(regions), vantages: m.vantageCount };
        bySource.set(m.source, n);
      }
      n.shares.setAt(ri, m.nearestShare);
      n.vantages = Math.min(n.vantages, m.vantageCount);
    }
    if (m.vantageCount > 1) {
      const spread = Math.max(0, m.p90Ms - m.p50Ms);
      if (group.spreads === undefined) {
        group.spreads = [spread];
        spreads.set(m.clientGroup, group.spreads);
      } else group.spreads.push(spread);
    }
  }
  // Of several sources, the one with the most vantage points speaks for the group.
  const nearest = new Map<string, NearestVantages>();
  for (const [id, bySource] of nearestBySource) {
    for (const n of bySource.values()) {
      const known = nearest.get(id);
      if (known === undefined || n.vantages > known.vantages) nearest.set(id, { shares: n.shares, vantages: n.vantages });
    }
  }
  return { rtt, spreads, nearest, staleLatency };
}

/** One client group's entries in readLatency's maps. */
interface GroupLatency {
  readonly id: string;
  readonly rtt: RegionValues;
  spreads: number[] | undefined;
  nearest: Map<string, { shares: RegionValues; vantages: number }> | undefined;
}

function groupLatency(
  id: string,
  regions: RegionList,
  rtt: Map<string, RegionValues>,
  spreads: ReadonlyMap<string, number[]>,
  nearestBySource: ReadonlyMap<string, Map<string, { shares: RegionValues; vantages: number }>>,
): GroupLatency {
  let byRegion = rtt.get(id);
  if (byRegion === undefined) {
    byRegion = new RegionValues(regions);
    rtt.set(id, byRegion);
  }
  return { id, rtt: byRegion, spreads: spreads.get(id), nearest: nearestBySource.get(id) };
}

/** Utilization in percent. A Region with no capacity left reads as far over, never as a division by zero. */
export function utilization(load: number, capacity: number): number {
  if (capacity <= 0) return load > 0 ? 1000 : 0;
  return Math.min(1000, (load / capacity) * 100);
}

type DemandResult =
  | { readonly ok: true; readonly weights: ReadonlyMap<string, number>; readonly observedAt: string | undefined; readonly notes: readonly string[] }
  | { readonly ok: false; readonly hold: Hold };

function readDemand(policy: Policy, snapshot: Snapshot, now: Date, rtt: ReadonlyMap<string, unknown>): DemandResult {
  const maxAge = policy.guardrails.maxSignalAgeSeconds.demand;
  if (policy.signals.demand.source === 'vantage-count') {
    const weights = new Map<string, number>();
    for (const m of snapshot.latency) weights.set(m.clientGroup, Math.max(weights.get(m.clientGroup) ?? 0, m.vantageCount));
    return { ok: true, weights, observedAt: undefined, notes: ['demand weighed by vantage points per client group (policy: vantage-count)'] };
  }
  // A loop, not filter: see readRegion.
  const fresh: Snapshot['demand'][number][] = [];
  for (const d of snapshot.demand) if (isFresh(d.observedAt, now, maxAge)) fresh.push(d);
  if (fresh.length === 0) {
    const stale = snapshot.demand.length > 0;
    return {
      ok: false,
      hold: {
        scope: { kind: 'global' },
        reason: stale ? 'StaleData' : 'NoData',
        message: stale ? `every demand reading is older than ${maxAge} s` : 'the snapshot has no demand readings',
        evidence: { signal: 'demand', maxAgeSeconds: maxAge },
      },
    };
  }
  // Readings of one group at several times (a source that keeps history): the newest time counts;
  // readings of one group at the same time add up (several sources or listeners).
  const newestByKey = new Map<string, { clientGroup: string | undefined; sourceArea: string | undefined; value: number; observedAt: string }>();
  for (const d of fresh) {
    const key = d.clientGroup !== undefined ? `g|${d.clientGroup}|${d.unit}` : `a|${d.sourceArea ?? ''}|${d.unit}`;
    const prev = newestByKey.get(key);
    const t = parseTime(d.observedAt);
    if (prev === undefined || t > parseTime(prev.observedAt)) newestByKey.set(key, { clientGroup: d.clientGroup, sourceArea: d.sourceArea, value: d.value, observedAt: d.observedAt });
    else if (t === parseTime(prev.observedAt)) newestByKey.set(key, { ...prev, value: prev.value + d.value });
  }
  const weights = new Map<string, number>();
  const notes: string[] = [];
  const areaOf = new Map(snapshot.clientGroups.map((g) => [g.id, g.sourceArea]));
  const areaTotals = new Map<string, number>();
  let observedAt: string | undefined;
  for (const d of newestByKey.values()) {
    if (observedAt === undefined || parseTime(d.observedAt) > parseTime(observedAt)) observedAt = d.observedAt;
    if (d.clientGroup !== undefined) weights.set(d.clientGroup, (weights.get(d.clientGroup) ?? 0) + d.value);
    else if (d.sourceArea !== undefined) areaTotals.set(d.sourceArea, (areaTotals.get(d.sourceArea) ?? 0) + d.value);
  }
  // Area demand (GA's SourceRegion) is spread evenly over the measured client groups of that area.
  for (const [area, total] of areaTotals) {
    const members = [...rtt.keys()].filter((id) => areaOf.get(id) === area && !weights.has(id));
    if (members.length === 0) {
      notes.push(`demand from source area ${area} has no measured client group and is not modelled`);
      continue;
    }
    for (const id of members) weights.set(id, total / members.length);
  }
  return { ok: true, weights, observedAt, notes };
}

/** The share of demand carried by client groups the routing model has latency for. */
function coverageOf(weights: ReadonlyMap<string, number>, rtt: ReadonlyMap<string, unknown>): DemandCoverage {
  let total = 0;
  let covered = 0;
  let coveredGroups = 0;
  let demandGroups = 0;
  const uncovered: { clientGroup: string; value: number }[] = [];
  for (const [id, value] of weights) {
    if (!(value > 0)) continue;
    total += value;
    demandGroups += 1;
    if (rtt.has(id)) {
      covered += value;
      coveredGroups += 1;
    } else uncovered.push({ clientGroup: id, value });
  }
  uncovered.sort((a, b) => b.value - a.value || a.clientGroup.localeCompare(b.clientGroup));
  return {
    percent: total > 0 ? (covered / total) * 100 : 100,
    coveredGroups,
    demandGroups,
    uncovered: uncovered.map((u) => ({ clientGroup: u.clientGroup, percent: (u.value / total) * 100 })),
  };
}

/**
 * Client groups with demand and no latency are left out of the routing model (their load is spread
 * over the groups it has, by the load factor): said in the plan, as right after a start, when RIPE
 * Atlas results are still coming in, the model may stand for a quarter of the users.
 */
function coverageNote(coverage: DemandCoverage): string {
  const named = coverage.uncovered.slice(0, 5).map((u) => `${u.clientGroup} ${u.percent.toFixed(1)} %`);
  const more = coverage.uncovered.length > named.length ? ` and ${coverage.uncovered.length - named.length} more` : '';
  return `latency is measured for client groups carrying ${coverage.percent.toFixed(1)} % of the demand (${coverage.coveredGroups} of ${coverage.demandGroups}): the routing model leaves out ${named.join(', ')}${more}`;
}

function dataHold(reason: 'NoData' | 'StaleData', region: RegionCode, message: string, evidence: Hold['evidence']): Hold {
  return { scope: { kind: 'region', region }, reason, message, evidence: { ...evidence, region } };
}

function staleHold(region: RegionCode, signal: string, observedAt: string, now: Date, maxAgeSeconds: number): Hold {
  const age = Math.round(ageSeconds(observedAt, now));
  return dataHold('StaleData', region, `the "${signal}" reading for ${region} is ${age} s old (limit ${maxAgeSeconds} s)`, { signal, ageSeconds: age, maxAgeSeconds });
}

function newest(samples: readonly LoadSample[]): LoadSample | undefined {
  let best: LoadSample | undefined;
  for (const s of samples) if (best === undefined || Date.parse(s.observedAt) > Date.parse(best.observedAt)) best = s;
  return best;
}

/** Every endpoint of the Region's groups on the accelerator that GA can send traffic to (not unhealthy, weight above 0), once. */
function endpointIdsOf(snapshot: Snapshot, acceleratorArn: string, region: RegionCode): string[] {
  const accelerator = snapshot.accelerators.find((a) => a.arn === acceleratorArn);
  const ids = new Set<string>();
  for (const l of accelerator?.listeners ?? []) {
    for (const g of l.endpointGroups) {
      if (g.region !== region) continue;
      for (const e of g.endpoints) if (e.healthState !== 'UNHEALTHY' && e.weight > 0) ids.add(e.endpointId);
    }
  }
  return [...ids];
}

function latestPerEndpoint(samples: readonly LoadSample[]): Map<string, LoadSample> {
  const out = new Map<string, LoadSample>();
  for (const s of samples) {
    if (s.endpointId === undefined) continue;
    const prev = out.get(s.endpointId);
    if (prev === undefined || Date.parse(s.observedAt) > Date.parse(prev.observedAt)) out.set(s.endpointId, s);
  }
  return out;
}

function oldestOf(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function median(values: readonly number[] | undefined): number | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const sorted = sortedAscending(values);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * The values sorted as sort((a, b) => a - b) sorts them: by insertion, which for a few dozen numbers
 * costs less than the built-in sort's comparator calls, and is stable as it is (so the same order).
 * A NaN makes that comparator inconsistent, its order the built-in sort's own: that case is left to it.
 */
function sortedAscending(values: readonly number[]): number[] {
  const out = values.slice();
  if (out.some(Number.isNaN)) return out.sort((a, b) => a - b);
  for (let i = 1; i < out.length; i += 1) {
    const v = out[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) - v > 0) {
      out[j + 1] = out[j] as number;
      j -= 1;
    }
    out[j + 1] = v;
  }
  return out;
}
