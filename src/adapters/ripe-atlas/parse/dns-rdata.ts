// RDATA of the record types the project reads, decoded into fields. Any other type keeps its raw
// bytes (RFC 3597). RDATA that contradicts its own type (an A record of 5 bytes, a name running out
// of the RDATA) becomes `malformed`: the record length still frames the message, so decoding goes on.

import { DNS_TYPE } from './dns-codes.js';
import type { DnsDialect } from './dns-dialect.js';
import { readName } from './dns-names.js';
import { DnsDecodeError, type DnsSection } from './errors.js';

export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

export type DnsRdata =
  | { readonly kind: 'A'; readonly address: string }
  | { readonly kind: 'AAAA'; readonly address: string }
  | { readonly kind: 'NS' | 'CNAME' | 'PTR'; readonly target: string }
  | {
      readonly kind: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly kind: 'MX'; readonly preference: number; readonly exchange: string }
  /** Character-strings, one character per byte (latin1), so no byte is lost or altered. */
  | { readonly kind: 'TXT'; readonly strings: readonly string[] }
  | { readonly kind: 'OPT'; readonly options: readonly EdnsOption[] }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Decodes `length` bytes of RDATA at `start`; the message is needed for compression pointers. */
export function decodeRdata(msg: Uint8Array, type: number, start: number, length: number, part: DnsSection, dialect: DnsDialect = 'rfc'): DnsRdata {
  try {
    return decodeKnown(msg, type, start, start + length, part, dialect);
  } catch (e) {
    if (e instanceof DnsDecodeError) return { kind: 'malformed', reason: e.message };
    throw e;
  }
}

function decodeKnown(msg: Uint8Array, type: number, start: number, end: number, part: DnsSection, dialect: DnsDialect): DnsRdata {
  const bad = (detail: string): DnsDecodeError => new DnsDecodeError('bad-rdata', part, start, detail);
  // Names inside RDATA may point anywhere in the message, but their own octets must stay inside it.
  const name = (at: number): { name: string; end: number } => {
    const n = readName(msg, at, part, dialect);
    if (n.end > end) throw bad('name runs past the end of the RDATA');
    return n;
  };
  const u16 = (at: number): number => ((msg[at] ?? 0) << 8) | (msg[at + 1] ?? 0);
  const u32 = (at: number): number => u16(at) * 0x10000 + u16(at + 2);
  const length = end - start;
  switch (type) {
    case DNS_TYPE.A:
      if (length !== 4) throw bad(`A record of ${length} bytes`);
      return { kind: 'A', address: Array.from(msg.subarray(start, end)).join('.') };
    case DNS_TYPE.AAAA:
      if (length !== 16) throw bad(`AAAA record of ${length} bytes`);
      return { kind: 'AAAA', address: formatIpv6(msg.subarray(start, end)) };
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR: {
      const n = name(start);
      if (n.end !== end) throw bad('bytes left after the name');
      const kind = type === DNS_TYPE.NS ? 'NS' : type === DNS_TYPE.CNAME ? 'CNAME' : 'PTR';
      return { kind, target: n.name };
    }
    case DNS_TYPE.SOA: {
      const m = name(start);
      const r = name(m.end);
      if (end - r.end !== 20) throw bad('SOA counters are not 20 bytes');
      const at = r.end;
      return {
        kind: 'SOA',
        mname: m.name,
        rname: r.name,
        serial: u32(at),
        refresh: u32(at + 4),
        retry: u32(at + 8),
        expire: u32(at + 12),
        minimum: u32(at + 16),
      };
    }
    case DNS_TYPE.MX: {
      if (length < 3) throw bad('MX record too short');
      const n = name(start + 2);
      if (n.end !== end) throw bad('bytes left after the name');
      return { kind: 'MX', preference: u16(start), exchange: n.name };
    }
    case DNS_TYPE.TXT: {
      const strings: string[] = [];
      for (let at = start; at < end; ) {
        const len = msg[at] ?? 0;
        if (at + 1 + len > end) throw bad('character-string runs past the end of the RDATA');
        strings.push(latin1(msg.subarray(at + 1, at + 1 + len)));
        at += 1 + len;
      }
      return { kind: 'TXT', strings };
    }
    case DNS_TYPE.OPT: {
      const options: EdnsOption[] = [];
      for (let at = start; at < end; ) {
        if (at + 4 > end) throw bad('EDNS option header cut short');
        const len = u16(at + 2);
        if (at + 4 + len > end) throw bad('EDNS option runs past the end of the RDATA');
        options.push({ code: u16(at), data: msg.slice(at + 4, at + 4 + len) });
        at += 4 + len;
      }
      return { kind: 'OPT', options };
    }
    default:
      return { kind: 'unknown' };
  }
}

export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
