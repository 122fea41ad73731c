import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultParseError } from '../../src/adapters/ripe-atlas/parse/errors.js';
import { parseAtlasResult, parseAtlasResultLines } from '../../src/adapters/ripe-atlas/parse/parse-result.js';
import type { DnsResult, HttpResult, ParsedResult, PingResult, TracerouteResult } from '../../src/adapters/ripe-atlas/parse/result-types.js';
import { atlasFixtures, fixtureOf, withFeature } from './atlas-fixtures.js';

function parsed(json: unknown): ParsedResult {
  const r = parseAtlasResult(json);
  if (r instanceof ResultParseError) throw r;
  return r;
}

function ping(json: unknown): PingResult {
  const r = parsed(json);
  if (r.type !== 'ping') throw new Error(`expected ping, got ${r.type}`);
  return r;
}

function dns(json: unknown): DnsResult {
  const r = parsed(json);
  if (r.type !== 'dns') throw new Error(`expected dns, got ${r.type}`);
  return r;
}

function trace(json: unknown): TracerouteResult {
  const r = parsed(json);
  if (r.type !== 'traceroute') throw new Error(`expected traceroute, got ${r.type}`);
  return r;
}

function http(json: unknown): HttpResult {
  const r = parsed(json);
  if (r.type !== 'http') throw new Error(`expected http, got ${r.type}`);
  return r;
}

describe('parseAtlasResult on the 552 recorded results', () => {
  const all = atlasFixtures();

  it('parses every one, as the type of its file', () => {
    expect(all).toHaveLength(552);
    const counts: Record<string, number> = {};
    for (const f of all) {
      const r = parseAtlasResult(f.json);
      expect(r, `${f.file}:${f.line}`).not.toBeInstanceOf(ResultParseError);
      if (r instanceof ResultParseError) continue;
      expect(`${r.type}.jsonl`).toBe(f.file);
      expect([r.msmId, r.probeId, r.timestamp]).toEqual([f.msmId, f.probeId, f.timestamp]);
      counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    expect(counts).toEqual({ ping: 78, dns: 280, traceroute: 168, http: 26 });
  });

  it('finds nothing odd in them but the known oddities', () => {
    const noted = all.flatMap((f) => {
      const r = parseAtlasResult(f.json);
      return r instanceof ResultParseError ? [] : r.notes.map((n) => `${f.file}:${f.line} ${n}`);
    });
    expect(noted).toEqual([]);
  });

  it('decodes every abuf in the DNS results', () => {
    let decoded = 0;
    for (const json of all.filter((f) => f.file === 'dns.jsonl').map((f) => f.json)) {
      for (const ex of dns(json).exchanges) {
        if (ex.outcome.kind !== 'response' || ex.outcome.abuf === undefined) continue;
        expect(ex.outcome.decodeError).toBeUndefined();
        expect(ex.outcome.message?.problem).toBeUndefined();
        // Atlas's own consistency: the decoded size is `size` (when given).
        if (ex.outcome.size !== undefined) expect(Buffer.from(ex.outcome.abuf, 'base64').length).toBe(ex.outcome.size);
        decoded++;
      }
    }
    expect(decoded).toBeGreaterThan(250);
  });
});

describe('ping firmware shapes', () => {
  it('reads firmware 0 numbers written as strings, without per-packet results', () => {
    const r = ping(fixtureOf('ping.jsonl', 1000192, 677, 1328019792));
    expect(r).toMatchObject({ firmware: 0, sent: 3, received: 3, duplicates: 0, minMs: 57.876, avgMs: 58.042, maxMs: 58.272, packetsRecorded: false, packets: [] });
    expect(r.dstAddr).toBe('62.2.16.12');
  });

  it('reads firmware 1 `addr`/`name` as the destination', () => {
    const r = ping(fixtureOf('ping.jsonl', 1000192, 165, 1340523908));
    expect(r).toMatchObject({ firmware: 1, dstAddr: '62.2.16.12', dstName: 'hsi.cablecom.ch', af: 4, sent: 3, received: 3 });
  });

  it('drops min/avg/max of -1 and keeps duplicates apart (probe 202: one timeout, two duplicates)', () => {
    const r = ping(fixtureOf('ping.jsonl', 1000192, 202, 1394745831));
    expect(r.minMs).toBeUndefined();
    expect(r.avgMs).toBeUndefined();
    expect(r).toMatchObject({ sent: 1, received: 0, duplicates: 2 });
    expect(r.packets).toEqual([
      { kind: 'timeout' },
      { kind: 'reply', rttMs: 1635.423, ttl: 55, duplicate: true, late: false },
      { kind: 'reply', rttMs: 1800.494, ttl: 55, duplicate: true, late: false },
    ]);
  });

  it('counts probe 2225: three replies plus six duplicates', () => {
    const json = withFeature('ping.jsonl', 'dup').find((f) => f.probeId === 2225)?.json;
    const r = ping(json);
    expect(r).toMatchObject({ sent: 3, received: 3, duplicates: 6 });
    expect(r.packets.filter((p) => p.kind === 'reply' && p.duplicate)).toHaveLength(6);
    expect(r.packets.filter((p) => p.kind === 'reply' && !p.duplicate)).toHaveLength(3);
  });

  it('keeps per-packet errors', () => {
    const r = ping(fixtureOf('ping.jsonl', 23938569, 17775));
    expect(r).toMatchObject({ sent: 0, received: 0, packets: [{ kind: 'error', message: 'connect failed: Network is unreachable' }] });
  });

  it('keeps per-packet TTLs and falls back to the first reply TTL', () => {
    for (const f of withFeature('ping.jsonl', 'pkt-ttl')) {
      const r = ping(f.json);
      for (const p of r.packets) if (p.kind === 'reply') expect(p.ttl).toBeTypeOf('number');
    }
  });
});

describe('DNS shapes', () => {
  it('reads the CHAOS id.server answer of Quad9 probe 1000125 from the abuf', () => {
    const r = dns(fixtureOf('dns.jsonl', 29083406, 1000125, 1612968359));
    expect(r.exchanges).toHaveLength(1);
    const ex = r.exchanges[0];
    expect(ex).toMatchObject({ dstAddr: '149.112.149.112', dstPort: 53, af: 4, proto: 'UDP', time: 1612968359 });
    expect(ex?.outcome).toMatchObject({ kind: 'response', rtMs: 19.924, size: 64, rcode: 0, txt: ['res300.vie.rrdns.pch.net'] });
  });

  it('takes TXT answers from the probe when there is no abuf', () => {
    const r = dns(fixtureOf('dns.jsonl', 24980204, 32069, 1588204986));
    expect(r.exchanges[0]?.outcome).toMatchObject({ kind: 'response', txt: ['res110.mia.rrdns.pch.net'], probeAnswers: [{ type: 'TXT', name: 'id.server', rdata: ['res110.mia.rrdns.pch.net'] }] });
    expect(r.exchanges[0]?.outcome).not.toHaveProperty('rcode');
  });

  it('reads the RCODE that only the abuf carries (REFUSED, no answer)', () => {
    const r = dns(fixtureOf('dns.jsonl', 29083406, 32730, 1612968359));
    expect(r.exchanges[0]?.outcome).toMatchObject({ kind: 'response', rcode: 5, txt: [] });
  });

  it('reads every TXT answer that Atlas also decoded the same way', () => {
    let compared = 0;
    for (const f of withFeature('dns.jsonl', 'CHAOS')) {
      for (const ex of dns(f.json).exchanges) {
        if (ex.outcome.kind !== 'response' || ex.outcome.message === undefined) continue;
        const probeTxt = ex.outcome.probeAnswers.filter((a) => a.type === 'TXT').map((a) => a.rdata.join(''));
        if (probeTxt.length === 0) continue;
        expect(ex.outcome.txt.slice(0, probeTxt.length)).toEqual(probeTxt);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('splits a resultset into exchanges, sub-errors included', () => {
    const r = dns(fixtureOf('dns.jsonl', 1687652, 2793));
    expect(r.exchanges.length).toBeGreaterThan(1);
    expect(r.exchanges.map((e) => e.subId)).toEqual(r.exchanges.map((_, i) => i + 1));
    for (const f of withFeature('dns.jsonl', 'sub-error')) {
      const outcomes = dns(f.json).exchanges.map((e) => e.outcome);
      expect(outcomes.some((o) => o.kind === 'error' && o.reason === 'timeout' && o.timeoutMs === 5000)).toBe(true);
    }
  });

  it('turns top-level errors into a failed exchange', () => {
    const timeouts = withFeature('dns.jsonl', 'error:timeout');
    const sockets = withFeature('dns.jsonl', 'error:socket');
    expect(timeouts.length + sockets.length).toBe(10);
    for (const f of timeouts) expect(dns(f.json).exchanges[0]?.outcome).toMatchObject({ kind: 'error', reason: 'timeout', timeoutMs: 5000 });
    for (const f of sockets) expect(dns(f.json).exchanges[0]?.outcome).toMatchObject({ kind: 'error', reason: 'socket', message: 'socket: connect failed Network is unreachable' });
  });

  it('reads a firmware number written as a string', () => {
    for (const f of withFeature('dns.jsonl', 'fw-as-string')) expect(dns(f.json).firmware).toBeTypeOf('number');
    expect(dns(fixtureOf('dns.jsonl', 1005129, 9)).firmware).toBe(4570);
  });

  it('maps lts -1 to an unknown clock', () => {
    const r = dns(sockets()[0]);
    expect(r.clockSyncAgeSeconds).toBeUndefined();
    expect(r.clockSyncUnknown).toBe(true);
    expect(dns(fixtureOf('dns.jsonl', 29083406, 1000125, 1612968359))).toMatchObject({ clockSyncAgeSeconds: 15, clockSyncUnknown: false });
  });
});

function sockets(): unknown[] {
  return withFeature('dns.jsonl', 'error:socket').map((f) => f.json);
}

describe('traceroute shapes', () => {
  it('reports a trace that could not resolve its target', () => {
    const r = trace(fixtureOf('traceroute.jsonl', 1033154, 3564, 1381825021));
    expect(r.hops).toEqual([]);
    expect(r.error).toMatch(/^name resolution failed/);
    expect(r.dstAddr).toBeUndefined();
    expect(r.destinationReplied).toBe(false);
  });

  it('keeps late packets without an RTT', () => {
    let late = 0;
    for (const f of withFeature('traceroute.jsonl', 'late')) {
      for (const h of trace(f.json).hops) {
        for (const rep of h.replies) {
          if (rep.kind === 'reply' && rep.late !== undefined) {
            expect(rep.rttMs).toBeUndefined();
            late++;
          }
        }
      }
    }
    expect(late).toBe(116);
  });

  it('keeps hop errors, ICMP errors, MPLS labels and hop 255', () => {
    const hopErrors = withFeature('traceroute.jsonl', 'hop-error').flatMap((f) => trace(f.json).hops.filter((h) => h.error !== undefined));
    expect(hopErrors.length).toBeGreaterThan(0);
    const icmpErrors = withFeature('traceroute.jsonl', 'err').flatMap((f) => trace(f.json).hops.flatMap((h) => h.replies.filter((r) => r.kind === 'reply' && r.icmpError !== undefined)));
    expect(icmpErrors.length).toBe(28);
    const mpls = withFeature('traceroute.jsonl', 'icmpext').flatMap((f) => trace(f.json).hops.flatMap((h) => h.replies.filter((r) => r.kind === 'reply' && (r.mplsLabels?.length ?? 0) > 0)));
    expect(mpls.length).toBeGreaterThan(0);
    for (const f of withFeature('traceroute.jsonl', 'hop255')) expect(trace(f.json).hops.at(-1)?.hop).toBe(255);
  });

  it('sees whether the destination replied', () => {
    const reached = atlasFixtures().filter((f) => f.file === 'traceroute.jsonl').map((f) => trace(f.json).destinationReplied);
    expect(reached.filter(Boolean).length).toBeGreaterThan(0);
    expect(reached.filter((x) => !x).length).toBeGreaterThan(0);
  });
});

describe('HTTP shapes', () => {
  it('reads the firmware 1 result line', () => {
    const r = http(fixtureOf('http.jsonl', 12023, 1, 1333387900));
    expect(r.exchanges).toEqual([{ method: 'GET', af: 4, dstAddr: '193.0.6.139', rtMs: 30.229, status: 200, headerBytes: 263, bodyBytes: 1406 }]);
  });

  it('reads the firmware 0 result line written under src_addr, and a legacy error line', () => {
    expect(http(fixtureOf('http.jsonl', 12023, 1, 1319704299)).exchanges[0]).toMatchObject({ method: 'GET', status: 200, rtMs: 42.268 });
    expect(http(fixtureOf('http.jsonl', 12023, 1, 1323118908)).exchanges).toEqual([{ error: 'connect error 4' }]);
  });

  it('reads modern requests and their errors', () => {
    const r = http(fixtureOf('http.jsonl', 1003932, 2493));
    expect(r.uri).toBe('http://www.afrinic.net/');
    expect(r.exchanges).toEqual([{ method: 'GET', af: 6, dstAddr: '2001:42d0:0:200::6', srcAddr: '2001:630:301:1080:220:4aff:fee0:20a0', error: 'timeout reading chunk' }]);
    const ok = atlasFixtures().filter((f) => f.file === 'http.jsonl').flatMap((f) => http(f.json).exchanges.filter((e) => e.status === 200));
    expect(ok.length).toBeGreaterThan(15);
  });
});

describe('unusable input', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'ping'],
    ['an array', []],
    ['an empty object', {}],
    ['an unknown type', { type: 'sslcert', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790 }],
    ['a non-numeric msm_id', { type: 'ping', msm_id: 'abc', prb_id: 2, timestamp: 3, fw: 4790, sent: 1, rcvd: 1 }],
    ['a missing prb_id', { type: 'ping', msm_id: 1, timestamp: 3, fw: 4790, sent: 1, rcvd: 1 }],
    ['a fractional timestamp', { type: 'ping', msm_id: 1, prb_id: 2, timestamp: 3.5, fw: 4790, sent: 1, rcvd: 1 }],
    ['a missing fw', { type: 'ping', msm_id: 1, prb_id: 2, timestamp: 3, sent: 1, rcvd: 1 }],
    ['a ping without counts', { type: 'ping', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790 }],
    ['a ping with a boolean rcvd', { type: 'ping', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790, sent: 1, rcvd: true }],
    ['a DNS result without result', { type: 'dns', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790 }],
    ['a traceroute with a result object', { type: 'traceroute', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790, result: {} }],
    ['an HTTP result without result', { type: 'http', msm_id: 1, prb_id: 2, timestamp: 3, fw: 4790 }],
  ])('%s gives a ResultParseError', (_what, json) => {
    expect(parseAtlasResult(json)).toBeInstanceOf(ResultParseError);
  });

  it('says which field is wrong and which result it was', () => {
    const r = parseAtlasResult({ type: 'ping', msm_id: 7, prb_id: 8, timestamp: 9, fw: 4790, sent: 1 });
    expect(r).toBeInstanceOf(ResultParseError);
    expect(r).toMatchObject({ path: '/rcvd', context: { msmId: 7, probeId: 8, timestamp: 9 } });
    expect((r as ResultParseError).message).toBe('/rcvd: missing (an integer)');
  });

  it('parses a JSONL download line by line, bad lines included', () => {
    const good = JSON.stringify(fixtureOf('ping.jsonl', 1000192, 677, 1328019792));
    const out = parseAtlasResultLines(`${good}\nnot json\n\n{}\n`);
    expect(out.map((r) => (r instanceof ResultParseError ? 'error' : r.type))).toEqual(['ping', 'error', 'error']);
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseAtlasResult(v);
        expect(r instanceof ResultParseError || typeof r.type === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on real results with fields removed or replaced', () => {
    const all = atlasFixtures().map((f) => f.json as Record<string, unknown>);
    const junk = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({}), fc.jsonValue());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.option(junk)), { maxLength: 5 }), (which, edits) => {
        const obj: Record<string, unknown> = structuredClone(all[which] ?? {});
        const keys = Object.keys(obj);
        for (const [k, v] of edits) {
          const key = keys[k % keys.length] ?? 'x';
          if (v === null) delete obj[key];
          else obj[key] = v;
        }
        const r = parseAtlasResult(obj);
        expect(r instanceof ResultParseError || typeof r.type === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
