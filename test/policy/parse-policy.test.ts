import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/policy/issues.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';

const VALID = `apiVersion: ga-steer.io/v1
name: svc
accelerator:
  arn: arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234
regions:
  eu-central-1:
    capacity: { signal: flows, full: 1000 }
  eu-west-1:
    capacity: { signal: flows, full: 800 }
signals:
  load:
    eu-central-1: [{ signal: flows, metric: { namespace: AWS/NetworkELB, metricName: ActiveFlowCount, stat: Average } }]
    eu-west-1: [{ signal: flows, metric: { namespace: AWS/NetworkELB, metricName: ActiveFlowCount, stat: Average } }]
`;

function issuesOf(text: string): string[] {
  const r = parsePolicyText(text, 'policies/prod.yaml');
  return r.ok ? r.warnings.map(formatIssue) : r.issues.map(formatIssue);
}

describe('policy parsing', () => {
  it('accepts every example policy in policies/ for live use, without a warning', () => {
    const files = readdirSync('policies').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const r = parsePolicyText(readFileSync(`policies/${f}`, 'utf8'), `policies/${f}`, { use: 'live' });
      expect((r.ok ? r.warnings : r.issues).map(formatIssue), f).toEqual([]);
    }
  });

  it('fills in the documented safe defaults', () => {
    const r = parsePolicyText(VALID, 'p.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.enabled).toBe(true);
    expect(r.policy.guardrails).toMatchObject({ dialFloorPercent: 0, maxStepPercent: 20, restoreStepPercent: 10, cooldownSeconds: 300, minRegionsServing: 1 });
    expect(r.policy.regions['eu-central-1']).toMatchObject({ targetPercent: 75, drainAbovePercent: 80, restoreBelowPercent: 60 });
    expect(r.policy.latency).toMatchObject({ statistic: 'p50', budgetMs: 80 });
    expect(r.policy.dryRun).toEqual({ all: false, regions: [], reasons: [] });
  });

  it('reports every shape issue at once, each with file:line:col and path', () => {
    const text = `${VALID}guardrails:
  maxStepPercent: 0
  cooldownSeconds: -5
  bogus: true
latency:
  statistic: p99
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "policies/prod.yaml:15:19 guardrails.maxStepPercent: must be between 1 and 100",
        "policies/prod.yaml:16:20 guardrails.cooldownSeconds: must not be negative",
        "policies/prod.yaml:17:3 guardrails.bogus: unknown key (allowed here: dialFloorPercent, maxStepPercent, restoreStepPercent, cooldownSeconds, overloadSkipsCooldown, minRegionsServing, humanOverrideBackoffSeconds, maxSignalAgeSeconds, weightImbalancePercent)",
        "policies/prod.yaml:19:14 latency.statistic: must be one of "p50", "p90", "p95", got the string 'p99' (did you mean p90 or p95?)",
      ]
    `);
  });

  it('names missing required fields and wrong types', () => {
    const text = `apiVersion: ga-steer.io/v2
name: Bad_Name
regions:
  eu-central-1:
    capacity: { signal: flows }
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "policies/prod.yaml:1:1 accelerator: is required",
        "policies/prod.yaml:1:13 apiVersion: must be "ga-steer.io/v1"",
        "policies/prod.yaml:2:7 name: must be lower-case letters, digits and dashes",
        "policies/prod.yaml:5:15 regions.eu-central-1.capacity: exactly one of full or fullSignal is required",
      ]
    `);
  });

  it('reports YAML syntax errors and duplicate keys with their place', () => {
    expect(issuesOf(VALID.replace('signals:', '  eu-west-1:\n    capacity: { signal: flows, full: 1 }\nsignals:'))).toEqual([
      'policies/prod.yaml:10:3 regions.eu-west-1: duplicate key "eu-west-1": keys must be unique',
    ]);
    expect(issuesOf('name: [unclosed\n')[0]).toMatch(/^policies\/prod\.yaml:\d+:\d+ /);
    expect(issuesOf('')).toEqual(['policies/prod.yaml the policy is empty']);
  });

  it('checks meaning: thresholds in order, known Regions, signals defined, dry-run rules that match', () => {
    const text = `apiVersion: ga-steer.io/v1
name: svc
accelerator:
  arn: arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234
regions:
  eu-central-1:
    capacity: { signal: flows, full: 1000 }
    restoreBelowPercent: 85
  eu-centrale-1:
    capacity: { signal: flows, full: 1000 }
signals:
  load:
    eu-central-1:
      - signal: requests
        metric: { namespace: AWS/NetworkELB, metricName: ActiveFlowCount, stat: Average }
guardrails:
  minRegionsServing: 3
pins:
  - region: us-east-1
    reason: test
dryRun:
  regions: [ap-south-1]
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "policies/prod.yaml:7:25 regions.eu-central-1.capacity.signal: no load query in signals.load.eu-central-1 defines signal "flows"",
        "policies/prod.yaml:8:26 regions.eu-central-1.restoreBelowPercent: must be below drainAbovePercent (80), or the dial would flap",
        "policies/prod.yaml:8:26 regions.eu-central-1.restoreBelowPercent: must not be above targetPercent (75): restoring would push the Region over its target",
        "policies/prod.yaml:9:3 regions.eu-centrale-1: unknown AWS Region 'eu-centrale-1' (did you mean eu-central-1?)",
        "policies/prod.yaml:17:22 guardrails.minRegionsServing: is 3 but the policy governs only 2 Region(s)",
        "policies/prod.yaml:19:13 pins[0].region: Region "us-east-1" is not listed under regions",
        "policies/prod.yaml:22:13 dryRun.regions[0]: dry-run rule matches nothing: Region "ap-south-1" is not listed under regions",
      ]
    `);
  });

  it('warns, without failing, when total capacity cannot carry the stated peak', () => {
    const r = parsePolicyText(`${VALID}expectedPeak: { signal: flows, value: 5000 }\n`, 'p.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map(formatIssue)).toEqual([
      'p.yaml:14:39 warning: expectedPeak.value: total capacity at target utilization is 1350 but the stated peak is 5000: the service cannot carry its peak without overloading a Region',
    ]);
  });

  it('rejects an invalid regular expression in a landing rule', () => {
    const text = `${VALID}  ripeAtlas:
    measurements:
      - id: 1
        role: landing
        answers: [{ match: "fra(", region: eu-central-1 }]
`;
    expect(issuesOf(text)).toEqual([
      'policies/prod.yaml:18:28 signals.ripeAtlas.measurements[0].answers[0].match: is not a regular expression RE2 accepts (linear-time syntax: no lookaround or backreferences): missing closing ): `fra(`',
    ]);
  });

  it('places a country in at most one GA source area', () => {
    const text = `${VALID}  demand:
    source: ga-flow-metrics
    sourceAreas:
      EU: [DE, FR]
      ME: [TR, FR, de]
`;
    expect(issuesOf(text)).toEqual([
      'policies/prod.yaml:18:20 signals.demand.sourceAreas.ME[2]: must be an ISO 3166-1 alpha-2 country code such as DE',
    ]);
    expect(issuesOf(text.replace(', de]', ']'))).toEqual(['policies/prod.yaml:18:16 signals.demand.sourceAreas.ME[1]: FR is already in source area EU']);
  });
});
