// A live set-up in which ga-steer has something to do: the example VoIP accelerator in the emulator
// with Frankfurt hot (its CloudWatch load published for the last minutes), and the example policy with
// fresh latency from a synthetic feed file (Paris and Warsaw vantages) in place of RIPE Atlas.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { TestEmulator } from './emulator.js';

/** Writes the policy and its feed into `dir`; returns the policy file. */
export function writeSteeringPolicy(dir: string): string {
  const at = Math.floor(Date.now() / 1000) - 120;
  const rtt = { FR: { 'eu-central-1': 14, 'eu-west-1': 19 }, PL: { 'eu-central-1': 12, 'eu-west-1': 33 } } as const;
  const rows: string[] = [];
  for (const [group, byRegion] of Object.entries(rtt)) {
    for (const [region, ms] of Object.entries(byRegion)) {
      for (let v = 1; v <= 3; v++) rows.push(JSON.stringify({ timestamp: at - v, vantage: `${group.toLowerCase()}-${v}`, clientGroup: group, region, rttMs: ms + v / 10 }));
    }
  }
  const feed = join(dir, 'probes.jsonl');
  writeFileSync(feed, `${rows.join('\n')}\n`);
  const policy = parse(readFileSync('policies/crazycall-voip.yaml', 'utf8')) as Record<string, unknown> & { signals: Record<string, unknown> };
  const { ripeAtlas: _atlas, ...signals } = policy.signals;
  policy.signals = { ...signals, synthetic: [{ name: 'office-probes', url: feed, format: 'jsonl' }], demand: { source: 'vantage-count' } };
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}

/** Publishes the snapshot's load under the policy's metrics for the last minutes, as CloudWatch would hold it. */
export function publishLoad(t: TestEmulator, policyFile: string): void {
  const parsed = parsePolicyText(readFileSync(policyFile, 'utf8'), policyFile);
  if (!parsed.ok) throw new Error(`steering policy is invalid: ${JSON.stringify(parsed.issues)}`);
  new MetricFeeder(t.emulator.metrics, metricSeedsOf(t.snapshot, parsed.policy).seeds).tick(Date.now());
}

/** Every endpoint group's dial, by ARN, as the emulator holds it now. */
export function liveDials(t: TestEmulator): Record<string, number> {
  const dials: Record<string, number> = {};
  for (const a of t.emulator.ga.accelerators) for (const l of a.listeners) for (const g of l.endpointGroups) dials[g.arn] = g.trafficDialPercent;
  return dials;
}
