// Controller-state JSON text -> a typed state, or every issue with file:line:col and path, within the
// state's limits on size and depth. The one entry point for state text: the file store, the S3 store
// and `plan --state` all read through it.

import { finishIssues, placeFindings } from '../../input/places.js';
import { readJsonText } from '../../input/read-json.js';
import { checkShape } from '../../input/shape.js';
import { controllerStateSchema, type ControllerState } from '../../planner/controller-state.js';
import type { PolicyIssue } from '../../policy/issues.js';

export type StateParseResult = { readonly ok: true; readonly state: ControllerState } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** `where`: the file name or object location, for the messages. */
export function parseControllerStateText(text: string, where: string): StateParseResult {
  const read = readJsonText(text, where, 'state');
  if (!read.ok) return read;
  const shape = checkShape(controllerStateSchema, read.data);
  if (shape.ok) return { ok: true, state: shape.value };
  return { ok: false, issues: finishIssues(placeFindings(shape.findings, where, read.locate), where) };
}
