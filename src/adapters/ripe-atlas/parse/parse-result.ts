// Entry point for one RIPE Atlas result object (one element of a results download, one JSONL line).
// Never throws: an unusable object comes back as a ResultParseError value, so one bad line cannot stop
// a download. Like Sagan, a result needs `type`, `msm_id`, `prb_id`, `timestamp` and `fw`.

import { ResultParseError } from './errors.js';
import { afOf, int, isObject, required, str, text, type JsonObject } from './fields.js';
import { parseDns } from './parse-dns.js';
import { parseHttp } from './parse-http.js';
import { parsePing } from './parse-ping.js';
import { parseTraceroute } from './parse-traceroute.js';
import type { AtlasResultBase, AtlasResultType, ParsedResult } from './result-types.js';

const TYPES: readonly AtlasResultType[] = ['ping', 'dns', 'traceroute', 'http'];

export function parseAtlasResult(json: unknown): ParsedResult | ResultParseError {
  if (!isObject(json)) return new ResultParseError('', `expected a result object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  const context = {
    ...(int(json['msm_id']) !== undefined ? { msmId: int(json['msm_id']) } : {}),
    ...(int(json['prb_id']) !== undefined ? { probeId: int(json['prb_id']) } : {}),
    ...(int(json['timestamp']) !== undefined ? { timestamp: int(json['timestamp']) } : {}),
  };
  try {
    const base = readBase(json);
    switch (base.type) {
      case 'ping':
        return parsePing(json, base);
      case 'dns':
        return parseDns(json, base);
      case 'traceroute':
        return parseTraceroute(json, base);
      case 'http':
        return parseHttp(json, base);
    }
  } catch (e) {
    if (e instanceof ResultParseError) return new ResultParseError(e.path, e.message.replace(/^[^:]*: /, ''), context);
    // A parser bug must not escape either; report it against the object.
    return new ResultParseError('', `unexpected ${e instanceof Error ? e.name : 'failure'}: ${e instanceof Error ? e.message : String(e)}`, context);
  }
}

/** Parses a JSONL download (`format=txt`): one result or error per non-empty line. */
export function parseAtlasResultLines(text: string): (ParsedResult | ResultParseError)[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return parseAtlasResult(JSON.parse(line));
      } catch {
        return new ResultParseError('', `line ${i + 1} is not JSON`);
      }
    });
}

function readBase(o: JsonObject): AtlasResultBase {
  const type = required(o, 'type', (v) => (TYPES.includes(v as AtlasResultType) ? (v as AtlasResultType) : undefined), `one of ${TYPES.join(', ')}`);
  const msmId = required(o, 'msm_id', positiveInt, 'a measurement id');
  const probeId = required(o, 'prb_id', positiveInt, 'a probe id');
  const timestamp = required(o, 'timestamp', nonNegativeInt, 'UNIX seconds');
  const firmware = required(o, 'fw', nonNegativeInt, 'a firmware number');
  const observedAt = new Date(timestamp * 1000);
  if (Number.isNaN(observedAt.getTime())) throw new ResultParseError('/timestamp', 'out of range');
  const lts = int(o['lts']);
  const dstAddr = text(o['dst_addr']) ?? text(o['addr']);
  const dstName = text(o['dst_name']) ?? text(o['name']);
  const srcAddr = text(o['src_addr']) ?? text(o['srcaddr']);
  const af = afOf(o['af'] ?? o['pf'], dstAddr);
  const from = text(o['from']);
  const formatVersion = str(o['mver']);
  const storedTimestamp = int(o['stored_timestamp']);
  return {
    type,
    msmId,
    probeId,
    timestamp,
    observedAt: observedAt.toISOString(),
    firmware,
    ...(formatVersion !== undefined ? { formatVersion } : {}),
    ...(lts !== undefined && lts >= 0 ? { clockSyncAgeSeconds: lts } : {}),
    clockSyncUnknown: lts !== undefined && lts < 0,
    ...(from !== undefined ? { from } : {}),
    ...(srcAddr !== undefined && !(type === 'http' && firmware <= 1) ? { srcAddr } : {}),
    ...(dstAddr !== undefined ? { dstAddr } : {}),
    ...(dstName !== undefined ? { dstName } : {}),
    ...(af !== undefined && (dstAddr !== undefined || o['af'] !== undefined) ? { af } : {}),
    ...(storedTimestamp !== undefined ? { storedTimestamp } : {}),
    notes: [],
  };
}

function positiveInt(v: unknown): number | undefined {
  const n = int(v);
  return n !== undefined && n > 0 ? n : undefined;
}

function nonNegativeInt(v: unknown): number | undefined {
  const n = int(v);
  return n !== undefined && n >= 0 ? n : undefined;
}
