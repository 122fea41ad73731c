// Ping results: the probe's summary plus one entry per packet ({rtt}, {x:"*"}, {error}).

import { array, int, isObject, num, required, text, type JsonObject } from './fields.js';
import type { AtlasResultBase, PingPacket, PingResult } from './result-types.js';

// Firmware before 4570 counted the 8-byte ICMP header in `size` (as Sagan corrects it).
const ICMP_SIZE_FIX_BEFORE_FW = 4570;

export function parsePing(obj: JsonObject, base: AtlasResultBase): PingResult {
  const notes = [...base.notes];
  const sent = required(obj, 'sent', int, 'an integer');
  const received = required(obj, 'rcvd', int, 'an integer');
  const duplicates = int(obj['dup']) ?? 0;
  // Atlas writes -1 for min/avg/max when no reply came back.
  const stat = (key: string): number | undefined => {
    const v = num(obj[key]);
    return v !== undefined && v >= 0 && received > 0 ? v : undefined;
  };
  const rawPackets = array(obj['result']);
  // Packets carry `ttl` only when it differs from the first reply's, which the top level holds; when
  // no distinct reply came back the top level has none, so take the first packet's.
  const firstTtl = int(obj['ttl']) ?? (rawPackets ?? []).map((e) => (isObject(e) ? int(e['ttl']) : undefined)).find((t) => t !== undefined);
  const packets: PingPacket[] = [];
  for (const [i, e] of (rawPackets ?? []).entries()) {
    const p = readPacket(e, firstTtl);
    if (p) packets.push(p);
    else notes.push(`result[${i}]: unrecognised packet entry ${JSON.stringify(e)?.slice(0, 80)}`);
  }
  if (rawPackets) {
    const distinct = packets.filter((p) => p.kind === 'reply' && !p.duplicate).length;
    if (distinct !== received) notes.push(`${distinct} distinct replies listed but rcvd is ${received}`);
  }
  let packetSize = int(obj['size']);
  if (packetSize !== undefined && base.firmware < ICMP_SIZE_FIX_BEFORE_FW && obj['proto'] !== 'UDP') {
    packetSize = Math.max(0, packetSize - 8);
  }
  const minMs = stat('min');
  const avgMs = stat('avg');
  const maxMs = stat('max');
  return {
    ...base,
    type: 'ping',
    sent,
    received,
    duplicates,
    ...(minMs !== undefined ? { minMs } : {}),
    ...(avgMs !== undefined ? { avgMs } : {}),
    ...(maxMs !== undefined ? { maxMs } : {}),
    ...(packetSize !== undefined ? { packetSize } : {}),
    packets,
    packetsRecorded: rawPackets !== undefined,
    notes,
  };
}

function readPacket(e: unknown, firstTtl: number | undefined): PingPacket | undefined {
  if (!isObject(e)) return undefined;
  const rtt = num(e['rtt']);
  if (rtt !== undefined && rtt >= 0) {
    const ttl = int(e['ttl']) ?? firstTtl;
    const srcAddr = text(e['src_addr']) ?? text(e['srcaddr']);
    return {
      kind: 'reply',
      rttMs: rtt,
      ...(ttl !== undefined ? { ttl } : {}),
      ...(srcAddr !== undefined ? { srcAddr } : {}),
      duplicate: truthy(e['dup']),
      late: truthy(e['late']),
    };
  }
  if (e['x'] !== undefined) return { kind: 'timeout' };
  const error = text(e['error']) ?? text(e['err']);
  if (error !== undefined) return { kind: 'error', message: error };
  return undefined;
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'number' && v > 0) || v === '1';
}
