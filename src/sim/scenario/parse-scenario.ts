// Scenario YAML -> a typed Scenario, or every issue with file:line:col and path (as for policies, with
// the same limits on size, depth and aliases).

import { finishIssues, placeFindings } from '../../input/places.js';
import { readYamlText } from '../../input/read-yaml.js';
import { checkShape } from '../../input/shape.js';
import type { PolicyIssue } from '../../policy/issues.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export type ScenarioParseResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly PolicyIssue[] }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function parseScenarioText(text: string, file: string): ScenarioParseResult {
  const read = readYamlText(text, file, 'scenario');
  if (!read.ok) return read;
  const shape = checkShape(scenarioSchema, read.data);
  const issues = finishIssues([...(shape.ok ? [] : placeFindings(shape.findings, file, read.locate)), ...read.warnings], file);
  return shape.ok ? { ok: true, scenario: shape.value, warnings: issues } : { ok: false, issues };
}
