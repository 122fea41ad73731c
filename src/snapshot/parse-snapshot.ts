// JSON text -> a typed Snapshot, or every issue with file:line:col and path, within the snapshot's
// limits on size and depth.

import { finishIssues, placeFindings } from '../input/places.js';
import { readJsonText } from '../input/read-json.js';
import { checkShape } from '../input/shape.js';
import type { PolicyIssue } from '../policy/issues.js';
import { snapshotSchema, type Snapshot } from './schema.js';

export type SnapshotParseResult = { readonly ok: true; readonly snapshot: Snapshot } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function parseSnapshotText(text: string, file: string): SnapshotParseResult {
  const read = readJsonText(text, file, 'snapshot');
  if (!read.ok) return read;
  const shape = checkShape(snapshotSchema, read.data);
  if (shape.ok) return { ok: true, snapshot: shape.value };
  return { ok: false, issues: finishIssues(placeFindings(shape.findings, file, read.locate), file) };
}
