// Where an issue is: a path in the parsed data (plus, for a problem with a key itself, the key), turned
// into file:line:col by a locator built once per document.

import { formatPath, sortIssues, type IssueSeverity, type PolicyIssue } from '../policy/issues.js';
import { escapeControls } from './describe-value.js';
import { MAX_REPORTED_ISSUES } from './limits.js';

export interface SourcePosition {
  /** 1-based; 0 when the problem has no single place. */
  readonly line: number;
  readonly column: number;
}

export interface Place {
  readonly path: readonly PropertyKey[];
  /** Set when the problem is the key `key` of the mapping at `path` (an unknown or invalid key). */
  readonly key?: string;
}

/** Positions of many places at once, in order; a place that does not exist gets its deepest ancestor. */
export type Locator = (places: readonly Place[]) => readonly SourcePosition[];

export interface Finding {
  readonly severity: IssueSeverity;
  readonly place: Place;
  /** Set when the position is known and the path alone would not find it (a repeated key). */
  readonly position?: SourcePosition;
  readonly message: string;
}

export const NO_POSITION: SourcePosition = { line: 0, column: 0 };

export function issueAt(file: string, severity: IssueSeverity, position: SourcePosition, message: string, path = ''): PolicyIssue {
  return { severity, file, line: position.line, column: position.column, path, message: escapeControls(message) };
}

/** Longest key shown in a path: the rest of a 5,000-character key says nothing more. */
const MAX_SHOWN_KEY_LENGTH = 64;

/** The path as issues show it: on one line, each key cut to a readable length. */
function displayPath(path: readonly PropertyKey[]): string {
  const shown = path.map((p) => (typeof p === 'string' && p.length > MAX_SHOWN_KEY_LENGTH ? `${p.slice(0, MAX_SHOWN_KEY_LENGTH - 3)}...` : p));
  return escapeControls(formatPath(shown));
}

/** Findings -> issues with file:line:col. */
export function placeFindings(findings: readonly Finding[], file: string, locate: Locator): PolicyIssue[] {
  const positions = locate(findings.map((f) => f.place));
  return findings.map((f, i): PolicyIssue => {
    const pos = f.position ?? positions[i] ?? NO_POSITION;
    const path = f.place.key === undefined ? f.place.path : [...f.place.path, f.place.key];
    return { severity: f.severity, file, line: pos.line, column: pos.column, path: displayPath(path), message: escapeControls(f.message) };
  });
}

/**
 * The issues of one file as reported: warnings at the place of an error dropped (`enabled: yes` needs
 * the type fixed, not quoting), sorted by place, the first MAX_REPORTED_ISSUES and a count of the rest.
 */
export function finishIssues(issues: readonly PolicyIssue[], file: string): PolicyIssue[] {
  const errorPlaces = new Set(issues.filter((i) => i.severity === 'error' && i.line > 0).map((i) => `${i.line}:${i.column}`));
  const kept = issues.filter((i) => i.severity === 'error' || !errorPlaces.has(`${i.line}:${i.column}`));
  const sorted = sortIssues(kept);
  if (sorted.length <= MAX_REPORTED_ISSUES) return sorted;
  const rest = sorted.slice(MAX_REPORTED_ISSUES);
  const errors = rest.filter((i) => i.severity === 'error').length;
  const summary = issueAt(
    file,
    errors > 0 ? 'error' : 'warning',
    NO_POSITION,
    `${rest.length} more issue(s) not listed (${errors} error(s)); fix the ones above and run again`,
  );
  return [...sorted.slice(0, MAX_REPORTED_ISSUES), summary];
}
