// The four text loaders under one signature, and what every one of their answers must satisfy:
// never an exception, every issue a single clear line naming its file and (unless it is about the whole
// document) its line and column.

import { expect } from 'vitest';
import { parseControllerStateText } from '../../src/adapters/state/parse-state-text.js';
import type { PolicyIssue } from '../../src/policy/issues.js';
import { formatIssue } from '../../src/policy/issues.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { parseScenarioText } from '../../src/sim/scenario/parse-scenario.js';
import { parseSnapshotText } from '../../src/snapshot/parse-snapshot.js';

export type LoaderName = 'policy' | 'scenario' | 'snapshot' | 'state';

export interface LoaderAnswer {
  readonly ok: boolean;
  /** Errors when not ok, warnings when ok. */
  readonly issues: readonly PolicyIssue[];
}

export const LOADERS: Readonly<Record<LoaderName, (text: string, file: string) => LoaderAnswer>> = {
  policy: (text, file) => {
    const r = parsePolicyText(text, file, { use: 'live' });
    return { ok: r.ok, issues: r.ok ? r.warnings : r.issues };
  },
  scenario: (text, file) => {
    const r = parseScenarioText(text, file);
    return { ok: r.ok, issues: r.ok ? r.warnings : r.issues };
  },
  snapshot: (text, file) => {
    const r = parseSnapshotText(text, file);
    return { ok: r.ok, issues: r.ok ? [] : r.issues };
  },
  state: (text, file) => {
    const r = parseControllerStateText(text, file);
    return { ok: r.ok, issues: r.ok ? [] : r.issues };
  },
};

/** Issues that are about the whole document may have no line; every other one must. */
const WHOLE_DOCUMENT = /is empty$|may be at most|more issue\(s\) not listed/;

/** Loads `text`, asserting the answer is well formed; returns it with the time it took. */
export function loadChecked(loader: LoaderName, text: string, file = `in.${loader === 'snapshot' || loader === 'state' ? 'json' : 'yaml'}`): LoaderAnswer & { ms: number } {
  const started = performance.now();
  const answer = LOADERS[loader](text, file);
  const ms = performance.now() - started;
  if (!answer.ok) expect(answer.issues.some((i) => i.severity === 'error'), 'a refusal names at least one error').toBe(true);
  for (const issue of answer.issues) {
    const line = formatIssue(issue);
    expect(issue.file, line).toBe(file);
    expect(issue.message.length, line).toBeGreaterThan(0);
    expect(line, 'one line per issue').not.toContain('\n');
    expect(line.length, line).toBeLessThan(600);
    expect(line, line).not.toMatch(/Maximum call stack|\[object Object\]|resource exhaustion|TypeError|RangeError/);
    if (issue.line === 0) expect(issue.message, `${line}: an issue without a place must be about the whole document`).toMatch(WHOLE_DOCUMENT);
    else expect(issue.column, line).toBeGreaterThan(0);
  }
  return { ...answer, ms };
}

export function messagesOf(answer: LoaderAnswer): string[] {
  return answer.issues.map(formatIssue);
}
