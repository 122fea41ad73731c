// The messages a new user meets, pinned: what was expected and what was found, "did you mean",
// shape and meaning in one pass, the live/snapshot rule for load queries, YAML 1.1 pitfalls and the
// environment-variable names that must never be AWS credentials.

import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/policy/issues.js';
import { parsePolicyText, type PolicyUse } from '../../src/policy/parse-policy.js';

const HEAD = `apiVersion: ga-steer.io/v1
name: svc
accelerator:
  arn: arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234
`;
const LOAD = `signals:
  load:
    eu-central-1:
      - signal: flows
        metric: { namespace: AWS/NetworkELB, metricName: ActiveFlowCount, stat: Average }
`;
const REGION = `regions:
  eu-central-1:
    capacity: { signal: flows, full: 1000 }
`;

function issuesOf(text: string, use?: PolicyUse): string[] {
  const r = parsePolicyText(text, 'p.yaml', use === undefined ? {} : { use });
  return (r.ok ? r.warnings : r.issues).map(formatIssue);
}

describe('policy messages', () => {
  it('say what type was expected and what was found', () => {
    const text = `${HEAD}enabled: yes
${REGION}${LOAD}guardrails:
  maxStepPercent: "20"
  cooldownSeconds: 1.5
  minRegionsServing: [1]
latency:
  budgetMs:
dryRun:
  all: "false"
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:5:10 enabled: expected a boolean, got the string 'yes'",
        "p.yaml:15:19 guardrails.maxStepPercent: expected a number, got the string '20'",
        "p.yaml:16:20 guardrails.cooldownSeconds: expected a whole number, got the number 1.5",
        "p.yaml:17:22 guardrails.minRegionsServing: expected a number, got a list",
        "p.yaml:19:3 latency.budgetMs: expected a number, got an empty value",
        "p.yaml:21:8 dryRun.all: expected a boolean, got the string 'false'",
      ]
    `);
  });

  it('name an unknown AWS Region and the nearest known one', () => {
    const text = `${HEAD}regions:
  eu-central1:
    capacity: { signal: flows, full: 1000 }
  us-east1:
    capacity: { signal: flows, full: 1000 }
  mars-north-1:
    capacity: { signal: flows, full: 1000 }
pins:
  - { region: eu-west1, reason: test }
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:6:3 regions.eu-central1: unknown AWS Region 'eu-central1' (did you mean eu-central-1?)",
        "p.yaml:8:3 regions.us-east1: unknown AWS Region 'us-east1' (did you mean us-east-1?)",
        "p.yaml:10:3 regions.mars-north-1: unknown AWS Region 'mars-north-1'",
        "p.yaml:13:15 pins[0].region: unknown AWS Region 'eu-west1' (did you mean eu-west-1?)",
      ]
    `);
  });

  it('suggest the nearest allowed key, or list the keys allowed there', () => {
    const text = `${HEAD}${REGION}${LOAD}guardrails:
  maxStepPercnt: 10
  cooldown: 300
  MinRegionsServing: 1
  frobnicate: true
latencyy:
  budgetMs: 50
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:14:3 guardrails.maxStepPercnt: unknown key (did you mean maxStepPercent?)",
        "p.yaml:15:3 guardrails.cooldown: unknown key (did you mean cooldownSeconds?)",
        "p.yaml:16:3 guardrails.MinRegionsServing: unknown key (did you mean minRegionsServing?)",
        "p.yaml:17:3 guardrails.frobnicate: unknown key (allowed here: dialFloorPercent, maxStepPercent, restoreStepPercent, cooldownSeconds, overloadSkipsCooldown, minRegionsServing, humanOverrideBackoffSeconds, maxSignalAgeSeconds, weightImbalancePercent)",
        "p.yaml:18:1 latencyy: unknown key (did you mean latency?)",
      ]
    `);
  });

  it('say that YAML merge keys are not supported', () => {
    const text = `${HEAD}regions:
  eu-central-1: &region
    capacity: { signal: flows, full: 1000 }
  eu-west-1:
    <<: *region
`;
    expect(issuesOf(text).filter((l) => !l.includes('warning:'))).toEqual([
      'p.yaml:9:5 regions.eu-west-1.<<: YAML merge keys (<<) are not supported: write the keys out',
      'p.yaml:9:5 regions.eu-west-1.capacity: is required',
    ]);
  });

  it('suggest the nearest option of a fixed set', () => {
    const text = `${HEAD}${REGION}${LOAD}latency:
  statistic: p99
alerts:
  slack:
    "on": [change, holds]
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:14:14 latency.statistic: must be one of "p50", "p90", "p95", got the string 'p99' (did you mean p90 or p95?)",
        "p.yaml:17:12 alerts.slack.on[0]: must be one of "changes", "holds", "apply-failed", "human-override", "stale-data", "dry-run", "error", got the string 'change' (did you mean changes?)",
      ]
    `);
  });

  it('name the place of a bad reminder interval', () => {
    const text = `${HEAD}${REGION}${LOAD}alerts:
  remindEveryMinutes: 0
`;
    expect(issuesOf(text)).toEqual([expect.stringMatching(/^p\.yaml:14:23 alerts\.remindEveryMinutes: .*1/)]);
    const late = `${HEAD}${REGION}${LOAD}alerts:
  remindEveryMinutes: "60"
`;
    expect(issuesOf(late)).toEqual(["p.yaml:14:23 alerts.remindEveryMinutes: expected a number, got the string '60'"]);
  });

  it('report shape and meaning in one pass: semantic checks run on every part that parsed', () => {
    const text = `${HEAD}regions:
  eu-central-1:
    capacity: { signal: flows, full: "1000" }
    restoreBelowPercent: 85
  eu-west-1:
    capacity: { signal: flows, full: 800 }
    targetPercent: 90
${LOAD}    eu-west-1:
      - signal: flows
        metric: { namespace: AWS/NetworkELB, metricName: ActiveFlowCount, stat: Average }
guardrails:
  maxStepPercent: 0
  minRegionsServing: 3
pins:
  - { region: ap-south-1, reason: test }
`;
    expect(issuesOf(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:7:38 regions.eu-central-1.capacity.full: expected a number, got the string '1000'",
        "p.yaml:8:26 regions.eu-central-1.restoreBelowPercent: must be below drainAbovePercent (80), or the dial would flap",
        "p.yaml:8:26 regions.eu-central-1.restoreBelowPercent: must not be above targetPercent (75): restoring would push the Region over its target",
        "p.yaml:11:20 regions.eu-west-1.targetPercent: must not be above drainAbovePercent (80)",
        "p.yaml:21:19 guardrails.maxStepPercent: must be between 1 and 100",
        "p.yaml:22:22 guardrails.minRegionsServing: is 3 but the policy governs only 2 Region(s)",
        "p.yaml:24:15 pins[0].region: Region "ap-south-1" is not listed under regions",
      ]
    `);
  });

  it('a Region without a load query: a warning for snapshot use (the default), an error for live use', () => {
    const minimal = `${HEAD}${REGION}latency:\n  budgetMs: 50\n`;
    const snapshotUse = parsePolicyText(minimal, 'p.yaml');
    expect(snapshotUse.ok).toBe(true);
    expect(issuesOf(minimal)).toMatchInlineSnapshot(`
      [
        "p.yaml:7:25 warning: regions.eu-central-1.capacity.signal: no load query in signals.load.eu-central-1 measures signal "flows": fine with recorded snapshots, which carry the load; live collection (validate, plan without --snapshot, apply, run) needs one",
      ]
    `);
    expect(parsePolicyText(minimal, 'p.yaml', { use: 'live' }).ok).toBe(false);
    expect(issuesOf(minimal, 'live')).toMatchInlineSnapshot(`
      [
        "p.yaml:7:25 regions.eu-central-1.capacity.signal: no load query in signals.load.eu-central-1 measures signal "flows": live collection would find no load for this Region and hold (NoData) every cycle",
      ]
    `);
    expect(issuesOf(`${HEAD}${REGION}${LOAD}`, 'live')).toEqual([]);
  });

  it('warn about words YAML 1.1 tools read as booleans, and suggest quoting them', () => {
    const text = `${HEAD}${REGION}${LOAD}  demand:
    sourceAreas:
      EU: [DE, NO, "NO"]
alerts:
  slack:
    on: [changes]
description: off
`;
    const r = parsePolicyText(text.replace('[DE, NO, "NO"]', '[DE, NO]'), 'p.yaml');
    expect(r.ok).toBe(true);
    expect(issuesOf(text.replace('[DE, NO, "NO"]', '[DE, NO]'))).toMatchInlineSnapshot(`
      [
        "p.yaml:15:16 warning: signals.demand.sourceAreas.EU[1]: unquoted NO is the boolean false to YAML 1.1 tools (PyYAML, many linters and editors): quote it as "NO"",
        "p.yaml:18:5 warning: alerts.slack.on: unquoted on is the boolean true to YAML 1.1 tools (PyYAML, many linters and editors): quote it as "on"",
        "p.yaml:19:14 warning: description: unquoted off is the boolean false to YAML 1.1 tools (PyYAML, many linters and editors): quote it as "off"",
      ]
    `);
    const quoted = text.replace('[DE, NO, "NO"]', '[DE, "NO"]').replace('    on:', '    "on":').replace('description: off', 'description: "off"');
    expect(issuesOf(quoted)).toEqual([]);
  });

  it('refuse AWS credential variables for the RIPE Atlas key and the Slack webhook', () => {
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
      const text = `${HEAD}${REGION}${LOAD}  ripeAtlas:
    apiKeyEnv: ${name}
alerts:
  slack:
    webhookUrlEnv: ${name}
`;
      const issues = issuesOf(text);
      expect(issues, name).toEqual([
        `p.yaml:14:16 signals.ripeAtlas.apiKeyEnv: must not name an AWS variable (${name}): ga-steer sends this variable's value to RIPE Atlas, and AWS_* variables hold AWS credentials; use one of its own, such as RIPE_ATLAS_KEY`,
        `p.yaml:17:20 alerts.slack.webhookUrlEnv: must not name an AWS variable (${name}): ga-steer sends this variable's value to Slack, and AWS_* variables hold AWS credentials; use one of its own, such as SLACK_WEBHOOK_URL`,
      ]);
    }
  });

  it('never quote what was pasted into a variable-name setting (it may be the secret itself)', () => {
    const secret = 'xoxb-1234567890-abcdefghij';
    const text = `${HEAD}${REGION}${LOAD}  ripeAtlas:
    apiKeyEnv: ${secret}
alerts:
  slack:
    webhookUrlEnv: 12345678901234567890
`;
    const issues = issuesOf(text).join('\n');
    expect(issues).toContain('signals.ripeAtlas.apiKeyEnv: must be the name of an environment variable');
    expect(issues).toContain('alerts.slack.webhookUrlEnv: expected a string, got a number');
    expect(issues).not.toContain(secret);
    expect(issues).not.toContain('1234567890');
  });
});
