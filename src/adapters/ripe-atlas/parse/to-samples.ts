// Parsed Atlas results -> the project's raw samples. Ping results give LatencySamples (one per result,
// to a Region's unicast address); DNS results through the accelerator's anycast address give
// LandingSamples (the CHAOS TXT answer names the Region that replied).
//
// RTT of a ping result: by default the MINIMUM of its distinct, on-time replies. A ping burst is 3-ish
// packets sent back to back; the spread inside it is queueing in the probe's own access network
// (Wi-Fi, a busy home link), which does not depend on the Region. The minimum is the closest reading of
// the path itself and is what Atlas-based latency studies use; `rtt: 'median'` is available for
// feeds that want typical rather than best-case RTT. Duplicates (Atlas `dup`) never count: they echo
// a packet already counted. Late replies count as lost: for interactive traffic a late packet is a
// lost packet.

import { median } from 'simple-statistics';
import type { LandingSample, LatencySample } from '../../../domain/samples.js';
import type { RegionCode } from '../../../domain/traffic.js';
import { compileLandingRules, type LandingRule } from './landing-rules.js';
import { clientGroupOf, type ClientGroupRule, type ProbeDirectory } from './probe-directory.js';
import type { ParsedResult, PingResult } from './result-types.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS } from '../../../signals/freshness.js';

export type SampleIssueReason =
  | 'not-applicable'
  | 'unknown-probe'
  | 'no-client-group'
  | 'unknown-target'
  | 'clock-ahead'
  | 'clock-unsynchronised'
  | 'duplicate'
  | 'probe-error'
  | 'no-answer';

export interface SampleIssue {
  readonly reason: SampleIssueReason;
  readonly msmId: number;
  readonly probeId: number;
  readonly timestamp: number;
  readonly detail: string;
}

export interface SampleConversion<S> {
  readonly samples: S[];
  /** Results (or DNS exchanges) that gave no sample, and why. */
  readonly dropped: SampleIssue[];
  /** Samples kept but doubtful (a probe unsure of its clock). */
  readonly flagged: SampleIssue[];
  /** Problems with the conversion's own inputs (bad answer rules). */
  readonly problems: string[];
}

export interface CommonSampleOptions {
  readonly probes: ProbeDirectory;
  readonly clientGroupRule: ClientGroupRule;
  /** Results stamped later than `now` plus the tolerance come from a probe whose clock runs ahead. */
  readonly now: Date;
  /** Default: the one clock-skew allowance (src/signals/freshness.ts); Atlas probes sync by NTP. */
  readonly futureToleranceSeconds?: number;
}

export interface LatencySampleOptions extends CommonSampleOptions {
  /** Destination IP (or host name) -> Region, as in the policy's latency `targets`. */
  readonly targets: Readonly<Record<string, RegionCode>>;
  readonly rtt?: 'min' | 'median';
}

export interface LandingSampleOptions extends CommonSampleOptions {
  readonly answers: readonly LandingRule[];
}


export function toLatencySamples(results: readonly ParsedResult[], options: LatencySampleOptions): SampleConversion<LatencySample> {
  const out = emptyConversion<LatencySample>();
  const regionOf = targetLookup(options.targets);
  const seen = new Set<string>();
  for (const r of results) {
    const issue = (reason: SampleIssueReason, detail: string): SampleIssue => ({ reason, msmId: r.msmId, probeId: r.probeId, timestamp: r.timestamp, detail });
    if (r.type !== 'ping') {
      out.dropped.push(issue('not-applicable', `a ${r.type} result gives no latency sample`));
      continue;
    }
    const region = regionOf(r.dstAddr) ?? regionOf(r.dstName);
    if (region === undefined) {
      out.dropped.push(issue('unknown-target', `target ${r.dstAddr ?? r.dstName ?? '(none)'} is in no Region's targets`));
      continue;
    }
    const where = placeProbe(r, r.af, options, issue);
    if ('dropped' in where) {
      out.dropped.push(where.dropped);
      continue;
    }
    if (r.sent === 0) {
      // The probe could not send (no route, socket error): nothing is known about the path.
      const err = r.packets.find((p) => p.kind === 'error');
      out.dropped.push(issue('probe-error', err?.kind === 'error' ? err.message : 'no packet sent'));
      continue;
    }
    const key = `${r.probeId}|${r.timestamp}|${r.dstAddr ?? r.dstName ?? ''}`;
    if (seen.has(key)) {
      out.dropped.push(issue('duplicate', 'same probe, target and timestamp as an earlier result'));
      continue;
    }
    seen.add(key);
    const { rttMs, received } = pingRtt(r, options.rtt ?? 'min');
    out.samples.push({
      clientGroup: where.clientGroup,
      vantage: String(r.probeId),
      region,
      rttMs,
      sent: r.sent,
      received,
      observedAt: r.observedAt,
      source: 'ripe-atlas',
    });
    if (r.clockSyncUnknown) out.flagged.push(issue('clock-unsynchronised', 'the probe does not know whether its clock is synchronised'));
  }
  return out;
}

export function toLandingSamples(results: readonly ParsedResult[], options: LandingSampleOptions): SampleConversion<LandingSample> {
  const out = emptyConversion<LandingSample>();
  const rules = compileLandingRules(options.answers);
  out.problems.push(...rules.problems);
  const seen = new Set<string>();
  for (const r of results) {
    const issue = (reason: SampleIssueReason, detail: string, timestamp = r.timestamp): SampleIssue => ({ reason, msmId: r.msmId, probeId: r.probeId, timestamp, detail });
    if (r.type !== 'dns') {
      out.dropped.push(issue('not-applicable', `a ${r.type} result gives no landing sample`));
      continue;
    }
    for (const ex of r.exchanges) {
      const where = placeProbe({ ...r, timestamp: ex.time }, ex.af ?? r.af, options, (reason, detail) => issue(reason, detail, ex.time));
      if ('dropped' in where) {
        out.dropped.push(where.dropped);
        continue;
      }
      if (ex.outcome.kind === 'error') {
        out.dropped.push(issue('probe-error', ex.outcome.message, ex.time));
        continue;
      }
      const answer = ex.outcome.txt[0];
      if (answer === undefined) {
        const rcode = ex.outcome.message?.rcodeName;
        out.dropped.push(issue('no-answer', `no TXT answer${rcode !== undefined ? ` (${rcode})` : ''}`, ex.time));
        continue;
      }
      const key = `${r.probeId}|${ex.time}|${ex.dstAddr ?? r.dstAddr ?? ''}|${ex.subId ?? ''}`;
      if (seen.has(key)) {
        out.dropped.push(issue('duplicate', 'same probe, target and timestamp as an earlier result', ex.time));
        continue;
      }
      seen.add(key);
      out.samples.push({
        clientGroup: where.clientGroup,
        vantage: String(r.probeId),
        region: rules.regionOf(answer),
        answer,
        rttMs: ex.outcome.rtMs,
        observedAt: new Date(ex.time * 1000).toISOString(),
        source: 'ripe-atlas',
      });
      if (r.clockSyncUnknown) out.flagged.push(issue('clock-unsynchronised', 'the probe does not know whether its clock is synchronised', ex.time));
    }
  }
  return out;
}

/** Distinct on-time replies and the RTT they give; `null` when none came back (all lost). */
export function pingRtt(r: PingResult, statistic: 'min' | 'median'): { rttMs: number | null; received: number } {
  if (!r.packetsRecorded) {
    // Firmware 0/1 kept only the summary: min, or avg as the nearest thing to a median.
    const v = statistic === 'min' ? r.minMs : r.avgMs;
    return { rttMs: r.received > 0 && v !== undefined ? v : null, received: r.received };
  }
  const rtts = r.packets.flatMap((p) => (p.kind === 'reply' && !p.duplicate && !p.late ? [p.rttMs] : []));
  if (rtts.length === 0) return { rttMs: null, received: 0 };
  return { rttMs: statistic === 'min' ? Math.min(...rtts) : median(rtts), received: rtts.length };
}


function placeProbe(
  r: { readonly probeId: number; readonly timestamp: number },
  af: 4 | 6 | undefined,
  options: CommonSampleOptions,
  issue: (reason: SampleIssueReason, detail: string) => SampleIssue,
): { clientGroup: string } | { dropped: SampleIssue } {
  const toleranceMs = (options.futureToleranceSeconds ?? CLOCK_SKEW_ALLOWANCE_SECONDS) * 1000;
  const aheadMs = r.timestamp * 1000 - options.now.getTime();
  if (aheadMs > toleranceMs) {
    return { dropped: issue('clock-ahead', `stamped ${Math.round(aheadMs / 1000)} s after now: the probe's clock runs ahead`) };
  }
  const probe = options.probes.get(r.probeId);
  if (!probe) return { dropped: issue('unknown-probe', `probe ${r.probeId} is not in the probe directory`) };
  const clientGroup = clientGroupOf(probe, options.clientGroupRule, af);
  if (clientGroup === undefined) return { dropped: issue('no-client-group', `probe ${r.probeId} has no IPv${af ?? 4} ASN for a country-asn group`) };
  return { clientGroup };
}

/** Looks targets up by exact string, then by canonical IP form (so `2001:DB8:0::1` finds `2001:db8::1`). */
function targetLookup(targets: Readonly<Record<string, RegionCode>>): (target: string | undefined) => RegionCode | undefined {
  const byKey = new Map<string, RegionCode>();
  for (const [k, v] of Object.entries(targets)) byKey.set(canonicalTarget(k), v);
  return (t) => (t === undefined ? undefined : byKey.get(canonicalTarget(t)));
}

function canonicalTarget(t: string): string {
  const s = t.trim().toLowerCase().replace(/\.$/, '');
  if (!s.includes(':')) return s;
  try {
    // The URL parser writes IPv6 addresses in their canonical compressed form.
    return new URL(`http://[${s.replace(/^\[|\]$/g, '')}]/`).hostname;
  } catch {
    return s;
  }
}

function emptyConversion<S>(): SampleConversion<S> {
  return { samples: [], dropped: [], flagged: [], problems: [] };
}
