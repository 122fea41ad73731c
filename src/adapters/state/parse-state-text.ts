// Stored controller-state JSON text -> typed data, or every issue with location:line:col and path,
// within the state's limits on size and depth (src/input). The one entry point for stored state text:
// the file, S3, DynamoDB and memory stores all read through it (stored-state.ts turns its issues into a
// StateCorruptError naming the store and key).

import type { z } from 'zod';
import { finishIssues, placeFindings, type Locator } from '../../input/places.js';
import { readJsonText, type JsonReadResult } from '../../input/read-json.js';
import { checkShape } from '../../input/shape.js';
import { storedControllerStateSchema, type ControllerState } from '../../planner/controller-state.js';
import type { PolicyIssue } from '../../policy/issues.js';

export type StoredCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };
export type StateParseResult = { readonly ok: true; readonly state: ControllerState } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** Stored text -> plain data, within its size cap and the depth limit. `where`: the file name or object location, for the messages. */
export function readStoredJson(text: string, where: string, kind: 'state' | 'lease' = 'state'): JsonReadResult {
  return readJsonText(text, where, kind);
}

/** Data read by readStoredJson against what the store keeps there (the state, or a store's envelope around it). */
export function checkStored<S extends z.ZodType>(schema: S, read: { readonly data: unknown; readonly locate: Locator }, where: string): StoredCheck<z.output<S>> {
  const shape = checkShape(schema, read.data);
  if (shape.ok) return { ok: true, value: shape.value };
  return { ok: false, issues: finishIssues(placeFindings(shape.findings, where, read.locate), where) };
}

export function parseControllerStateText(text: string, where: string): StateParseResult {
  const read = readStoredJson(text, where);
  if (!read.ok) return read;
  const checked = checkStored(storedControllerStateSchema, read, where);
  return checked.ok ? { ok: true, state: checked.value } : checked;
}
