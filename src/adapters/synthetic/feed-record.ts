// One feed line, whatever its encoding, checked and turned into a LatencySample. The checks and their
// messages are shared by both encodings; only the field names shown differ (rttMs vs rtt_ms).

import type { LatencySample } from '../../domain/samples.js';
import { parseFeedTimestamp } from './feed-timestamp.js';

/** A line's values before checking. `undefined`: absent. For rttMs, `null` means "no reply". */
export interface RawFeedRecord {
  readonly timestamp: unknown;
  readonly vantage: unknown;
  readonly clientGroup: unknown;
  readonly region: unknown;
  readonly rttMs: unknown;
  readonly lossPercent: unknown;
  readonly sent: unknown;
  readonly received: unknown;
}

export type FeedField = keyof RawFeedRecord;
export type FeedFieldNames = Readonly<Record<FeedField, string>>;

export const JSONL_FIELD_NAMES: FeedFieldNames = {
  timestamp: 'timestamp', vantage: 'vantage', clientGroup: 'clientGroup', region: 'region',
  rttMs: 'rttMs', lossPercent: 'lossPercent', sent: 'sent', received: 'received',
};

export const CSV_FIELD_NAMES: FeedFieldNames = {
  timestamp: 'timestamp', vantage: 'vantage', clientGroup: 'client_group', region: 'region',
  rttMs: 'rtt_ms', lossPercent: 'loss_percent', sent: 'sent', received: 'received',
};

/** Same shape the policy accepts for Region keys. */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d$/;
const MAX_NAME_CHARS = 200;
/** With only a loss percentage, a line stands for this many packets. */
const PACKETS_FOR_LOSS_PERCENT = 100;

export type RecordResult = { readonly ok: true; readonly sample: LatencySample; readonly observedMs: number } | { readonly ok: false; readonly message: string };

export function checkFeedRecord(raw: RawFeedRecord, names: FeedFieldNames): RecordResult {
  const fail = (message: string): RecordResult => ({ ok: false, message });

  const time = parseFeedTimestamp(raw.timestamp, names.timestamp);
  if (!time.ok) return fail(time.message);

  const vantage = name(raw.vantage, names.vantage);
  if (vantage === undefined) return fail(`${names.vantage} missing`);
  if (typeof vantage !== 'string') return fail(vantage.message);
  const group = name(raw.clientGroup, names.clientGroup);
  if (group !== undefined && typeof group !== 'string') return fail(group.message);

  if (raw.region === undefined || raw.region === '') return fail(`${names.region} missing`);
  if (typeof raw.region !== 'string' || !REGION_CODE.test(raw.region)) {
    return fail(`${names.region} ${JSON.stringify(raw.region)} is not an AWS Region code such as eu-central-1`);
  }

  if (raw.rttMs === undefined) return fail(`${names.rttMs} missing (null means no reply)`);
  if (raw.rttMs !== null && typeof raw.rttMs !== 'number') return fail(`${names.rttMs} must be a number, got ${JSON.stringify(raw.rttMs)}`);
  const rttMs = raw.rttMs;
  if (rttMs !== null && rttMs < 0) return fail(`${names.rttMs} ${rttMs} is negative`);

  const loss = optionalNumber(raw.lossPercent, names.lossPercent);
  if (typeof loss === 'object') return fail(loss.message);
  if (loss !== undefined && (loss < 0 || loss > 100)) return fail(`${names.lossPercent} ${loss} is outside 0..100`);

  const packets = packetCounts(raw, names, rttMs, loss);
  if ('message' in packets) return fail(packets.message);

  return {
    ok: true,
    observedMs: time.ms,
    sample: {
      clientGroup: group ?? vantage,
      vantage,
      region: raw.region,
      rttMs,
      sent: packets.sent,
      received: packets.received,
      observedAt: new Date(time.ms).toISOString(),
      source: 'synthetic',
    },
  };
}

function packetCounts(raw: RawFeedRecord, names: FeedFieldNames, rttMs: number | null, loss: number | undefined): { sent: number; received: number } | { message: string } {
  const sent = optionalNumber(raw.sent, names.sent);
  if (typeof sent === 'object') return sent;
  const received = optionalNumber(raw.received, names.received);
  if (typeof received === 'object') return received;

  if (sent !== undefined || received !== undefined) {
    if (sent === undefined || received === undefined) return { message: `${names.sent} and ${names.received} go together` };
    if (!Number.isInteger(sent) || sent < 1) return { message: `${names.sent} must be a whole number >= 1, got ${sent}` };
    if (!Number.isInteger(received) || received < 0) return { message: `${names.received} must be a whole number >= 0, got ${received}` };
    if (received > sent) return { message: `${names.received} ${received} exceeds ${names.sent} ${sent}` };
    if (loss !== undefined) {
      const counted = ((sent - received) / sent) * 100;
      if (Math.abs(counted - loss) > 0.5) return { message: `${names.lossPercent} ${loss} disagrees with ${names.sent} ${sent} / ${names.received} ${received}` };
    }
    if (rttMs === null && received > 0) return { message: `${names.rttMs} says no reply but ${names.received} is ${received}` };
    if (rttMs !== null && received === 0) return { message: `${names.rttMs} ${rttMs} given but ${names.received} is 0` };
    return { sent, received };
  }
  if (loss !== undefined) {
    if (rttMs === null && loss < 100) return { message: `${names.rttMs} says no reply but ${names.lossPercent} is ${loss}` };
    if (rttMs !== null && loss === 100) return { message: `${names.rttMs} ${rttMs} given but ${names.lossPercent} is 100` };
    const received = rttMs === null ? 0 : Math.max(1, Math.round(PACKETS_FOR_LOSS_PERCENT - loss));
    return { sent: PACKETS_FOR_LOSS_PERCENT, received };
  }
  return { sent: 1, received: rttMs === null ? 0 : 1 };
}

/** A trimmed name; `undefined` when absent or blank. */
function name(value: unknown, label: string): string | undefined | { message: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return { message: `${label} must be a string` };
  const text = value.trim();
  if (text === '') return undefined;
  if (text.length > MAX_NAME_CHARS) return { message: `${label} is longer than ${MAX_NAME_CHARS} characters` };
  return text;
}

function optionalNumber(value: unknown, label: string): number | undefined | { message: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { message: `${label} must be a number, got ${JSON.stringify(value)}` };
  return value;
}
