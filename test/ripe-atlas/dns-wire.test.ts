import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDnsMessage, decodeDnsMessagePartial, type DnsRecord, type PartialDnsMessage } from '../../src/adapters/ripe-atlas/parse/dns-wire.js';
import { dnsTypeName } from '../../src/adapters/ripe-atlas/parse/dns-codes.js';
import type { DnsDialect } from '../../src/adapters/ripe-atlas/parse/dns-dialect.js';
import { formatIpv6, latin1 } from '../../src/adapters/ripe-atlas/parse/dns-rdata.js';
import { DnsDecodeError } from '../../src/adapters/ripe-atlas/parse/errors.js';
import { dataPath } from '../support/repo-data.js';

// RIPE NCC's decoding of real Atlas abufs (ripe-atlas-bigquery's JavaScript parser). Its output is a
// flat list of strings; `toRipeShape` below projects our decoded message onto that list so that every
// field can be compared. The projection is where their conventions live, not the decoder.

interface RipeVector {
  readonly abuf: string;
  readonly expected_by_ripe_atlas_bigquery_parser: unknown;
  readonly source_file: string;
}

const vectors: RipeVector[] = readFileSync(dataPath('ripe-atlas', 'dns_abuf_vectors.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as RipeVector);

const RIPE_OPCODES: Record<number, string> = { 0: 'Query', 1: 'Inverse Query', 2: 'Status', 4: 'Notify', 5: 'Update', 6: 'DNS Stateful Operations' };
const RIPE_RCODES: Record<number, string> = { 0: 'NoError', 1: 'FormErr', 2: 'ServFail', 3: 'NXDomain', 4: 'NotImp', 5: 'Refused' };
const RIPE_SECTION_ERROR: Record<string, string> = { question: 'question', answer: 'answer', authority: 'auth', additional: 'additional' };
// Types whose RDATA RIPE's parser decodes, and so rejects when malformed; it shows all others as bytes.
const RIPE_CHECKED_TYPES = new Set(['A', 'AAAA', 'NS', 'CNAME', 'SOA']);

/** Our presentation form back to one character per byte, as RIPE's parser prints names. */
function unescapeName(name: string): string {
  return name.replace(/\\(\d{3}|.)/g, (_m, g: string) => (g.length === 3 ? String.fromCharCode(Number(g)) : g));
}

function ripeType(type: number): string | number {
  if (type === 255) return '*';
  const n = dnsTypeName(type);
  return n.startsWith('TYPE') ? type : n;
}

function ripeClass(cls: number): string | number {
  return cls === 1 ? 'IN' : cls === 3 ? 'CH' : cls;
}

function bytesList(raw: Uint8Array): string {
  return Array.from(raw).join(',');
}

function ripeRecord(r: DnsRecord): Record<string, unknown> {
  let name = unescapeName(r.name);
  let data: string;
  const rd = r.rdata;
  switch (rd.kind) {
    case 'A':
      data = rd.address;
      break;
    case 'AAAA':
      // RIPE prints all eight groups, zero-padded.
      data = Array.from({ length: 8 }, (_, i) => Buffer.from(r.raw.subarray(2 * i, 2 * i + 2)).toString('hex')).join(':');
      break;
    case 'NS':
    case 'CNAME':
      data = unescapeName(rd.target);
      break;
    case 'SOA':
      data = [unescapeName(rd.mname), unescapeName(rd.rname), rd.serial | 0, rd.refresh | 0, rd.retry | 0, rd.expire | 0, rd.minimum | 0].join(' ');
      // RIPE's parser reports the SOA RNAME where the owner name belongs (a variable it reuses).
      name = unescapeName(rd.rname);
      break;
    case 'TXT': {
      // Quoted strings separated by spaces; RIPE stops at the first empty string.
      data = '';
      for (let i = 0; i < rd.strings.length; i++) {
        const s = rd.strings[i] ?? '';
        if (s === '') break;
        data += `"${s}"${i < rd.strings.length - 1 ? ' ' : ''}`;
      }
      break;
    }
    default:
      data = bytesList(r.raw);
  }
  if (r.type === 41) {
    // OPT: RIPE names the record after an NSID option and shows its text; otherwise the raw bytes.
    const first = rd.kind === 'OPT' ? rd.options[0] : undefined;
    const nsid = first?.code === 3;
    name = nsid || r.raw[1] === 3 ? 'NSID' : '.';
    data = nsid && first.data.length > 0 ? latin1(first.data) : bytesList(r.raw);
  }
  return { section: r.section, type: ripeType(r.type), class: ripeClass(r.class), ttl: r.ttl | 0, name, data };
}

function toRipeShape(m: PartialDnsMessage, totalBytes: number): unknown {
  const h = m.header;
  const query = !h.isResponse;
  const payload: Record<string, unknown>[] = m.questions.map((q) => ({
    section: 'query',
    type: ripeType(q.type),
    class: ripeClass(q.class),
    name: unescapeName(q.name),
  }));
  let stopped = false;
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) {
    if (r.rdata.kind === 'malformed' && RIPE_CHECKED_TYPES.has(r.typeName)) {
      payload.push({ error: `parse error in ${RIPE_SECTION_ERROR[r.section]} section` });
      stopped = true;
      break;
    }
    payload.push(ripeRecord(r));
  }
  if (!stopped && m.problem) payload.push({ error: `parse error in ${RIPE_SECTION_ERROR[m.problem.part]} section` });
  // Negative trailing bytes (ripe-ncc dialect only) are RIPE's "got" past the end.
  if (!stopped && !m.problem && m.trailingBytes !== 0) {
    payload.push({ error: `bad buffer length. Expected:${totalBytes}, got:${totalBytes - m.trailingBytes}. Incomplete parse?` });
  }
  return {
    id: h.id,
    flags: {
      query,
      opcode: query ? (RIPE_OPCODES[h.opcode] ?? 'Unassigned') : null,
      authoritative_answer: query ? null : h.authoritative,
      truncated: h.truncated,
      recursion_desired: h.recursionDesired,
      recursion_available: h.recursionAvailable,
      z: h.z ? 64 : 0,
      authentic_data: h.authenticData,
      checking_disabled: h.checkingDisabled,
      rcode: query ? null : (RIPE_RCODES[h.rcode] ?? 'Unassigned/Reserved'),
    },
    qdcount: h.qdcount,
    ancount: h.ancount,
    aucount: h.nscount,
    adcount: h.arcount,
    payload,
  };
}

/**
 * Three malformed vectors (from RIPE's `withErrors.json`) where the rfc dialect differs from RIPE's
 * parser, which there does something RFC 1035 does not: the comparison covers the header and the
 * records before that point, and the rfc result is checked on its own terms. The ripe-ncc dialect
 * matches RIPE on these too.
 */
const DIVERGENCES: Record<number, { agreeFirst: number; check: (m: PartialDnsMessage) => void }> = {
  // An owner name that is a pointer to a pointer: legal, and we follow it, so the whole message decodes;
  // RIPE's parser reads the second pointer's first byte as a label length and gives up.
  65: {
    agreeFirst: 3,
    check: (m) => {
      expect(m.authorities[1]).toMatchObject({ name: 'ripe.net.', rdata: { kind: 'NS', target: 'pri.authdns.ripe.net.' } });
      expect(m.authorities).toHaveLength(6);
      expect(m.additionals.map((r) => r.rdata)).toEqual([
        { kind: 'A', address: '193.0.9.5' },
        { kind: 'AAAA', address: '2001:67c:e0::5' },
      ]);
      expect(m.problem).toBeUndefined();
      expect(m.trailingBytes).toBe(0);
    },
  },
  // A question label holding a zero octet: RFC 2181 section 11 allows any octet in a label, RIPE's parser
  // rejects it. The message is garbage either way: it fails for us one section later.
  154: {
    agreeFirst: 0,
    check: (m) => {
      expect(m.questions[0]?.name).toContain('\\000');
      expect(m.problem).toBeInstanceOf(DnsDecodeError);
      expect(m.problem?.part).toBe('answer');
    },
  },
  // The message ends right after an owner name. RIPE's parser reads the missing bytes as zeros, shows a
  // type-0 class-0 record, and only then reports the error; we report the error at that record.
  292: {
    agreeFirst: 12,
    check: (m) => {
      expect(m.additionals).toHaveLength(2);
      expect(m.problem).toMatchObject({ fault: 'truncated', part: 'additional' });
    },
  },
};

describe('DNS wire decoder against RIPE NCC decodings of real Atlas abufs', () => {
  it('has the recorded vectors', () => {
    expect(vectors).toHaveLength(348);
  });

  const agreeing = vectors.map((v, i) => [i, v] as const).filter(([i]) => !(i in DIVERGENCES));

  it.each(agreeing)('vector %i equals RIPE NCC decoding', (_i, v) => {
    const m = decodeDnsMessagePartial(v.abuf);
    expect(toRipeShape(m, Buffer.from(v.abuf, 'base64').length)).toEqual(v.expected_by_ripe_atlas_bigquery_parser);
  });

  it.each(Object.entries(DIVERGENCES))('vector %s: rfc dialect has the same header and records up to where RIPE NCC departs from RFC 1035', (key, d) => {
    const v = vectors[Number(key)];
    if (!v) throw new Error(`no vector ${key}`);
    const m = decodeDnsMessagePartial(v.abuf);
    const ours = toRipeShape(m, Buffer.from(v.abuf, 'base64').length) as { payload: unknown[] };
    const theirs = v.expected_by_ripe_atlas_bigquery_parser as { payload: unknown[] };
    expect({ ...ours, payload: [] }).toEqual({ ...theirs, payload: [] });
    expect(ours.payload.slice(0, d.agreeFirst)).toEqual(theirs.payload.slice(0, d.agreeFirst));
    expect(ours.payload[d.agreeFirst]).not.toEqual(theirs.payload[d.agreeFirst]);
    d.check(m);
  });

  /** Indices of the vectors whose decoding in `dialect` differs from RIPE NCC's. */
  function differingFromRipe(dialect: DnsDialect): number[] {
    const differing: number[] = [];
    vectors.forEach((v, i) => {
      const m = decodeDnsMessagePartial(v.abuf, { dialect });
      if (!isDeepStrictEqual(toRipeShape(m, Buffer.from(v.abuf, 'base64').length), v.expected_by_ripe_atlas_bigquery_parser)) differing.push(i);
    });
    return differing;
  }

  it('every one of the 348 vectors equals RIPE NCC decoding in the ripe-ncc dialect', () => {
    expect(differingFromRipe('ripe-ncc')).toEqual([]);
  });

  it('the rfc dialect (the default) differs from RIPE NCC on exactly the DIVERGENCES', () => {
    expect(differingFromRipe('rfc')).toEqual(Object.keys(DIVERGENCES).map(Number));
  });
});

const DIALECTS: readonly DnsDialect[] = ['rfc', 'ripe-ncc'];

describe('DNS wire decoder on its own terms', () => {
  it('decodes the CHAOS TXT id.server answer of Quad9 msm 29083406 probe 1000125', () => {
    const m = decodeDnsMessage('4eGBgAABAAEAAAAAAmlkBnNlcnZlcgAAEAADwAwAEAADAAFRgAAZGHJlczMwMC52aWUucnJkbnMucGNoLm5ldA==');
    expect(m.header).toMatchObject({ id: 57825, isResponse: true, recursionDesired: true, recursionAvailable: true, rcode: 0, qdcount: 1, ancount: 1 });
    expect(m.questions).toEqual([{ name: 'id.server.', type: 16, typeName: 'TXT', class: 3, className: 'CH' }]);
    expect(m.answers).toHaveLength(1);
    expect(m.answers[0]).toMatchObject({ name: 'id.server.', typeName: 'TXT', className: 'CH', ttl: 86400, rdata: { kind: 'TXT', strings: ['res300.vie.rrdns.pch.net'] } });
    expect(m.rcodeName).toBe('NOERROR');
  });

  it('reads EDNS0 and the NSID option', () => {
    const v = vectors.find((x) => JSON.stringify(x.expected_by_ripe_atlas_bigquery_parser).includes('"NSID"'));
    if (!v) throw new Error('no NSID vector');
    const m = decodeDnsMessage(v.abuf);
    expect(m.edns).toMatchObject({ udpPayloadSize: 1452, version: 0, dnssecOk: false });
    const nsid = m.edns?.options.find((o) => o.code === 3);
    expect(nsid && latin1(nsid.data)).toBe('ns-1.enum.de9.bind');
  });

  // 330 from RIPE's fixtures.json, plus, in the rfc dialect, vector 65 (RIPE rejects it, it is well-formed).
  it.each([
    ['rfc', 331],
    ['ripe-ncc', 330],
  ] as const)('gives every well-formed vector the same result strictly and partially, and rejects the malformed ones strictly (%s dialect)', (dialect, wellFormed) => {
    let strictOk = 0;
    for (const v of vectors) {
      const partial = decodeDnsMessagePartial(v.abuf, { dialect });
      const malformed = partial.problem !== undefined || partial.trailingBytes !== 0 || [...partial.answers, ...partial.authorities, ...partial.additionals].some((r) => r.rdata.kind === 'malformed');
      if (malformed) {
        expect(() => decodeDnsMessage(v.abuf, { dialect })).toThrow(DnsDecodeError);
      } else {
        strictOk++;
        expect(decodeDnsMessage(v.abuf, { dialect })).toEqual({ ...partial, trailingBytes: undefined });
      }
    }
    expect(strictOk).toBe(wellFormed);
  });

  it('stops a compression pointer cycle with an error', () => {
    // Header with one question whose name is a pointer to itself (offset 12).
    const self = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => decodeDnsMessage(self)).toThrow(expect.objectContaining({ fault: 'pointer-loop', part: 'question' }));
    // Two pointers pointing at each other.
    const pair = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => decodeDnsMessage(pair)).toThrow(expect.objectContaining({ fault: 'pointer-loop' }));
  });

  it('rejects bad base64, short headers, pointers out of range and extended label types', () => {
    expect(() => decodeDnsMessage('not base64!')).toThrow(expect.objectContaining({ fault: 'bad-base64' }));
    expect(() => decodeDnsMessage('AAEC')).toThrow(expect.objectContaining({ fault: 'short-header' }));
    const far = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0, 1, 0, 1]);
    expect(() => decodeDnsMessage(far)).toThrow(expect.objectContaining({ fault: 'pointer-out-of-range' }));
    const ext = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1]);
    expect(() => decodeDnsMessage(ext)).toThrow(expect.objectContaining({ fault: 'bad-label-type' }));
  });

  it('escapes dots, backslashes and unprintable octets in names', () => {
    const msg = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x2e, 0x5c, 2, 0x00, 0xff, 0, 0, 1, 0, 1]);
    expect(decodeDnsMessage(msg).questions[0]?.name).toBe('a\\.\\\\.\\000\\255.');
  });

  it('formats IPv6 addresses per RFC 5952', () => {
    expect(formatIpv6(Buffer.from('20010db8000000000000000000000001', 'hex'))).toBe('2001:db8::1');
    expect(formatIpv6(Buffer.from('20010db8000100000001000000000001', 'hex'))).toBe('2001:db8:1:0:1::1');
    expect(formatIpv6(Buffer.from('00000000000000000000000000000000', 'hex'))).toBe('::');
    expect(formatIpv6(Buffer.from('20010db8000000010001000100010001', 'hex'))).toBe('2001:db8:0:1:1:1:1:1');
  });

  describe('the ripe-ncc dialect, one quirk at a time (the rfc dialect alongside)', () => {
    // Header (ID 1, a response) with the given counts, then the question `a. A IN` at offset 12..18.
    const withQuestion = (an: number, ns: number, ar: number, ...rest: number[]): Uint8Array =>
      Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, an, 0, ns, 0, ar, 1, 0x61, 0, 0, 1, 0, 1, ...rest]);
    const aRecord = (owner: [number, number], ...address: number[]): number[] => [...owner, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...address];

    it('gives up at an owner name that points at a pointer', () => {
      // The first answer's owner points at the question name; the second's points at the first's owner.
      const msg = withQuestion(2, 0, 0, ...aRecord([0xc0, 12], 192, 0, 2, 1), ...aRecord([0xc0, 19], 192, 0, 2, 2));
      const rfc = decodeDnsMessage(msg);
      expect(rfc.answers.map((r) => [r.name, r.rdata])).toEqual([
        ['a.', { kind: 'A', address: '192.0.2.1' }],
        ['a.', { kind: 'A', address: '192.0.2.2' }],
      ]);
      const ripe = decodeDnsMessagePartial(msg, { dialect: 'ripe-ncc' });
      expect(ripe.answers.map((r) => r.name)).toEqual(['a.']);
      expect(ripe.problem).toMatchObject({ fault: 'pointer-to-pointer', part: 'answer', offset: 35 });
      expect(() => decodeDnsMessage(msg, { dialect: 'ripe-ncc' })).toThrow(expect.objectContaining({ fault: 'pointer-to-pointer' }));
    });

    it('makes RDATA naming a pointer to a pointer malformed', () => {
      // A CNAME whose target points at the answer's owner, itself a pointer to the question name.
      const msg = withQuestion(1, 0, 0, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 19);
      expect(decodeDnsMessage(msg).answers[0]?.rdata).toEqual({ kind: 'CNAME', target: 'a.' });
      expect(decodeDnsMessagePartial(msg, { dialect: 'ripe-ncc' }).answers[0]?.rdata).toMatchObject({ kind: 'malformed' });
    });

    it('gives up at a label holding a zero octet', () => {
      const msg = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x00, 0x62, 0, 0, 1, 0, 1]);
      expect(decodeDnsMessage(msg).questions[0]?.name).toBe('a\\000b.');
      const ripe = decodeDnsMessagePartial(msg, { dialect: 'ripe-ncc' });
      expect(ripe.questions).toEqual([]);
      expect(ripe.problem).toMatchObject({ fault: 'zero-octet-in-label', part: 'question', offset: 12 });
    });

    it('reads a record header cut right after the owner name as zeros and fails at the next record', () => {
      const msg = withQuestion(1, 0, 1, 0xc0, 12);
      const rfc = decodeDnsMessagePartial(msg);
      expect(rfc.answers).toEqual([]);
      expect(rfc.problem).toMatchObject({ fault: 'truncated', part: 'answer', offset: 21 });
      const ripe = decodeDnsMessagePartial(msg, { dialect: 'ripe-ncc' });
      expect(ripe.answers).toEqual([
        { section: 'answer', name: 'a.', type: 0, typeName: 'TYPE0', class: 0, className: 'CLASS0', ttl: 0, rdata: { kind: 'unknown' }, raw: new Uint8Array() },
      ]);
      // The next record starts past the end; RIPE reports the error in that record's section.
      expect(ripe.problem).toMatchObject({ fault: 'truncated', part: 'additional' });
      expect(ripe.trailingBytes).toBe(0);
    });

    it('reports a last record read past the end as negative trailing bytes, which strict decoding rejects', () => {
      const msg = withQuestion(1, 0, 0, 0xc0, 12, 0, 1);
      const ripe = decodeDnsMessagePartial(msg, { dialect: 'ripe-ncc' });
      expect(ripe.answers[0]).toMatchObject({ type: 1, class: 0, ttl: 0, rdata: { kind: 'malformed' } });
      expect(ripe.problem).toBeUndefined();
      expect(ripe.trailingBytes).toBe(-8);
      expect(toRipeShape(ripe, msg.length)).toMatchObject({ payload: [{ section: 'query' }, { error: 'parse error in answer section' }] });
      const zeros = decodeDnsMessagePartial(withQuestion(1, 0, 0, 0xc0, 12), { dialect: 'ripe-ncc' });
      expect(toRipeShape(zeros, 21)).toMatchObject({ payload: [{ section: 'query' }, { type: 0, class: 0, data: '' }, { error: 'bad buffer length. Expected:21, got:31. Incomplete parse?' }] });
      expect(() => decodeDnsMessage(withQuestion(1, 0, 0, 0xc0, 12), { dialect: 'ripe-ncc' })).toThrow(
        expect.objectContaining({ fault: 'truncated', part: 'answer', offset: 21 }),
      );
    });

    it('keeps the rfc error when the cut leaves a non-zero RDATA length', () => {
      // RDLENGTH's high byte 1 arrived, its low byte did not: 256 or more bytes of RDATA are missing.
      const msg = withQuestion(1, 0, 0, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 1);
      for (const dialect of DIALECTS) {
        expect(decodeDnsMessagePartial(msg, { dialect }).problem).toMatchObject({ fault: 'truncated', part: 'answer', offset: 21 });
      }
    });
  });

  it.each(DIALECTS)('throws nothing but DnsDecodeError on random bytes, and terminates (%s dialect)', (dialect) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => {
        for (const decode of [decodeDnsMessage, decodeDnsMessagePartial]) {
          try {
            decode(bytes, { dialect });
          } catch (e) {
            if (!(e instanceof DnsDecodeError)) throw e;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each(DIALECTS)('throws nothing but DnsDecodeError on real messages with corrupted bytes (%s dialect)', (dialect) => {
    const real = vectors.map((v) => Uint8Array.from(Buffer.from(v.abuf, 'base64')));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: real.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (which, edits, cut) => {
          const original = real[which] ?? new Uint8Array();
          const bytes = original.slice(0, original.length === 0 ? 0 : cut % (original.length + 1));
          for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
          for (const decode of [decodeDnsMessage, decodeDnsMessagePartial]) {
            try {
              decode(bytes, { dialect });
            } catch (e) {
              if (!(e instanceof DnsDecodeError)) throw e;
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
