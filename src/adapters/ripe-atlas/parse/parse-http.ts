// HTTP results. Firmware 0 and 1 wrote one line of text, `GET4 <addr> <seconds> <status> <hsize> <bsize>`
// (fw 0 even under `src_addr`); later firmware writes one object per request.

import { ResultParseError } from './errors.js';
import { afOf, array, int, isObject, num, str, text, type JsonObject } from './fields.js';
import type { AtlasResultBase, HttpExchange, HttpResult } from './result-types.js';

const LEGACY_LINE = /^([A-Z]+)([46])\s+(\S+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;

export function parseHttp(obj: JsonObject, base: AtlasResultBase): HttpResult {
  const notes = [...base.notes];
  const uri = text(obj['uri']);
  const list = array(obj['result']);
  let exchanges: HttpExchange[];
  if (list) {
    exchanges = [];
    for (const [i, e] of list.entries()) {
      if (isObject(e)) exchanges.push(readExchange(e));
      else notes.push(`result[${i}]: not an object`);
    }
  } else {
    const line = str(obj['result']) ?? (base.firmware <= 1 ? str(obj['src_addr']) : undefined);
    if (line === undefined) throw new ResultParseError('/result', 'an HTTP result needs a `result` list (or a legacy result line)');
    exchanges = [readLegacyLine(line)];
  }
  return { ...base, type: 'http', ...(uri !== undefined ? { uri } : {}), exchanges, notes };
}

function readExchange(e: JsonObject): HttpExchange {
  // Firmware 4300-era results say `mode: "GET4"` where later ones say `method: "GET"` and `af`.
  const mode = text(e['mode']);
  const method = text(e['method']) ?? mode?.replace(/[46]$/, '');
  const dstAddr = text(e['dst_addr']) ?? text(e['addr']);
  const af = afOf(e['af'] ?? (mode?.endsWith('6') ? 6 : mode?.endsWith('4') ? 4 : undefined), dstAddr);
  const error = text(e['err']) ?? text(e['dnserr']);
  return dropUndefined({
    method,
    af,
    dstAddr,
    srcAddr: text(e['src_addr']) ?? text(e['srcaddr']),
    status: int(e['res']),
    version: text(e['ver']),
    rtMs: num(e['rt']),
    headerBytes: int(e['hsize']),
    bodyBytes: int(e['bsize']),
    error,
  });
}

function readLegacyLine(line: string): HttpExchange {
  const m = LEGACY_LINE.exec(line);
  if (!m) return { error: line };
  const [, method, family, dstAddr, seconds, status, hsize, bsize] = m;
  return {
    method: method ?? 'GET',
    af: family === '6' ? 6 : 4,
    dstAddr: dstAddr ?? '',
    rtMs: Number(seconds) * 1000,
    status: Number(status),
    headerBytes: Number(hsize),
    bodyBytes: Number(bsize),
  };
}

function dropUndefined(e: { [K in keyof Required<HttpExchange>]: Required<HttpExchange>[K] | undefined }): HttpExchange {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined) out[k] = v;
  return out as HttpExchange;
}
