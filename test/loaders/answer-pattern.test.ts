// `answers[].match` runs on RE2 both where the policy is validated and where answers are matched:
// no pattern can make matching take more than linear time.

import { describe, expect, it } from 'vitest';
import { compileLandingRules } from '../../src/adapters/ripe-atlas/parse/landing-rules.js';
import { compileAnswerPattern } from '../../src/policy/answer-pattern.js';
import { formatIssue } from '../../src/policy/issues.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';

/** A backtracking engine needs about a minute for this pattern on this 28-character answer. */
const CATASTROPHIC = '(a+)+$';
const ANSWER = `${'a'.repeat(27)}!`;

describe('answer patterns', () => {
  it('match in linear time where a backtracking engine explodes', () => {
    const started = performance.now();
    const rules = compileLandingRules([{ match: CATASTROPHIC, region: 'eu-central-1' }, { match: '(x|x)*y', region: 'eu-west-1' }]);
    expect(rules.problems).toEqual([]);
    expect(rules.regionOf(ANSWER)).toBeNull();
    expect(rules.regionOf(`${'a'.repeat(10_000)}!`)).toBeNull();
    expect(rules.regionOf(`${'x'.repeat(10_000)}z`)).toBeNull();
    expect(rules.regionOf('aaa')).toBe('eu-central-1');
    // A safety net far above what RE2 needs (milliseconds); backtracking would take minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keep the documented behaviour: exact or regular-expression match, ignoring case, first rule first', () => {
    const rules = compileLandingRules([
      { match: 'us-east-1', region: 'us-east-1' },
      { match: '^fra\\d+\\.', region: 'eu-central-1' },
      { match: 'FRA1.example', region: 'eu-west-1' },
    ]);
    expect(rules.regionOf('us-east-1')).toBe('us-east-1');
    expect(rules.regionOf('FRA53.edge')).toBe('eu-central-1');
    expect(rules.regionOf('fra1.example')).toBe('eu-central-1');
    expect(rules.regionOf('dub2')).toBeNull();
  });

  it('refuse what RE2 does not run (lookaround, backreferences, huge repeats, over-long patterns), naming why', () => {
    expect(compileAnswerPattern('(?=fra)fra')).toEqual({ ok: false, problem: 'is not a regular expression RE2 accepts (linear-time syntax: no lookaround or backreferences): invalid or unsupported Perl syntax: `(?=`' });
    expect(compileAnswerPattern('(a)\\1').ok).toBe(false);
    expect(compileAnswerPattern('(a{1000}){1000}').ok).toBe(false);
    expect(compileAnswerPattern('a'.repeat(257))).toEqual({ ok: false, problem: 'is longer than 256 characters' });
    const rules = compileLandingRules([{ match: '(?!x)site', region: 'ap-south-1' }]);
    expect(rules.problems).toEqual(['answer rule "(?!x)site" is not a regular expression RE2 accepts (linear-time syntax: no lookaround or backreferences): invalid or unsupported Perl syntax: `(?!`; it matches exactly only']);
    expect(rules.regionOf('(?!X)SITE')).toBe('ap-south-1');
  });

  it('are checked by the policy validator with the same engine', () => {
    const policy = `apiVersion: ga-steer.io/v1
name: svc
accelerator:
  arn: arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234
regions:
  eu-central-1:
    capacity: { signal: flows, full: 1000 }
signals:
  ripeAtlas:
    measurements:
      - id: 1
        role: landing
        answers:
          - { match: "${CATASTROPHIC}", region: eu-central-1 }
          - { match: "(?<=x)fra", region: eu-central-1 }
`;
    const r = parsePolicyText(policy, 'p.yaml');
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map(formatIssue).filter((l) => !l.includes('warning:'))).toEqual([
      'p.yaml:15:22 signals.ripeAtlas.measurements[0].answers[1].match: is not a regular expression RE2 accepts (linear-time syntax: no lookaround or backreferences): invalid named capture: `(?<=x)fra`',
    ]);
  });
});
