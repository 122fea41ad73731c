// Scenario YAML -> a typed Scenario, or every issue with file:line:col and path (as for policies).

import { LineCounter, parseDocument } from 'yaml';
import { sortIssues, type PolicyIssue } from '../../policy/issues.js';
import { toPolicyIssues } from '../../policy/parse-policy.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export type ScenarioParseResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function parseScenarioText(text: string, file: string): ScenarioParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { severity: 'error', file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    };
  }
  const parsed = scenarioSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (parsed.success) return { ok: true, scenario: parsed.data };
  const issues = parsed.error.issues.flatMap((i) => toPolicyIssues(i, doc, lineCounter, file));
  return { ok: false, issues: sortIssues(issues) };
}
