// Reads the signals a decision needs out of the snapshot, checking presence and age. Missing or stale
// signals become holds (fail static), never zeros.

import type { RegionCode } from '../domain/traffic.js';
import type { Hold } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { Snapshot } from '../snapshot/schema.js';
import { ageSeconds, isFresh } from './signal-freshness.js';

export interface RegionLoad {
  readonly region: RegionCode;
  readonly value: number;
  readonly observedAt: string;
  readonly utilizationPercent: number;
  /** Per-endpoint readings of the capacity signal, when the snapshot has them. */
  readonly endpointValues: ReadonlyMap<string, number>;
}

export interface ClientGroupSignals {
  readonly id: string;
  /** Relative demand; only ratios matter. */
  readonly demandWeight: number;
  /** RTT per Region by the policy's statistic. */
  readonly rttMs: ReadonlyMap<RegionCode, number>;
  /** Observed landing shares, when measured. */
  readonly landing: Readonly<Record<RegionCode, number>> | undefined;
  readonly latitude: number | undefined;
  readonly longitude: number | undefined;
}

export interface SignalView {
  readonly load: ReadonlyMap<RegionCode, RegionLoad>;
  readonly clientGroups: readonly ClientGroupSignals[];
  readonly notes: readonly string[];
}

export type SignalViewResult = { readonly ok: true; readonly view: SignalView } | { readonly ok: false; readonly holds: readonly Hold[] };

export function readSignals(policy: Policy, snapshot: Snapshot, now: Date): SignalViewResult {
  const maxAge = policy.guardrails.maxSignalAgeSeconds;
  const holds: Hold[] = [];
  const notes: string[] = [];

  const load = new Map<RegionCode, RegionLoad>();
  for (const [region, rp] of Object.entries(policy.regions)) {
    const samples = snapshot.load.filter((s) => s.region === region && s.signal === rp.capacity.signal);
    const regionWide = newest(samples.filter((s) => s.endpointId === undefined));
    const perEndpoint = latestPerEndpoint(samples.filter((s) => s.endpointId !== undefined));
    const endpointValues = new Map([...perEndpoint].map(([id, s]) => [id, s.value]));
    if (regionWide === undefined && perEndpoint.size === 0) {
      holds.push(dataHold('NoData', region, `no "${rp.capacity.signal}" load reading for ${region}`, { signal: rp.capacity.signal }));
      continue;
    }
    const value = regionWide?.value ?? sum([...perEndpoint.values()].map((s) => s.value));
    const observedAt = regionWide?.observedAt ?? oldestOf([...perEndpoint.values()].map((s) => s.observedAt));
    if (!isFresh(observedAt, now, maxAge.load)) {
      holds.push(
        dataHold('StaleData', region, `the "${rp.capacity.signal}" load reading for ${region} is ${Math.round(ageSeconds(observedAt, now))} s old (limit ${maxAge.load} s)`, {
          signal: rp.capacity.signal,
          ageSeconds: Math.round(ageSeconds(observedAt, now)),
          maxAgeSeconds: maxAge.load,
        }),
      );
      continue;
    }
    load.set(region, { region, value, observedAt, utilizationPercent: (value / rp.capacity.full) * 100, endpointValues });
  }

  const statistic = policy.latency.statistic;
  const rtt = new Map<string, Map<RegionCode, number>>();
  let staleLatency = 0;
  for (const m of snapshot.latency) {
    if (!(m.region in policy.regions)) continue;
    if (!isFresh(m.observedAt, now, maxAge.latency)) {
      staleLatency += 1;
      continue;
    }
    if (m.sampleCount < policy.latency.minSamples) continue;
    const value = statistic === 'p50' ? m.p50Ms : statistic === 'p90' ? m.p90Ms : m.p95Ms;
    const byRegion = rtt.get(m.clientGroup) ?? new Map<RegionCode, number>();
    const previous = byRegion.get(m.region);
    // Two sources for one pair (RIPE Atlas and synthetic): keep the lower, the less congested path.
    byRegion.set(m.region, previous === undefined ? value : Math.min(previous, value));
    rtt.set(m.clientGroup, byRegion);
  }
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

  if (holds.length > 0) return { ok: false, holds };
  const meta = new Map(snapshot.clientGroups.map((g) => [g.id, g]));
  const clientGroups: ClientGroupSignals[] = [...rtt.keys()]
    .sort()
    .map((id) => ({
      id,
      demandWeight: demand.ok ? (demand.weights.get(id) ?? 0) : 0,
      rttMs: rtt.get(id) ?? new Map(),
      landing: landing.get(id),
      latitude: meta.get(id)?.latitude,
      longitude: meta.get(id)?.longitude,
    }))
    .filter((g) => g.demandWeight > 0);
  if (clientGroups.length === 0) {
    return {
      ok: false,
      holds: [{ scope: { kind: 'global' }, reason: 'NoData', message: 'no client group has both latency and demand data', evidence: { signal: 'demand' } }],
    };
  }
  if (demand.ok) notes.push(...demand.notes);
  return { ok: true, view: { load, clientGroups, notes } };
}

type DemandResult =
  | { readonly ok: true; readonly weights: ReadonlyMap<string, number>; readonly notes: readonly string[] }
  | { readonly ok: false; readonly hold: Hold };

function readDemand(policy: Policy, snapshot: Snapshot, now: Date, rtt: ReadonlyMap<string, unknown>): DemandResult {
  const maxAge = policy.guardrails.maxSignalAgeSeconds.demand;
  if (policy.signals.demand.source === 'vantage-count') {
    const weights = new Map<string, number>();
    for (const m of snapshot.latency) weights.set(m.clientGroup, Math.max(weights.get(m.clientGroup) ?? 0, m.vantageCount));
    return { ok: true, weights, notes: ['demand weighed by vantage points per client group (policy: vantage-count)'] };
  }
  const fresh = snapshot.demand.filter((d) => isFresh(d.observedAt, now, maxAge));
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
  const weights = new Map<string, number>();
  const notes: string[] = [];
  const areaOf = new Map(snapshot.clientGroups.map((g) => [g.id, g.sourceArea]));
  const areaTotals = new Map<string, number>();
  for (const d of fresh) {
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
  return { ok: true, weights, notes };
}

function dataHold(reason: 'NoData' | 'StaleData', region: RegionCode, message: string, evidence: Hold['evidence']): Hold {
  return { scope: { kind: 'region', region }, reason, message, evidence: { ...evidence, region } };
}

function newest<T extends { observedAt: string }>(samples: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const s of samples) if (best === undefined || Date.parse(s.observedAt) > Date.parse(best.observedAt)) best = s;
  return best;
}

function latestPerEndpoint<T extends { observedAt: string; endpointId?: string | undefined }>(samples: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
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

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
