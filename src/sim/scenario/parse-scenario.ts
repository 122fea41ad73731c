// Scenario YAML -> a typed Scenario, or every issue with file:line:col and path (as for policies).

import { LineCounter, parseDocument } from 'yaml';
import { formatPath, sortIssues, type PolicyIssue } from '../../policy/issues.js';
import { locatePath } from '../../policy/yaml-locations.js';
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
  const issues = parsed.error.issues.flatMap((i): PolicyIssue[] => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [undefined];
    return keys.map((key) => {
      const pos = locatePath(doc, lineCounter, i.path, key);
      const path = key === undefined ? i.path : [...i.path, key];
      return { severity: 'error', file, line: pos.line, column: pos.column, path: formatPath(path), message: key === undefined ? i.message : 'unknown key' };
    });
  });
  return { ok: false, issues: sortIssues(issues) };
}
