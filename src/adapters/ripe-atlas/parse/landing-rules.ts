// Which Region an anycast answer names, by the policy's ordered `answers` rules (first match wins).
// A rule matches when the answer equals `match` or when `match`, read as a regular expression, finds
// the answer. Both ignore case: the answers are host names.

import type { RegionCode } from '../../../domain/traffic.js';

export interface LandingRule {
  readonly match: string;
  readonly region: RegionCode;
}

export interface CompiledLandingRules {
  readonly regionOf: (answer: string) => RegionCode | null;
  /** Rules whose `match` is not a valid regular expression (they still match exactly). */
  readonly problems: readonly string[];
}

export function compileLandingRules(rules: readonly LandingRule[]): CompiledLandingRules {
  const problems: string[] = [];
  const compiled = rules.map((r) => {
    let re: RegExp | undefined;
    try {
      re = new RegExp(r.match, 'i');
    } catch {
      problems.push(`answer rule ${JSON.stringify(r.match)} is not a valid regular expression; it matches exactly only`);
    }
    return { exact: r.match.toLowerCase(), re, region: r.region };
  });
  return {
    regionOf: (answer) => {
      const lower = answer.toLowerCase();
      for (const c of compiled) if (lower === c.exact || c.re?.test(answer)) return c.region;
      return null;
    },
    problems,
  };
}
