// YAML text -> a typed Policy, or every issue at once, each with file:line:col and path. Pure: the
// caller reads the file.

import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, sortIssues, type PolicyIssue } from './issues.js';
import { policySchema, type Policy } from './schema.js';
import { checkPolicySemantics } from './semantic-checks.js';
import { locatePath } from './yaml-locations.js';

export type PolicyParseResult =
  | { readonly ok: true; readonly policy: Policy; readonly warnings: readonly PolicyIssue[] }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function parsePolicyText(text: string, file: string): PolicyParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  const syntaxIssues: PolicyIssue[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { severity: 'error', file, line: pos.line, column: pos.col, path: '', message: firstLine(e.message) };
  });
  if (syntaxIssues.length > 0) return { ok: false, issues: sortIssues(syntaxIssues) };
  if (doc.contents === null) {
    return { ok: false, issues: [{ severity: 'error', file, line: 0, column: 0, path: '', message: 'the policy is empty' }] };
  }

  const parsed = policySchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    return { ok: false, issues: sortIssues(parsed.error.issues.flatMap((i) => toPolicyIssues(i, doc, lineCounter, file))) };
  }

  const semantic = checkPolicySemantics(parsed.data).map((finding): PolicyIssue => {
    const pos = locatePath(doc, lineCounter, finding.path);
    return { severity: finding.severity, file, line: pos.line, column: pos.column, path: formatPath(finding.path), message: finding.message };
  });
  const errors = semantic.filter((i) => i.severity === 'error');
  if (errors.length > 0) return { ok: false, issues: sortIssues(semantic) };
  return { ok: true, policy: parsed.data, warnings: sortIssues(semantic) };
}

export function toPolicyIssues(
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  file: string,
): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const pos = locatePath(doc, lineCounter, issue.path, key);
      return {
        severity: 'error',
        file,
        line: pos.line,
        column: pos.column,
        path: formatPath([...issue.path, key]),
        message: 'unknown key',
      };
    });
  }
  const pos = locatePath(doc, lineCounter, issue.path);
  return [{ severity: 'error', file, line: pos.line, column: pos.column, path: formatPath(issue.path), message: describeIssue(issue) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // Our schema's own messages are already worded for engineers; rewrite only zod's defaults.
  if (!/^(Invalid|Too (big|small)|Expected)/.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') return `must be ${article(issue.expected)}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

function article(expected: string): string {
  const noun = expected === 'record' ? 'mapping' : expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
