// A JSON Lines feed line to a raw record. Unknown keys are ignored so feeds can carry extra context.

import type { RawFeedRecord } from './feed-record.js';

export type LineRead = { readonly ok: true; readonly record: RawFeedRecord } | { readonly ok: false; readonly message: string };

export function readJsonlLine(text: string): LineRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not a JSON object' };
  const o = value as Record<string, unknown>;
  return {
    ok: true,
    record: {
      timestamp: o['timestamp'],
      vantage: o['vantage'],
      clientGroup: o['clientGroup'],
      region: o['region'],
      // Absent and null differ here: null is "no reply", absent is a mistake.
      rttMs: Object.hasOwn(o, 'rttMs') ? o['rttMs'] : undefined,
      lossPercent: o['lossPercent'],
      sent: o['sent'],
      received: o['received'],
    },
  };
}
