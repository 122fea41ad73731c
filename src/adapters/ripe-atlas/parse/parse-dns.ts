// DNS results in both forms: `result` (one server, the measurement's target) and `resultset` (one
// element per resolver of the probe), plus `error` objects at either level. The wire answer `abuf` is
// decoded here, because only it carries the RCODE and every record type (the probe's own `answers`
// list stops at two TXT/SOA records).

import { decodeDnsMessagePartial, type PartialDnsMessage } from './dns-wire.js';
import { DNS_TYPE } from './dns-codes.js';
import { DnsDecodeError } from './errors.js';
import { afOf, array, int, isObject, num, str, text, type JsonObject } from './fields.js';
import { ResultParseError } from './errors.js';
import type { AtlasResultBase, DnsExchange, DnsFailure, DnsResponse, DnsResult, ProbeDnsAnswer } from './result-types.js';

export function parseDns(obj: JsonObject, base: AtlasResultBase): DnsResult {
  const notes = [...base.notes];
  const exchanges: DnsExchange[] = [];
  const set = array(obj['resultset']);
  if (set) {
    for (const [i, item] of set.entries()) {
      if (!isObject(item)) {
        notes.push(`resultset[${i}]: not an object`);
        continue;
      }
      const ex = readExchange(item, base.timestamp, `resultset[${i}]`, notes);
      if (ex) exchanges.push(ex);
    }
  } else if (obj['result'] !== undefined || obj['error'] !== undefined) {
    // Single-server form: addressing is at the top level.
    const ex = readExchange(obj, base.timestamp, '', notes);
    if (ex) exchanges.push(ex);
  } else {
    throw new ResultParseError('/result', 'a DNS result needs `result`, `resultset` or `error`');
  }
  return { ...base, type: 'dns', exchanges, notes };
}

function readExchange(o: JsonObject, defaultTime: number, where: string, notes: string[]): DnsExchange | undefined {
  let outcome: DnsResponse | DnsFailure;
  if (isObject(o['result'])) {
    // Old firmware put `qbuf` at the top; it is not needed to read the answer.
    outcome = readResponse(o['result'], where === '' ? 'result' : `${where}.result`, notes);
  } else if (isObject(o['error'])) {
    outcome = readFailure(o['error']);
  } else {
    notes.push(`${where || 'result'}: neither a result nor an error object`);
    return undefined;
  }
  const dstAddr = text(o['dst_addr']) ?? text(o['dst_name']);
  const dstPort = int(o['dst_port']);
  const srcAddr = text(o['src_addr']);
  const af = afOf(o['af'], dstAddr);
  const proto = text(o['proto']);
  const subId = int(o['subid']);
  const subMax = int(o['submax']);
  return {
    ...(dstAddr !== undefined ? { dstAddr } : {}),
    ...(dstPort !== undefined ? { dstPort } : {}),
    ...(srcAddr !== undefined ? { srcAddr } : {}),
    ...(af !== undefined ? { af } : {}),
    ...(proto !== undefined ? { proto } : {}),
    ...(subId !== undefined ? { subId } : {}),
    ...(subMax !== undefined ? { subMax } : {}),
    time: int(o['time']) ?? defaultTime,
    outcome,
  };
}

function readResponse(r: JsonObject, where: string, notes: string[]): DnsResponse | DnsFailure {
  const rtMs = num(r['rt']);
  if (rtMs === undefined) {
    notes.push(`${where}: no response time`);
    return { kind: 'error', reason: 'malformed', message: 'response without a response time' };
  }
  const size = int(r['size']);
  const abuf = str(r['abuf']);
  let message: PartialDnsMessage | undefined;
  let decodeError: DnsDecodeError | undefined;
  if (abuf !== undefined) {
    try {
      message = decodeDnsMessagePartial(abuf);
      if (message.problem) notes.push(`${where}.abuf: ${message.problem.message}`);
      const id = int(r['ID']);
      if (id !== undefined && id !== message.header.id) notes.push(`${where}: ID ${id} differs from the abuf's ${message.header.id}`);
    } catch (e) {
      if (!(e instanceof DnsDecodeError)) throw e;
      decodeError = e;
      notes.push(`${where}.abuf: ${e.message}`);
    }
  }
  const probeAnswers = readProbeAnswers(r['answers']);
  const txt = message ? txtOfMessage(message) : probeAnswers.filter((a) => a.type === 'TXT').map((a) => a.rdata.join(''));
  return {
    kind: 'response',
    rtMs,
    ...(size !== undefined ? { size } : {}),
    ...(abuf !== undefined ? { abuf } : {}),
    ...(message ? { message, rcode: message.rcode } : {}),
    ...(decodeError ? { decodeError } : {}),
    txt,
    probeAnswers,
  };
}

/** TXT records of the answer section (any class: CHAOS identity answers are class CH). */
function txtOfMessage(m: PartialDnsMessage): string[] {
  return m.answers.flatMap((a) => (a.type === DNS_TYPE.TXT && a.rdata.kind === 'TXT' ? [a.rdata.strings.join('')] : []));
}

function readProbeAnswers(v: unknown): ProbeDnsAnswer[] {
  const out: ProbeDnsAnswer[] = [];
  for (const a of array(v) ?? []) {
    if (!isObject(a)) continue;
    const type = text(a['TYPE']) ?? (int(a['TYPE']) !== undefined ? String(a['TYPE']) : undefined);
    if (type === undefined) continue;
    const name = str(a['NAME']);
    const raw = a['RDATA'];
    const rdata = typeof raw === 'string' ? [raw] : (array(raw) ?? []).filter((x): x is string => typeof x === 'string');
    out.push({ type, ...(name !== undefined ? { name } : {}), rdata });
  }
  return out;
}

function readFailure(e: JsonObject): DnsFailure {
  const timeoutMs = num(e['timeout']);
  if (timeoutMs !== undefined) return { kind: 'error', reason: 'timeout', message: `no answer within ${timeoutMs} ms`, timeoutMs };
  const [reason, detail] = Object.entries(e)[0] ?? ['unknown', ''];
  return { kind: 'error', reason, message: `${reason}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` };
}
