// What the emulated probes must measure, per client group of the snapshot: how many vantage points,
// the RTT each sees to each Region (reproducing the snapshot's p50/p90/p95 across vantages), the
// loss, and where the group lands through the anycast address. RIPE Atlas results and the synthetic
// feed are both made from these plans, so both tell the planner what the snapshot says.

import type { Snapshot, ClientGroup, LatencyMeasurement } from '../../snapshot/schema.js';
import { vantageCountFor, vantageRtts } from './vantage-rtts.js';

export interface GroupPlan {
  readonly clientGroup: string;
  readonly meta: ClientGroup | undefined;
  readonly vantageCount: number;
  /** Region -> RTT per vantage (ms, ascending: vantage 0 is the best placed to every Region). */
  readonly rttMs: ReadonlyMap<string, readonly number[]>;
  /** Region -> packet loss (%), the same long-run rate for every vantage. */
  readonly lossPercent: ReadonlyMap<string, number>;
  /** Region each vantage's anycast answer names; undefined when the snapshot has no landing for the group. */
  readonly landing: readonly string[] | undefined;
}

export interface GroupPlans {
  readonly groups: readonly GroupPlan[];
  readonly problems: readonly string[];
}

/** Vantages of a group that has landing shares but no latency. */
const LANDING_ONLY_VANTAGES = 10;

export function planGroups(snapshot: Snapshot): GroupPlans {
  const problems: string[] = [];
  const latencyByGroup = new Map<string, Map<string, LatencyMeasurement>>();
  for (const m of snapshot.latency) {
    const byRegion = latencyByGroup.get(m.clientGroup) ?? new Map<string, LatencyMeasurement>();
    // One measurement per Region: RIPE Atlas first when the snapshot has several sources.
    const kept = byRegion.get(m.region);
    if (kept === undefined || (kept.source !== 'ripe-atlas' && m.source === 'ripe-atlas')) byRegion.set(m.region, m);
    latencyByGroup.set(m.clientGroup, byRegion);
  }
  const landingByGroup = new Map(snapshot.landing.map((l) => [l.clientGroup, l.shares]));
  const metaById = new Map(snapshot.clientGroups.map((g) => [g.id, g]));
  const ids = [...new Set([...latencyByGroup.keys(), ...landingByGroup.keys()])].sort();

  const groups: GroupPlan[] = [];
  for (const id of ids) {
    const latency = [...(latencyByGroup.get(id)?.values() ?? [])];
    let vantageCount = LANDING_ONLY_VANTAGES;
    const rttMs = new Map<string, readonly number[]>();
    const lossPercent = new Map<string, number>();
    if (latency.length > 0) {
      const count = vantageCountFor(latency, Math.max(...latency.map((m) => m.vantageCount)));
      if (count === undefined) {
        problems.push(`client group ${id}: latency quantiles not in order (p50 <= p90 <= p95); no latency emulated for it`);
      } else {
        vantageCount = count;
        for (const m of latency) {
          rttMs.set(m.region, vantageRtts(m, count));
          lossPercent.set(m.region, m.lossPercent);
        }
      }
    }
    const shares = landingByGroup.get(id);
    groups.push({ clientGroup: id, meta: metaById.get(id), vantageCount, rttMs, lossPercent, landing: shares === undefined ? undefined : apportion(shares, vantageCount) });
  }
  return { groups, problems };
}

/**
 * Each vantage's landing Region, so the share of vantages per Region is the snapshot's share as
 * nearly as `count` vantages allow (largest remainder), interleaved rather than in blocks.
 */
export function apportion(shares: Readonly<Record<string, number>>, count: number): string[] {
  const entries = Object.entries(shares).filter(([, s]) => s > 0).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((a, [, s]) => a + s, 0);
  if (entries.length === 0 || total <= 0) return [];
  const exact = entries.map(([region, s]) => ({ region, quota: (s / total) * count }));
  const seats = exact.map((e) => ({ region: e.region, seats: Math.floor(e.quota), rest: e.quota - Math.floor(e.quota) }));
  let left = count - seats.reduce((a, s) => a + s.seats, 0);
  for (const s of [...seats].sort((a, b) => b.rest - a.rest || a.region.localeCompare(b.region))) {
    if (left <= 0) break;
    s.seats += 1;
    left -= 1;
  }
  // Interleave: vantage i goes to the Region furthest behind its share so far.
  const given = new Map(seats.map((s) => [s.region, 0]));
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    let best = seats[0] as (typeof seats)[number];
    let behind = -Infinity;
    for (const s of seats) {
      const lag = (s.seats * (i + 1)) / count - (given.get(s.region) ?? 0);
      if ((given.get(s.region) ?? 0) < s.seats && lag > behind) {
        best = s;
        behind = lag;
      }
    }
    given.set(best.region, (given.get(best.region) ?? 0) + 1);
    out.push(best.region);
  }
  return out;
}

/** Packets of one burst lost, so that a vantage's loss over its bursts tends to `lossPercent`. */
export function lostPackets(burstIndex: number, lossPercent: number, sent: number): number {
  const rate = Math.min(1, Math.max(0, lossPercent / 100)) * sent;
  return Math.min(sent, Math.floor((burstIndex + 1) * rate) - Math.floor(burstIndex * rate));
}
