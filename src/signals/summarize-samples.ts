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
  for (const group of inKeyOrder(groups)) {
    const first = group[0];
    if (!first) continue;
    const byVantage = groupBy(group, (s) => s.vantage);
    const vantageMedians: number[] = [];
    const vantageLoss: number[] = [];
    for (const vs of byVantage.values()) {
      const rtts = vs.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs])).sort((a, b) => a - b);
      if (rtts.length > 0) vantageMedians.push(quantileSorted(rtts, 0.5));
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
  return { measurements, problems };
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
