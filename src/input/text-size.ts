// The size cap, checked on the text before any parsing (the file loaders check the file's size before
// reading it, with the same message).

import type { PolicyIssue } from '../policy/issues.js';
import { describeBytes, MAX_INPUT_BYTES, utf8Length, type InputKind } from './limits.js';
import { issueAt, NO_POSITION } from './places.js';

export function checkTextSize(text: string, file: string, kind: InputKind): PolicyIssue | undefined {
  const bytes = utf8Length(text);
  return bytes > MAX_INPUT_BYTES[kind] ? tooLargeIssue(file, kind, bytes) : undefined;
}

export function isTooLarge(kind: InputKind, bytes: number): boolean {
  return bytes > MAX_INPUT_BYTES[kind];
}

export function tooLargeIssue(file: string, kind: InputKind, bytes: number): PolicyIssue {
  const max = MAX_INPUT_BYTES[kind];
  return issueAt(file, 'error', NO_POSITION, `the ${kind} is ${groupDigits(bytes)} bytes; a ${kind} may be at most ${describeBytes(max)} (${groupDigits(max)} bytes)`);
}

function groupDigits(n: number): string {
  return n.toLocaleString('en-US');
}
