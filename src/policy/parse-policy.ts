// YAML text -> a typed Policy, or every issue at once, each with file:line:col and path: reading
// problems (size, syntax, depth, aliases), shape (types, ranges, unknown keys) and meaning (semantic
// checks on whatever parts parsed) in one pass. Pure: the caller reads the file.

import { readYamlText } from '../input/read-yaml.js';
import { finishIssues, placeFindings, type Finding } from '../input/places.js';
import { checkShape } from '../input/shape.js';
import type { PolicyIssue } from './issues.js';
import { partsOfPolicy, salvagePolicyParts } from './policy-parts.js';
import { policySchema, type Policy } from './schema.js';
import { checkPolicySemantics, type PolicyUse } from './semantic-checks.js';

export type { PolicyUse } from './semantic-checks.js';

export type PolicyParseResult =
  | { readonly ok: true; readonly policy: Policy; readonly warnings: readonly PolicyIssue[] }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export interface PolicyParseOptions {
  /** `snapshot` (default): a Region without a load query is a warning; `live`: an error. */
  readonly use?: PolicyUse;
}

export function parsePolicyText(text: string, file: string, options: PolicyParseOptions = {}): PolicyParseResult {
  const read = readYamlText(text, file, 'policy');
  if (!read.ok) return { ok: false, issues: read.issues };

  const shape = checkShape(policySchema, read.data);
  const parts = shape.ok ? partsOfPolicy(shape.value) : salvagePolicyParts(read.data);
  const semantic = checkPolicySemantics(parts, options.use ?? 'snapshot').map((f): Finding => ({ severity: f.severity, place: { path: f.path }, message: f.message }));
  const findings = shape.ok ? semantic : [...shape.findings, ...semantic];
  const issues = finishIssues([...placeFindings(findings, file, read.locate), ...read.warnings], file);

  if (!shape.ok || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, policy: shape.value, warnings: issues };
}
