// JSON text -> a typed Snapshot, or every issue with file:line:col and path. JSON is parsed with the
// YAML parser (JSON is a subset of YAML 1.2) only to know where each value sits in the text.

import { LineCounter, parseDocument } from 'yaml';
import { formatPath, sortIssues, type PolicyIssue } from '../policy/issues.js';
import { locatePath } from '../policy/yaml-locations.js';
import { snapshotSchema, type Snapshot } from './schema.js';

export type SnapshotParseResult = { readonly ok: true; readonly snapshot: Snapshot } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function parseSnapshotText(text: string, file: string): SnapshotParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const first = doc.errors[0];
    const pos = first !== undefined ? lineCounter.linePos(first.pos[0]) : { line: 0, col: 0 };
    return { ok: false, issues: [{ severity: 'error', file, line: pos.line, column: pos.col, path: '', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const parsed = snapshotSchema.safeParse(data);
  if (parsed.success) return { ok: true, snapshot: parsed.data };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const issues = parsed.error.issues.flatMap((issue): PolicyIssue[] => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const pos = locatePath(doc, lineCounter, issue.path, key);
      const path = key === undefined ? issue.path : [...issue.path, key];
      return { severity: 'error', file, line: pos.line, column: pos.column, path: formatPath(path), message: key === undefined ? issue.message : 'unknown key' };
    });
  });
  return { ok: false, issues: sortIssues(issues) };
}
