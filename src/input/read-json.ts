// JSON text -> plain data, within limits: size, nesting depth (before any parser recurses), keys that
// reach the object prototype. A problem is an issue at its place, never an exception. Pure: the
// caller reads the file.

import { visit } from 'jsonc-parser';
import type { PolicyIssue } from '../policy/issues.js';
import { forbiddenKeyMessage, isForbiddenKey } from './forbidden-keys.js';
import { findJsonTooDeep } from './json-depth.js';
import { jsonLocator } from './json-locator.js';
import { MAX_NESTING_DEPTH, type InputKind } from './limits.js';
import { finishIssues, issueAt, NO_POSITION, placeFindings, type Finding, type Locator, type SourcePosition } from './places.js';
import { checkTextSize } from './text-size.js';

export type JsonReadResult =
  | { readonly ok: true; readonly data: unknown; readonly locate: Locator }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function readJsonText(text: string, file: string, kind: InputKind): JsonReadResult {
  const tooLarge = checkTextSize(text, file, kind);
  if (tooLarge !== undefined) return { ok: false, issues: [tooLarge] };
  const deep = findJsonTooDeep(text, MAX_NESTING_DEPTH);
  if (deep !== undefined) {
    return { ok: false, issues: [issueAt(file, 'error', positionOf(text, deep.offset), `nested deeper than ${MAX_NESTING_DEPTH} levels of objects and arrays`)] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [issueAt(file, 'error', firstSyntaxError(text), `not valid JSON: ${jsonErrorText(e)}`)] };
  }
  const locate = jsonLocator(text);
  const forbidden = findForbiddenKeys(data);
  if (forbidden.length > 0) return { ok: false, issues: finishIssues(placeFindings(forbidden, file, locate), file) };
  return { ok: true, data, locate };
}

/** Keys such as `__proto__` anywhere in the data, walked with an explicit stack. */
function findForbiddenKeys(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const stack: { value: unknown; path: readonly PropertyKey[] }[] = [{ value: data, path: [] }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value, path } = entry;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        if (isForbiddenKey(key)) findings.push({ severity: 'error', place: { path, key }, message: forbiddenKeyMessage(key) });
        else if (typeof v === 'object' && v !== null) stack.push({ value: v, path: [...path, key] });
      }
    }
  }
  return findings;
}

function firstSyntaxError(text: string): SourcePosition {
  let pos: SourcePosition = NO_POSITION;
  visit(
    text,
    {
      onError: (_code, _offset, _length, line, character) => {
        if (pos === NO_POSITION) pos = { line: line + 1, column: character + 1 };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return pos === NO_POSITION && text.trim() === '' ? { line: 1, column: 1 } : pos;
}

/** V8's message without its own position (the issue has line:col) or its quote of the text. */
function jsonErrorText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const quoteStart = message.search(/, (\.\.\.)?"/);
  const head = quoteStart === -1 ? message : message.slice(0, quoteStart);
  return (head.split('\n')[0] ?? head).replace(/ (in JSON )?at position \d+( \(line \d+ column \d+\))?/, '').slice(0, 200);
}

function positionOf(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
