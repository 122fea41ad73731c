// Stored controller-state JSON text -> typed data, or every issue with location:line:col and path,
// within the state's limits on size and depth (src/input). The one entry point for stored state text:
// the file, S3, DynamoDB and memory stores all read through it (stored-state.ts turns its issues into a
// StateCorruptError naming the store and key). Beside the controller state (any version the planner
// reads) it reads the optional control record, decision history and alert memory (src/app/alert-memory.ts,
// what the alerts already said); state written without them loads.

import type * as z from 'zod';
import { alertMemorySchema } from '../../app/alert-memory.js';
import { controlRecordSchema } from '../../app/control-record.js';
import { decisionHistorySchema } from '../../app/decision-history.js';
import { finishIssues, placeFindings, type Finding, type Locator } from '../../input/places.js';
import { readJsonText, type JsonReadResult } from '../../input/read-json.js';
import { checkShape, type ShapeResult } from '../../input/shape.js';
import { storedControllerStateSchema } from '../../planner/controller-state.js';
import type { PolicyIssue } from '../../policy/issues.js';
import type { StoredState } from '../../ports/state-store.js';

export type StoredCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };
export type StateParseResult = { readonly ok: true; readonly state: StoredState } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** Stored text -> plain data, within its size cap and the depth limit. `where`: the file name or object location, for the messages. */
export function readStoredJson(text: string, where: string, kind: 'state' | 'lease' = 'state'): JsonReadResult {
  return readJsonText(text, where, kind);
}

/** Data read by readStoredJson against what the store keeps there (the state, or a store's envelope around it). */
export function checkStored<S extends z.ZodType>(schema: S, read: { readonly data: unknown; readonly locate: Locator }, where: string): StoredCheck<z.output<S>> {
  return placed(checkShape(schema, read.data), read.locate, where);
}

/** The stored state `data`, found at `path` of what readStoredJson read (the root, or `state` in an S3 object). */
export function checkStoredState(data: unknown, locate: Locator, where: string, path: readonly PropertyKey[] = []): StoredCheck<StoredState> {
  return placed(checkStoredStateData(data, path), locate, where);
}

export function parseControllerStateText(text: string, where: string): StateParseResult {
  const read = readStoredJson(text, where);
  if (!read.ok) return read;
  const checked = checkStoredState(read.data, read.locate, where);
  return checked.ok ? { ok: true, state: checked.value } : checked;
}

/** The planner's state (any version it reads) and, split off first, the optional parts kept beside it. */
function checkStoredStateData(data: unknown, path: readonly PropertyKey[]): ShapeResult<StoredState> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return prefixed(checkShape(storedControllerStateSchema, data), path);
  const { control, decisions, alerts, ...controller } = data as Record<string, unknown>;
  const core = prefixed(checkShape(storedControllerStateSchema, controller), path);
  const record = control === undefined ? undefined : prefixed(checkShape(controlRecordSchema, control), [...path, 'control']);
  const history = decisions === undefined ? undefined : prefixed(checkShape(decisionHistorySchema, decisions), [...path, 'decisions']);
  const memory = alerts === undefined ? undefined : prefixed(checkShape(alertMemorySchema, alerts), [...path, 'alerts']);
  const findings: Finding[] = [core, record, history, memory].flatMap((r) => (r !== undefined && !r.ok ? r.findings : []));
  if (!core.ok || findings.length > 0) return { ok: false, findings };
  return {
    ok: true,
    value: { ...core.value, ...(record?.ok === true ? { control: record.value } : {}), ...(history?.ok === true ? { decisions: history.value } : {}), ...(memory?.ok === true ? { alerts: memory.value } : {}) },
  };
}

function prefixed<T>(result: ShapeResult<T>, path: readonly PropertyKey[]): ShapeResult<T> {
  if (result.ok || path.length === 0) return result;
  return { ok: false, findings: result.findings.map((f) => ({ ...f, place: { ...f.place, path: [...path, ...f.place.path] } })) };
}

function placed<T>(result: ShapeResult<T>, locate: Locator, where: string): StoredCheck<T> {
  if (result.ok) return { ok: true, value: result.value };
  return { ok: false, issues: finishIssues(placeFindings(result.findings, where, locate), where) };
}
