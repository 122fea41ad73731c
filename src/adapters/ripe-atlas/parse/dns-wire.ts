// DNS message decoder for RIPE Atlas `abuf` fields (base64 wire format, RFC 1035 4.1). Two entry points:
// `decodeDnsMessage` accepts only a well-formed message; `decodeDnsMessagePartial` keeps everything
// read before the first framing error, because a truncated answer still tells which server replied.
// Neither throws anything but DnsDecodeError, and both finish on any input (see dns-names.ts).
// Both take a dialect (dns-dialect.ts): RFC 1035 by default, or RIPE NCC's parser's reading.

import { dnsClassName, dnsOpcodeName, dnsRcodeName, dnsTypeName, DNS_TYPE } from './dns-codes.js';
import type { DnsDecodeOptions, DnsDialect } from './dns-dialect.js';
import { readName } from './dns-names.js';
import { decodeRdata, type DnsRdata, type EdnsOption } from './dns-rdata.js';
import { DnsDecodeError, type DnsSection } from './errors.js';

export interface DnsHeader {
  readonly id: number;
  /** QR bit: false for a query, true for a response. */
  readonly isResponse: boolean;
  readonly opcode: number;
  readonly opcodeName: string;
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly recursionDesired: boolean;
  readonly recursionAvailable: boolean;
  /** The reserved Z bit (must be 0; some servers set it anyway). */
  readonly z: boolean;
  readonly authenticData: boolean;
  readonly checkingDisabled: boolean;
  /** The 4-bit header RCODE; see DnsMessage.rcode for the EDNS-extended value. */
  readonly rcode: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly typeName: string;
  readonly class: number;
  readonly className: string;
}

export interface DnsRecord extends DnsQuestion {
  readonly section: Exclude<DnsSection, 'question'>;
  /** Unsigned 32-bit TTL (for OPT: extended RCODE, version and flags). */
  readonly ttl: number;
  readonly rdata: DnsRdata;
  /** The RDATA bytes as received. */
  readonly raw: Uint8Array;
}

/** The EDNS0 pseudo-record (RFC 6891) read out of the OPT record. */
export interface EdnsInfo {
  readonly udpPayloadSize: number;
  readonly extendedRcode: number;
  readonly version: number;
  readonly dnssecOk: boolean;
  readonly options: readonly EdnsOption[];
}

export interface DnsMessage {
  readonly header: DnsHeader;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
  readonly edns?: EdnsInfo;
  /** Full response code: the header RCODE with the EDNS extended bits above it. */
  readonly rcode: number;
  readonly rcodeName: string;
}

export interface PartialDnsMessage extends DnsMessage {
  /** The error that stopped decoding, if any; every question and record before it is kept. */
  readonly problem?: DnsDecodeError;
  /**
   * Bytes left after the last record (a well-formed message has none). Negative only in the ripe-ncc
   * dialect, when the last record's header was cut short and read on past the end as zeros.
   */
  readonly trailingBytes: number;
}

const HEADER_BYTES = 12;

/** Decodes a whole, well-formed message; anything malformed or left over is a DnsDecodeError. */
export function decodeDnsMessage(input: string | Uint8Array, options: DnsDecodeOptions = {}): DnsMessage {
  const m = decodeDnsMessagePartial(input, options);
  if (m.problem) throw m.problem;
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) {
    if (r.rdata.kind === 'malformed') throw new DnsDecodeError('bad-rdata', r.section, 0, `${r.typeName} ${r.name}: ${r.rdata.reason}`);
  }
  if (m.trailingBytes > 0) {
    const total = abufLength(input);
    throw new DnsDecodeError('trailing-bytes', 'additional', total - m.trailingBytes, `${m.trailingBytes} bytes after the last record`);
  }
  if (m.trailingBytes < 0) {
    const total = abufLength(input);
    throw new DnsDecodeError('truncated', lastRecordSection(m), total, `the last record ends ${-m.trailingBytes} bytes past the end of the message`);
  }
  const { problem: _problem, trailingBytes: _trailing, ...message } = m;
  return message;
}

/**
 * Decodes as much as possible. Throws DnsDecodeError only when not even the header can be read
 * (bad base64, fewer than 12 bytes); later errors land in `problem`.
 */
export function decodeDnsMessagePartial(input: string | Uint8Array, options: DnsDecodeOptions = {}): PartialDnsMessage {
  const dialect = options.dialect ?? 'rfc';
  const bytes = typeof input === 'string' ? decodeBase64(input) : input;
  if (bytes.length < HEADER_BYTES) {
    throw new DnsDecodeError('short-header', 'header', 0, `${bytes.length} bytes, a header needs ${HEADER_BYTES}`);
  }
  const header = readHeader(bytes);
  const questions: DnsQuestion[] = [];
  const sections = { answer: [] as DnsRecord[], authority: [] as DnsRecord[], additional: [] as DnsRecord[] };
  let pos = HEADER_BYTES;
  let problem: DnsDecodeError | undefined;
  try {
    for (let i = 0; i < header.qdcount; i++) {
      const q = readQuestion(bytes, pos, dialect);
      questions.push(q.question);
      pos = q.end;
    }
    const plan: [Exclude<DnsSection, 'question'>, number][] = [
      ['answer', header.ancount],
      ['authority', header.nscount],
      ['additional', header.arcount],
    ];
    for (const [section, count] of plan) {
      for (let i = 0; i < count; i++) {
        const r = readRecord(bytes, pos, section, dialect);
        sections[section].push(r.record);
        pos = r.end;
      }
    }
  } catch (e) {
    if (!(e instanceof DnsDecodeError)) throw e;
    problem = e;
  }
  const edns = ednsOf(sections.additional);
  const rcode = edns ? (edns.extendedRcode << 4) | header.rcode : header.rcode;
  return {
    header,
    questions,
    answers: sections.answer,
    authorities: sections.authority,
    additionals: sections.additional,
    ...(edns ? { edns } : {}),
    rcode,
    rcodeName: dnsRcodeName(rcode),
    ...(problem ? { problem } : {}),
    trailingBytes: problem ? 0 : bytes.length - pos,
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Strict base64 (Node's decoder silently skips bad characters, which would hide a corrupt field). */
export function decodeBase64(text: string): Uint8Array {
  if (!BASE64.test(text)) throw new DnsDecodeError('bad-base64', 'header', 0, 'abuf is not valid base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function abufLength(input: string | Uint8Array): number {
  return typeof input === 'string' ? decodeBase64(input).length : input.length;
}

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function readHeader(b: Uint8Array): DnsHeader {
  const flags = u16(b, 2);
  const opcode = (flags >> 11) & 0xf;
  return {
    id: u16(b, 0),
    isResponse: (flags & 0x8000) !== 0,
    opcode,
    opcodeName: dnsOpcodeName(opcode),
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    authenticData: (flags & 0x0020) !== 0,
    checkingDisabled: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    qdcount: u16(b, 4),
    ancount: u16(b, 6),
    nscount: u16(b, 8),
    arcount: u16(b, 10),
  };
}

function readQuestion(bytes: Uint8Array, pos: number, dialect: DnsDialect): { question: DnsQuestion; end: number } {
  const n = readName(bytes, pos, 'question', dialect);
  if (n.end + 4 > bytes.length) throw new DnsDecodeError('truncated', 'question', n.end, 'question type and class cut short');
  const type = u16(bytes, n.end);
  const cls = u16(bytes, n.end + 2);
  return {
    question: { name: n.name, type, typeName: dnsTypeName(type), class: cls, className: dnsClassName(cls) },
    end: n.end + 4,
  };
}

function readRecord(
  bytes: Uint8Array,
  pos: number,
  section: Exclude<DnsSection, 'question'>,
  dialect: DnsDialect,
): { record: DnsRecord; end: number } {
  const n = readName(bytes, pos, section, dialect);
  const at = n.end;
  // u16 reads a missing byte as zero, which is what the ripe-ncc quirk below relies on.
  const type = u16(bytes, at);
  const cls = u16(bytes, at + 2);
  const ttl = u16(bytes, at + 4) * 0x10000 + u16(bytes, at + 6);
  const rdlength = u16(bytes, at + 8);
  const start = at + 10;
  if (start > bytes.length) {
    // ripe-ncc quirk: RIPE's parser reads a record header cut short with its missing bytes as zeros,
    // shows the record (type 0, class 0, TTL 0 and no RDATA when the cut comes right after the owner
    // name), and fails only at the next record, or reports a bad length if it was the last one. The
    // rfc dialect reports the truncation at this record: these fields were never sent.
    const padded = dialect === 'ripe-ncc' && rdlength === 0;
    if (!padded) throw new DnsDecodeError('truncated', section, at, 'record header cut short');
  } else if (start + rdlength > bytes.length) {
    throw new DnsDecodeError('truncated', section, at + 8, `RDATA of ${rdlength} bytes runs past the end of the message`);
  }
  return {
    record: {
      section,
      name: n.name,
      type,
      typeName: dnsTypeName(type),
      class: cls,
      className: dnsClassName(cls),
      ttl,
      rdata: decodeRdata(bytes, type, start, rdlength, section, dialect),
      raw: bytes.slice(start, start + rdlength),
    },
    end: start + rdlength,
  };
}

function lastRecordSection(m: DnsMessage): Exclude<DnsSection, 'question'> {
  if (m.additionals.length > 0) return 'additional';
  return m.authorities.length > 0 ? 'authority' : 'answer';
}

function ednsOf(additionals: readonly DnsRecord[]): EdnsInfo | undefined {
  const opt = additionals.find((r) => r.type === DNS_TYPE.OPT);
  if (!opt) return undefined;
  return {
    udpPayloadSize: opt.class,
    extendedRcode: Math.floor(opt.ttl / 0x1000000),
    version: Math.floor(opt.ttl / 0x10000) & 0xff,
    dnssecOk: (opt.ttl & 0x8000) !== 0,
    options: opt.rdata.kind === 'OPT' ? opt.rdata.options : [],
  };
}
