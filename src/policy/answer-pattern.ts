// The regular expressions of `answers[].match`, compiled by RE2 (re2js, a pure-JS port): matching
// takes time linear in the answer, so no pattern in a policy can stall a cycle (a backtracking engine
// took 63 s on a 28-character answer with `(a+)+$`). RE2 syntax: no lookaround or backreferences.
// The validator and the landing rules both compile here, so what validates is what runs.

import { RE2JS } from 're2js';

/** Longest pattern accepted: answer patterns are short (`^fra`, `\.dub\d+$`). */
export const MAX_ANSWER_PATTERN_LENGTH = 256;

export interface AnswerPattern {
  /** Whether the pattern finds the answer, ignoring case (answers are host names). */
  readonly test: (answer: string) => boolean;
}

export type AnswerPatternResult = { readonly ok: true; readonly pattern: AnswerPattern } | { readonly ok: false; readonly problem: string };

export function compileAnswerPattern(source: string): AnswerPatternResult {
  if (source.length > MAX_ANSWER_PATTERN_LENGTH) {
    return { ok: false, problem: `is longer than ${MAX_ANSWER_PATTERN_LENGTH} characters` };
  }
  try {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return { ok: true, pattern: { test: (answer) => re.matcher(answer).find() } };
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace('(?i)', '').replace(/^error parsing regexp: /, '') : String(e);
    return { ok: false, problem: `is not a regular expression RE2 accepts (linear-time syntax: no lookaround or backreferences): ${detail}` };
  }
}
