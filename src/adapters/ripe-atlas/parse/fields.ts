// Defensive readers for Atlas JSON fields. Firmware wrote numbers as strings at times (fw 0 pings,
// `"fw": "4570"`), so numeric readers accept numeric strings; anything else reads as absent.

import { ResultParseError } from './errors.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

export function int(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A string that says something: Atlas writes `""` for unknown addresses. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function af(v: unknown): 4 | 6 | undefined {
  const n = int(v);
  return n === 4 || n === 6 ? n : undefined;
}

/** Address family from the field, else guessed from the address (Sagan does the same). */
export function afOf(v: unknown, addr: string | undefined): 4 | 6 | undefined {
  return af(v) ?? (addr === undefined ? undefined : addr.includes(':') ? 6 : 4);
}

export function array(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Reads a field that must be there; a missing or mistyped one makes the whole result unusable. */
export function required<T>(obj: JsonObject, key: string, read: (v: unknown) => T | undefined, what: string): T {
  const v = read(obj[key]);
  if (v === undefined) {
    throw new ResultParseError(`/${key}`, obj[key] === undefined ? `missing (${what})` : `not ${what}: ${JSON.stringify(obj[key])?.slice(0, 80)}`);
  }
  return v;
}

