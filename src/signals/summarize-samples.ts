// Raw samples -> the snapshot's latency and landing measurements: one set of statistics for every source
// (the RIPE Atlas and synthetic collectors, and the simulator's observatory).
//
// Latency, robust to outliers in two steps: first the MEDIAN RTT of each vantage point, then the
// p50/p90/p95 ACROSS vantage points. One probe measuring every few minutes would otherwise outweigh
// probes measuring hourly, and one spike (a 218 ms reply in a 37 ms burst) would move the group's tail;
// the per-vantage median absorbs spikes and every vantage weighs the same, so the quantiles describe
// how RTT varies between users of the group, which is what the planner compares. Loss likewise: each
// vantage's loss, then the median across vantages, so one probe behind an ICMP-filtering firewall does
// not make a whole country look lossy.
//
// Nearest share: per vantage point, the Region with its lowest median RTT (ties within NEAREST_TIE_MS
// shared); per Region, the share of the group's vantage points nearest to it. Probes sit where users
// are, so this says where the group's users start even when a country has two clusters (Tokyo and
// Osaka), which its p50 and p90 alone cannot tell apart from one spread-out cluster.
//
// Landing: each vantage's shares of matched answers, averaged over vantage points (equal weight again).

import { quantileSorted } from 'simple-statistics';
import type { LandingSample, LatencySample, SignalSource } from '../domain/samples.js';
import type { RegionCode } from '../domain/traffic.js';
import type { LandingMeasurement, LatencyMeasurement } from '../snapshot/schema.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS } from './freshness.js';

export interface SummaryWindow {
  /** Samples newer than `now` plus the tolerance, or older than `now` minus `maxAgeSeconds`, are left out. */
  readonly now: Date;
  readonly maxAgeSeconds?: number;
  readonly futureToleranceSeconds?: number;
}

export interface Summary<M> {
  readonly measurements: M[];
  /** Groups that gave no measurement, samples left out, duplicates merged. */
  readonly problems: string[];
}

export function summarizeLatency(samples: readonly LatencySample[], window?: SummaryWindow): Summary<LatencyMeasurement> {
  const problems: string[] = [];
  const kept = keepUsable(samples, window, (s) => `${s.vantage}|${s.region}|${s.observedAt}|${s.source}`, problems, 'latency');
  const groups = groupBy(kept, (s) => `${s.clientGroup}|${s.region}|${s.source}`);
  const measurements: LatencyMeasurement[] = [];
  // Per client group and source: each vantage's median RTT per Region, for the nearest shares.
  const vantageRtt = new Map<string, Map<string, Map<RegionCode, number>>>();
  for (const group of inKeyOrder(groups)) {
    const first = group[0];
    if (!first) continue;
    const byVantage = groupBy(group, (s) => s.vantage);
    const vantageMedians: number[] = [];
    const vantageLoss: number[] = [];
    const groupKey = `${first.clientGroup}|${first.source}`;
    let perVantage = vantageRtt.get(groupKey);
    if (perVantage === undefined) {
      perVantage = new Map();
      vantageRtt.set(groupKey, perVantage);
    }
    for (const [vantage, vs] of byVantage) {
      const rtts = vs.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs])).sort((a, b) => a - b);
      if (rtts.length > 0) {
        const median = quantileSorted(rtts, 0.5);
        vantageMedians.push(median);
        let row = perVantage.get(vantage);
        if (row === undefined) {
          row = new Map();
          perVantage.set(vantage, row);
        }
        row.set(first.region, median);
      }
      const sent = vs.reduce((n, s) => n + s.sent, 0);
      const received = vs.reduce((n, s) => n + Math.min(s.received, s.sent), 0);
      if (sent > 0) vantageLoss.push((100 * (sent - received)) / sent);
    }
    if (vantageMedians.length === 0) {
      problems.push(`${first.clientGroup} -> ${first.region} (${first.source}): ${group.length} samples, every packet lost; no RTT to report`);
      continue;
    }
    vantageMedians.sort((a, b) => a - b);
    vantageLoss.sort((a, b) => a - b);
    measurements.push({
      clientGroup: first.clientGroup,
      region: first.region,
      p50Ms: round3(quantileSorted(vantageMedians, 0.5)),
      p90Ms: round3(quantileSorted(vantageMedians, 0.9)),
      p95Ms: round3(quantileSorted(vantageMedians, 0.95)),
      lossPercent: vantageLoss.length > 0 ? round3(quantileSorted(vantageLoss, 0.5)) : 0,
      sampleCount: group.length,
      vantageCount: byVantage.size,
      observedAt: newest(group),
      source: first.source,
    });
  }
  const measuredRegions = new Map<string, RegionCode[]>();
  for (const m of measurements) {
    const key = `${m.clientGroup}|${m.source}`;
    const list = measuredRegions.get(key);
    if (list === undefined) measuredRegions.set(key, [m.region]);
    else list.push(m.region);
  }
  const shares = new Map([...vantageRtt].map(([key, perVantage]) => [key, nearestShares(perVantage, measuredRegions.get(key) ?? [])]));
  return {
    measurements: measurements.map((m) => {
      const share = shares.get(`${m.clientGroup}|${m.source}`);
      return share === undefined ? m : { ...m, nearestShare: round3(share.get(m.region) ?? 0) };
    }),
    problems,
  };
}

/** Median RTTs within this many ms of a vantage's lowest count as a tie: the vantage is shared between those Regions. */
const NEAREST_TIE_MS = 1;

/**
 * Per Region, the share of the vantage points nearest to it, over the vantages that measured every one
 * of `regions`; undefined when none did (a vantage that measured only some Regions cannot say which is nearest).
 */
function nearestShares(perVantage: ReadonlyMap<string, ReadonlyMap<RegionCode, number>>, regions: readonly RegionCode[]): Map<RegionCode, number> | undefined {
  const totals = new Map<RegionCode, number>();
  let vantages = 0;
  for (const row of perVantage.values()) {
    if (!regions.every((r) => row.has(r))) continue;
    const best = Math.min(...regions.map((r) => row.get(r) as number));
    const near = regions.filter((r) => (row.get(r) as number) <= best + NEAREST_TIE_MS);
    for (const r of near) totals.set(r, (totals.get(r) ?? 0) + 1 / near.length);
    vantages += 1;
  }
  if (vantages === 0) return undefined;
  return new Map([...totals].map(([r, t]) => [r, t / vantages]));
}

export function summarizeLanding(samples: readonly LandingSample[], window?: SummaryWindow): Summary<LandingMeasurement> {
  const problems: string[] = [];
  const kept = keepUsable(samples, window, (s) => `${s.vantage}|${s.observedAt}|${s.answer}|${s.source}`, problems, 'landing');
  const groups = groupBy(kept, (s) => `${s.clientGroup}|${s.source}`);
  const measurements: LandingMeasurement[] = [];
  for (const group of inKeyOrder(groups)) {
    const first = group[0];
    if (!first) continue;
    const totals: Record<RegionCode, number> = {};
    let matchedVantages = 0;
    for (const vs of groupBy(group, (s) => s.vantage).values()) {
      const matched = vs.filter((s): s is LandingSample & { region: RegionCode } => s.region !== null);
      if (matched.length === 0) continue;
      matchedVantages++;
      for (const s of matched) totals[s.region] = (totals[s.region] ?? 0) + 1 / matched.length;
    }
    const shares: Record<RegionCode, number> = {};
    for (const [region, t] of Object.entries(totals).sort(([a], [b]) => a.localeCompare(b))) shares[region] = round3(t / matchedVantages);
    const unmatched = group.filter((s) => s.region === null);
    if (unmatched.length > 0) {
      const answers = [...new Set(unmatched.map((s) => s.answer))].sort();
      problems.push(`${first.clientGroup} (${first.source}): ${unmatched.length} answers match no rule: ${answers.slice(0, 5).join(', ')}${answers.length > 5 ? ', ...' : ''}`);
    }
    measurements.push({
      clientGroup: first.clientGroup,
      shares,
      sampleCount: group.length,
      unmatchedCount: unmatched.length,
      observedAt: newest(group),
      source: first.source,
    });
  }
  return { measurements, problems };
}

function keepUsable<S extends { readonly observedAt: string; readonly source: SignalSource }>(
  samples: readonly S[],
  window: SummaryWindow | undefined,
  key: (s: S) => string,
  problems: string[],
  what: string,
): S[] {
  const seen = new Set<string>();
  const kept: S[] = [];
  let duplicates = 0;
  let outside = 0;
  let badTime = 0;
  for (const s of samples) {
    const t = Date.parse(s.observedAt);
    if (Number.isNaN(t)) {
      badTime++;
      continue;
    }
    if (window) {
      const now = window.now.getTime();
      if (t > now + (window.futureToleranceSeconds ?? CLOCK_SKEW_ALLOWANCE_SECONDS) * 1000 || (window.maxAgeSeconds !== undefined && t < now - window.maxAgeSeconds * 1000)) {
        outside++;
        continue;
      }
    }
    const k = key(s);
    if (seen.has(k)) {
      duplicates++;
      continue;
    }
    seen.add(k);
    kept.push(s);
  }
  if (duplicates > 0) problems.push(`${duplicates} duplicate ${what} samples merged`);
  if (outside > 0) problems.push(`${outside} ${what} samples outside the time window left out`);
  if (badTime > 0) problems.push(`${badTime} ${what} samples without a valid time left out`);
  return kept;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

function inKeyOrder<T>(groups: Map<string, T[]>): T[][] {
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}

function newest(samples: readonly { readonly observedAt: string }[]): string {
  const t = Math.max(...samples.map((s) => Date.parse(s.observedAt)));
  return new Date(t).toISOString();
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
