// Stored controller-state JSON text -> typed data, or every issue with location:line:col and path,
// within the state's limits on size and depth (src/input). The one entry point for stored state text:
// the file, S3, DynamoDB and memory stores all read through it (stored-state.ts turns its issues into a
// StateCorruptError naming the store and key).
//
// Beside the controller state (src/planner/controller-state.ts) the stored document may carry fields of
// its own, each optional so older documents still load: `alerts` (src/app/alert-memory.ts), what the
// alerts already said. They are checked here, each against its schema, and the rest as the state.

import { z } from 'zod';
import { finishIssues, placeFindings, type Finding, type Locator } from '../../input/places.js';
import { readJsonText, type JsonReadResult } from '../../input/read-json.js';
import { checkShape } from '../../input/shape.js';
import { storedControllerStateSchema } from '../../planner/controller-state.js';
import type { PolicyIssue } from '../../policy/issues.js';
import { alertMemorySchema } from '../../app/alert-memory.js';
import type { StoredState } from '../../ports/state-store.js';

export type StoredCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };
export type StateParseResult = { readonly ok: true; readonly state: StoredState } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** The stored document's own fields beside the controller state's: name -> schema. */
const besideStateSchema = z.object({ alerts: alertMemorySchema.optional() });
const BESIDE_STATE_KEYS: readonly string[] = Object.keys(besideStateSchema.shape);

/** Stored text -> plain data, within its size cap and the depth limit. `where`: the file name or object location, for the messages. */
export function readStoredJson(text: string, where: string, kind: 'state' | 'lease' = 'state'): JsonReadResult {
  return readJsonText(text, where, kind);
}

/** Data read by readStoredJson against what the store keeps there (the state, or a store's envelope around it). */
export function checkStored<S extends z.ZodType>(schema: S, read: { readonly data: unknown; readonly locate: Locator }, where: string): StoredCheck<z.output<S>> {
  const checked = checkPart(schema, read.data, []);
  if (checked.ok) return { ok: true, value: checked.value };
  return { ok: false, issues: finishIssues(placeFindings(checked.findings, where, read.locate), where) };
}

/**
 * The stored state (controller state and the fields beside it) found at `at` in data read by
 * readStoredJson: the whole document for a bare state, `['state']` inside a store's envelope.
 */
export function checkStoredState(read: { readonly data: unknown; readonly locate: Locator }, where: string, at: readonly PropertyKey[] = []): StoredCheck<StoredState> {
  const data = read.data === null || typeof read.data !== 'object' || Array.isArray(read.data) ? undefined : (read.data as Record<string, unknown>);
  const stateOnly = data === undefined ? read.data : Object.fromEntries(Object.entries(data).filter(([k]) => !BESIDE_STATE_KEYS.includes(k)));
  const state = checkPart(storedControllerStateSchema, stateOnly, at);
  const beside = data === undefined ? undefined : checkPart(besideStateSchema, data, at);
  const findings = [...(state.ok ? [] : state.findings), ...(beside === undefined || beside.ok ? [] : beside.findings)];
  if (!state.ok || (beside !== undefined && !beside.ok)) {
    return { ok: false, issues: finishIssues(placeFindings(findings, where, read.locate), where) };
  }
  const alerts = beside?.value.alerts;
  return { ok: true, value: { ...state.value, ...(alerts !== undefined ? { alerts } : {}) } };
}

export function parseControllerStateText(text: string, where: string): StateParseResult {
  const read = readStoredJson(text, where);
  if (!read.ok) return read;
  const checked = checkStoredState(read, where);
  return checked.ok ? { ok: true, state: checked.value } : checked;
}

type PartCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly findings: readonly Finding[] };

/** `data` (found at `at` in the document) against `schema`; the findings' places are in the whole document. */
function checkPart<S extends z.ZodType>(schema: S, data: unknown, at: readonly PropertyKey[]): PartCheck<z.output<S>> {
  const shape = checkShape(schema, data);
  if (shape.ok) return shape;
  if (at.length === 0) return shape;
  return { ok: false, findings: shape.findings.map((f) => ({ ...f, place: { ...f.place, path: [...at, ...f.place.path] } })) };
}
