// Results of the emulated RIPE Atlas measurements, made on demand for any time span up to the
// emulator's now: every probe measures every interval at its own phase, so results keep arriving
// while the emulator runs. Ping results carry the RTT of the probe's vantage to the target's Region
// (the minimum of a three-packet burst; lost packets last); DNS results carry the CHAOS TXT answer of
// the Region the probe's vantage lands in, as real wire data.

import { lostPackets } from '../signals/group-plans.js';
import { chaosTxtAbuf } from './chaos-txt-abuf.js';
import type { EmulatedProbe } from './probe-fleet.js';

export type EmulatedMeasurement =
  | { readonly id: number; readonly type: 'ping'; readonly targets: readonly { readonly address: string; readonly region: string }[] }
  | { readonly id: number; readonly type: 'dns'; readonly target: string; readonly answers: ReadonlyMap<string, string> };

const FIRMWARE = { fw: 5080, mver: '2.6.2' } as const;
const BURST = 3;
/** Spread within a burst (ms): the probe's own access network; the minimum is the path's RTT. */
const BURST_SPREAD_MS = [0, 0.35, 0.8];

export class AtlasResultMaker {
  constructor(
    private readonly probes: readonly EmulatedProbe[],
    readonly intervalSeconds: number,
    /** No result is older than this (epoch seconds): the emulated measurements started then. */
    readonly firstSecond: number,
  ) {}

  /** Results with timestamps in [fromS, toS], in time order per interval. */
  *results(m: EmulatedMeasurement, fromS: number, toS: number, probeIds?: ReadonlySet<number>): Generator<Record<string, unknown>> {
    const from = Math.max(fromS, this.firstSecond);
    if (toS < from) return;
    const interval = this.intervalSeconds;
    const probes = probeIds === undefined ? this.probes : this.probes.filter((p) => probeIds.has(p.id));
    for (let k = Math.floor((from - interval) / interval); k * interval <= toS; k += 1) {
      for (const p of probes) {
        const t = k * interval + p.phaseSeconds;
        if (t < from || t > toS) continue;
        yield* this.resultsAt(m, p, t, k);
      }
    }
  }

  /** Each probe's newest result at or before `nowS`. */
  latest(m: EmulatedMeasurement, nowS: number, probeIds?: ReadonlySet<number>): Map<number, Record<string, unknown>[]> {
    const out = new Map<number, Record<string, unknown>[]>();
    for (const r of this.results(m, nowS - this.intervalSeconds, nowS, probeIds)) {
      const id = r.prb_id as number;
      const list = out.get(id) ?? [];
      list.push(r);
      out.set(id, list);
    }
    for (const [id, list] of out) out.set(id, [list.reduce((a, b) => ((b.timestamp as number) > (a.timestamp as number) ? b : a))]);
    return out;
  }

  private *resultsAt(m: EmulatedMeasurement, p: EmulatedProbe, t: number, k: number): Generator<Record<string, unknown>> {
    const common = { ...FIRMWARE, lts: 17, af: 4, prb_id: p.id, msm_id: m.id, group_id: m.id, timestamp: t, stored_timestamp: t + 2, from: p.address, src_addr: p.address };
    if (m.type === 'ping') {
      for (const target of m.targets) {
        const rtt = p.plan.rttMs.get(target.region)?.[p.vantage];
        if (rtt === undefined) continue;
        const lost = lostPackets(k, p.plan.lossPercent.get(target.region) ?? 0, BURST);
        const replies = BURST_SPREAD_MS.slice(0, BURST - lost).map((d) => round3(rtt + d));
        const result = [...replies.map((r) => ({ rtt: r })), ...Array.from({ length: lost }, () => ({ x: '*' }))];
        const stats = replies.length === 0 ? { min: -1, max: -1, avg: -1 } : { min: Math.min(...replies), max: Math.max(...replies), avg: round3(replies.reduce((a, b) => a + b, 0) / replies.length) };
        yield { ...common, type: 'ping', msm_name: 'Ping', dst_name: target.address, dst_addr: target.address, proto: 'ICMP', ttl: 52, size: 48, step: this.intervalSeconds, sent: BURST, rcvd: replies.length, dup: 0, ...stats, result };
      }
      return;
    }
    const region = p.plan.landing?.[p.vantage];
    const answer = region === undefined ? undefined : m.answers.get(region);
    if (region === undefined || answer === undefined) return;
    const id = (p.id * 31 + k) & 0xffff;
    const { abuf, size } = chaosTxtAbuf(id, answer);
    const rt = round3((p.plan.rttMs.get(region)?.[p.vantage] ?? 20) + 0.4);
    yield {
      ...common,
      type: 'dns',
      msm_name: 'Tdig',
      dst_addr: m.target,
      dst_port: '53',
      proto: 'UDP',
      result: { rt, size, abuf, ID: id, ANCOUNT: 1, QDCOUNT: 1, NSCOUNT: 0, ARCOUNT: 0, answers: [{ TYPE: 'TXT', NAME: 'id.server', RDATA: [answer] }] },
    };
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
