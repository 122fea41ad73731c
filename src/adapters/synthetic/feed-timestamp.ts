// Feed timestamps: ISO-8601 with an explicit time zone, or Unix epoch seconds. Parsed by hand rather
// than with Date.parse, which accepts local times and odd forms differently across engines.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const EPOCH_TEXT = /^\d+(?:\.\d+)?$/;
/** Epoch seconds beyond this (year 5138) are almost surely milliseconds. */
const EPOCH_SECONDS_MAX = 1e11;

export type TimestampResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

export function parseFeedTimestamp(value: unknown, label: string): TimestampResult {
  if (typeof value === 'number') return fromEpochSeconds(value, label, String(value));
  if (typeof value !== 'string') return { ok: false, message: value === undefined || value === null ? `${label} missing` : `${label} must be a string or a number` };
  const text = value.trim();
  if (text === '') return { ok: false, message: `${label} missing` };
  if (EPOCH_TEXT.test(text)) return fromEpochSeconds(Number(text), label, text);
  const m = ISO.exec(text);
  if (m === null) return { ok: false, message: `${label} ${JSON.stringify(value)} is neither ISO-8601 with a time zone nor epoch seconds` };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const fraction = Number(`0.${m[7] ?? '0'}`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `${label} ${JSON.stringify(value)} is not a valid date and time` };
  }
  const offsetMinutes = zoneOffsetMinutes(m[8] ?? 'Z');
  if (offsetMinutes === null) return { ok: false, message: `${label} ${JSON.stringify(value)} has an impossible time zone offset` };
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(fraction * 1000) - offsetMinutes * 60_000;
  return { ok: true, ms };
}

function fromEpochSeconds(seconds: number, label: string, shown: string): TimestampResult {
  if (!Number.isFinite(seconds) || seconds < 0) return { ok: false, message: `${label} ${shown} is not a valid epoch time` };
  if (seconds >= EPOCH_SECONDS_MAX) return { ok: false, message: `${label} ${shown} looks like milliseconds; epoch timestamps are in seconds` };
  return { ok: true, ms: Math.round(seconds * 1000) };
}

function zoneOffsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
