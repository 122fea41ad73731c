// Where each measurement's ingestion stopped, so a run asks only for results after it
// (start = last + 1). Results at the boundary can come back (a server that treats `start`
// inclusively, or a deliberate overlap to catch late-stored results), so the cursor also remembers
// which probe reported at which second near the end and drops those repeats.
//
// The state is a small JSON document; every function here is pure. Dedupe compares against the
// cursor as it was when the run began, because one run's results are not globally time-ordered.

import * as z from 'zod';
import { AtlasCursorStateError } from './errors.js';

export interface MeasurementCursor {
  /** Newest result `timestamp` (UNIX seconds) ingested so far. */
  readonly lastTimestamp: number;
  /** Every ingested result with a timestamp from here to lastTimestamp is listed in recentKeys. */
  readonly rememberedFrom: number;
  /** `<prb_id>@<timestamp>` of the ingested results from rememberedFrom on. */
  readonly recentKeys: readonly string[];
}

export interface IncrementalCursorState {
  readonly version: 1;
  /** By measurement id (as a string: JSON keys). */
  readonly measurements: Readonly<Record<string, MeasurementCursor>>;
}

export type ResultVerdict = 'new' | 'duplicate' | 'unkeyed';

const cursorSchema = z
  .strictObject({
    lastTimestamp: z.int().nonnegative(),
    rememberedFrom: z.int().nonnegative(),
    recentKeys: z.array(z.string().regex(/^\d+@\d+$/)),
  })
  .refine((c) => c.rememberedFrom <= c.lastTimestamp, 'rememberedFrom must not be after lastTimestamp');

const stateSchema = z.strictObject({
  version: z.literal(1),
  measurements: z.record(z.string().regex(/^\d+$/), cursorSchema),
});

export function emptyCursorState(): IncrementalCursorState {
  return { version: 1, measurements: {} };
}

/** Reads a persisted state, rejecting anything that would silently restart or skip ingestion. */
export function parseCursorState(json: unknown): IncrementalCursorState {
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new AtlasCursorStateError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

export function cursorOf(state: IncrementalCursorState, measurementId: number): MeasurementCursor | undefined {
  return state.measurements[String(measurementId)];
}

export function withCursor(state: IncrementalCursorState, measurementId: number, cursor: MeasurementCursor | undefined): IncrementalCursorState {
  if (cursor === undefined) return state;
  return { version: 1, measurements: { ...state.measurements, [String(measurementId)]: cursor } };
}

/** The `start` to ask for: undefined on the first run (the caller picks its own look-back). */
export function nextStart(cursor: MeasurementCursor | undefined, overlapSeconds = 0): number | undefined {
  if (cursor === undefined) return undefined;
  return Math.max(0, cursor.lastTimestamp + 1 - overlapSeconds);
}

/** The probe id and timestamp that identify a result; tolerant of numbers sent as strings. */
export function resultKey(result: unknown): { readonly prbId: number; readonly timestamp: number } | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  const prbId = intOf(r['prb_id']);
  const timestamp = intOf(r['timestamp']);
  return prbId === undefined || timestamp === undefined ? undefined : { prbId, timestamp };
}

/** Whether a result is new relative to the cursor the run began with. */
export function classifyResult(cursor: MeasurementCursor | undefined, result: unknown): ResultVerdict {
  const key = resultKey(result);
  if (key === undefined) return 'unkeyed';
  if (cursor === undefined || key.timestamp > cursor.lastTimestamp) return 'new';
  // Older than the remembered window: an earlier run asked for that time and took what was there.
  if (key.timestamp < cursor.rememberedFrom) return 'duplicate';
  return cursor.recentKeys.includes(`${key.prbId}@${key.timestamp}`) ? 'duplicate' : 'new';
}

/**
 * The cursor after ingesting `results` (a batch, so long streams copy the state once per batch).
 * Unkeyed results do not move it. `overlapSeconds` must match the one given to nextStart.
 */
export function advanceCursor(cursor: MeasurementCursor | undefined, results: readonly unknown[], overlapSeconds = 0): MeasurementCursor | undefined {
  let last = cursor?.lastTimestamp;
  const keys = new Map<string, number>();
  for (const k of cursor?.recentKeys ?? []) keys.set(k, Number(k.slice(k.indexOf('@') + 1)));
  for (const result of results) {
    const key = resultKey(result);
    if (key === undefined) continue;
    if (last === undefined || key.timestamp > last) last = key.timestamp;
    if (key.timestamp >= last - overlapSeconds) keys.set(`${key.prbId}@${key.timestamp}`, key.timestamp);
  }
  if (last === undefined) return undefined;
  const floor = Math.max(0, last - overlapSeconds);
  const recentKeys = [...keys].filter(([, ts]) => ts >= floor).map(([k]) => k).sort();
  return { lastTimestamp: last, rememberedFrom: floor, recentKeys };
}

function intOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}
