// Traceroute results: hops of replies. Late packets keep no RTT (Sagan drops them from hop medians
// too); a trace that could not start has a single `{error}` element and no hops.

import { ResultParseError } from './errors.js';
import { array, int, isObject, num, text, type JsonObject } from './fields.js';
import type { AtlasResultBase, TraceHop, TraceReply, TracerouteResult } from './result-types.js';

export function parseTraceroute(obj: JsonObject, base: AtlasResultBase): TracerouteResult {
  const notes = [...base.notes];
  const raw = array(obj['result']);
  if (!raw) throw new ResultParseError('/result', 'a traceroute result needs a `result` array');
  const hops: TraceHop[] = [];
  let error: string | undefined;
  for (const [i, h] of raw.entries()) {
    if (!isObject(h)) {
      notes.push(`result[${i}]: not an object`);
      continue;
    }
    const hop = int(h['hop']);
    const hopError = text(h['error']);
    if (hop === undefined) {
      if (hopError !== undefined) error = hopError;
      else notes.push(`result[${i}]: hop without a number`);
      continue;
    }
    const replies: TraceReply[] = [];
    for (const [j, r] of (array(h['result']) ?? []).entries()) {
      const reply = readReply(r);
      if (reply) replies.push(reply);
      else notes.push(`result[${i}].result[${j}]: unrecognised reply ${JSON.stringify(r)?.slice(0, 80)}`);
    }
    hops.push({ hop, replies, ...(hopError !== undefined ? { error: hopError } : {}) });
  }
  const proto = text(obj['proto']);
  const parisId = int(obj['paris_id']);
  const endTimestamp = int(obj['endtime']);
  const packetSize = int(obj['size']);
  const dst = base.dstAddr;
  const destinationReplied =
    dst !== undefined && hops.some((h) => h.replies.some((r) => r.kind === 'reply' && sameAddress(r.from, dst)));
  return {
    ...base,
    type: 'traceroute',
    ...(proto !== undefined ? { proto } : {}),
    ...(parisId !== undefined ? { parisId } : {}),
    ...(endTimestamp !== undefined ? { endTimestamp } : {}),
    ...(packetSize !== undefined ? { packetSize } : {}),
    hops,
    ...(error !== undefined ? { error } : {}),
    destinationReplied,
    notes,
  };
}

function readReply(r: unknown): TraceReply | undefined {
  if (!isObject(r)) return undefined;
  const from = text(r['from']);
  if (from === undefined) return r['x'] !== undefined ? { kind: 'timeout' } : undefined;
  const late = int(r['late']);
  const rtt = num(r['rtt']);
  const ttl = int(r['ttl']);
  const size = int(r['size']);
  const err = r['err'];
  const icmpError = typeof err === 'string' ? err : typeof err === 'number' ? String(err) : undefined;
  const innerTtl = int(r['ittl']);
  const quotedDestination = text(r['edst']);
  const mtu = int(r['mtu']);
  const mplsLabels = mplsOf(r['icmpext']);
  return {
    kind: 'reply',
    from,
    ...(rtt !== undefined && late === undefined ? { rttMs: rtt } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(late !== undefined ? { late } : {}),
    ...(icmpError !== undefined ? { icmpError } : {}),
    ...(innerTtl !== undefined ? { innerTtl } : {}),
    ...(quotedDestination !== undefined ? { quotedDestination } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
    duplicate: r['dup'] === true || r['dup'] === 1,
    ...(mplsLabels.length > 0 ? { mplsLabels } : {}),
  };
}

function mplsOf(ext: unknown): number[] {
  if (!isObject(ext)) return [];
  const labels: number[] = [];
  for (const o of array(ext['obj']) ?? []) {
    if (!isObject(o)) continue;
    for (const m of array(o['mpls']) ?? []) {
      const label = isObject(m) ? int(m['label']) : undefined;
      if (label !== undefined) labels.push(label);
    }
  }
  return labels;
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
