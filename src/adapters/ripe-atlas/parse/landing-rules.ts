// Which Region an anycast answer names, by the policy's ordered `answers` rules (first match wins).
// A rule matches when the answer equals `match` or when `match`, read as a regular expression, finds
// the answer. Both ignore case: the answers are host names. The expressions run on RE2 (linear time),
// the same engine the policy validator checks them with.

import type { RegionCode } from '../../../domain/traffic.js';
import { compileAnswerPattern, type AnswerPattern } from '../../../policy/answer-pattern.js';

export interface LandingRule {
  readonly match: string;
  readonly region: RegionCode;
}

export interface CompiledLandingRules {
  readonly regionOf: (answer: string) => RegionCode | null;
  /** Rules whose `match` is not a valid RE2 expression (they still match exactly). */
  readonly problems: readonly string[];
}

export function compileLandingRules(rules: readonly LandingRule[]): CompiledLandingRules {
  const problems: string[] = [];
  const compiled = rules.map((r) => {
    let pattern: AnswerPattern | undefined;
    const result = compileAnswerPattern(r.match);
    if (result.ok) pattern = result.pattern;
    else problems.push(`answer rule ${JSON.stringify(r.match)} ${result.problem}; it matches exactly only`);
    return { exact: r.match.toLowerCase(), pattern, region: r.region };
  });
  return {
    regionOf: (answer) => {
      const lower = answer.toLowerCase();
      for (const c of compiled) if (lower === c.exact || c.pattern?.test(answer) === true) return c.region;
      return null;
    },
    problems,
  };
}
