// The campaign's world: the example VoIP accelerator (Frankfurt and Dublin, two listeners) with a second
// endpoint in every group (an EC2 instance that preserves client IPs), the example policy tightened so
// the controller acts often (short cooldown and back-off, per-endpoint load for weights, Frankfurt
// allowed down to 0), and load that swings Frankfurt through hot and cool every 40 minutes.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { MetricId, MetricStore } from '../../src/emulator/cloudwatch/metric-store.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import { snapshotSchema, type AcceleratorTopology, type Snapshot } from '../../src/snapshot/schema.js';
import type { Random } from '../../src/sim/random.js';

const REPO = resolve(import.meta.dirname, '..', '..');

export const INSTANCES: Readonly<Record<string, string>> = { 'eu-central-1': 'i-0f7a1c2b3d4e5f601', 'eu-west-1': 'i-0d1b2c3a4e5f60718' };
const SITES: Readonly<Record<string, string>> = { 'eu-central-1': 'fra', 'eu-west-1': 'dub' };
const CAPACITY: Readonly<Record<string, number>> = { 'eu-central-1': 24_000, 'eu-west-1': 16_000 };
/** Mean load and swing: Frankfurt runs from about 55 % to 105 % of capacity, Dublin from 40 % to 70 %. */
const LOAD: Readonly<Record<string, { mean: number; swing: number }>> = { 'eu-central-1': { mean: 19_200, swing: 6_000 }, 'eu-west-1': { mean: 8_800, swing: 2_400 } };
const SWING_PERIOD_MS = 40 * 60_000;

export interface CampaignWorld {
  readonly policy: Policy;
  /** The recorded snapshot the emulated RIPE Atlas API follows (client groups, latency, landing). */
  readonly signalSnapshot: Snapshot;
  readonly topology: readonly AcceleratorTopology[];
  /** Every load series the policy reads, and the demand series; each can have a gap. */
  readonly series: readonly LoadSeries[];
}

export interface LoadSeries {
  readonly name: string;
  readonly id: MetricId;
  readonly periodSeconds: number;
  /** Its value at a time (ms), with the cycle's noise. */
  value(atMs: number, noise: number): number;
  /** The signal's kind, for the checks of stale data. */
  readonly kind: 'region-load' | 'region-capacity' | 'endpoint-load' | 'demand';
  readonly region?: string;
  readonly endpointId?: string;
}

export function buildWorld(): CampaignWorld {
  const snapshot = snapshotSchema.parse(JSON.parse(readFileSync(resolve(REPO, 'examples/snapshots/crazycall-hot.json'), 'utf8')));
  const topology = snapshot.accelerators.map((a) => ({
    ...a,
    listeners: a.listeners.map((l) => ({
      ...l,
      endpointGroups: l.endpointGroups.map((g) => ({
        ...g,
        endpoints: [...g.endpoints, { endpointId: INSTANCES[g.region] ?? 'i-0000000000000000', weight: 128, healthState: 'HEALTHY' as const, clientIpPreservation: true }],
      })),
    })),
  }));
  const policy = campaignPolicy(topology);
  return { policy, signalSnapshot: snapshot, topology, series: seriesOf(topology) };
}

function campaignPolicy(topology: readonly AcceleratorTopology[]): Policy {
  const doc = parse(readFileSync(resolve(REPO, 'policies/crazycall-voip.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const load: Record<string, unknown[]> = {};
  for (const region of Object.keys(SITES)) {
    const endpoints = [...new Set(topology.flatMap((a) => a.listeners.flatMap((l) => l.endpointGroups.filter((g) => g.region === region).flatMap((g) => g.endpoints.map((e) => e.endpointId)))))];
    load[region] = [
      { signal: 'active-flows', periodSeconds: 60, metric: { namespace: 'CrazyCall/Media', metricName: 'ActiveFlows', dimensions: { Site: SITES[region] }, stat: 'Average' } },
      ...endpoints.map((id) => ({ signal: 'active-flows', endpointId: id, periodSeconds: 60, metric: { namespace: 'CrazyCall/Media', metricName: 'EndpointActiveFlows', dimensions: { Endpoint: shortId(id) }, stat: 'Average' } })),
      { signal: 'capacity-flows', periodSeconds: 60, metric: { namespace: 'CrazyCall/Media', metricName: 'CapacityFlows', dimensions: { Site: SITES[region] }, stat: 'Minimum' } },
    ];
  }
  const regions = doc['regions'] as Record<string, Record<string, unknown>>;
  regions['eu-central-1'] = { ...regions['eu-central-1'], dialFloorPercent: 0 };
  doc['signals'] = { ...doc['signals'], load };
  doc['guardrails'] = {
    ...doc['guardrails'],
    dialFloorPercent: 20,
    maxStepPercent: 15,
    restoreStepPercent: 5,
    cooldownSeconds: 300,
    minRegionsServing: 1,
    humanOverrideBackoffSeconds: 900,
  };
  const text = stringify(doc);
  const parsed = parsePolicyText(text, 'campaign-policy.yaml', { use: 'live' });
  if (!parsed.ok) throw new Error(`the campaign policy is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return parsed.policy;
}

function seriesOf(topology: readonly AcceleratorTopology[]): LoadSeries[] {
  const out: LoadSeries[] = [];
  const acceleratorArn = topology[0]?.arn ?? '';
  for (const region of Object.keys(SITES)) {
    const site = SITES[region] ?? '';
    const { mean, swing } = LOAD[region] ?? { mean: 0, swing: 0 };
    const regionLoad = (atMs: number, noise: number): number => Math.max(0, mean + swing * Math.sin((2 * Math.PI * atMs) / SWING_PERIOD_MS) + noise * mean * 0.03);
    out.push({ name: `${region} load`, kind: 'region-load', region, periodSeconds: 60, id: metric(region, 'ActiveFlows', { Site: site }), value: regionLoad });
    out.push({ name: `${region} capacity`, kind: 'region-capacity', region, periodSeconds: 60, id: metric(region, 'CapacityFlows', { Site: site }), value: () => CAPACITY[region] ?? 0 });
    const endpoints = [...new Set(topology.flatMap((a) => a.listeners.flatMap((l) => l.endpointGroups.filter((g) => g.region === region).flatMap((g) => g.endpoints.map((e) => e.endpointId)))))];
    endpoints.forEach((id, i) => {
      // The endpoints' shares drift apart and back (period 25 minutes), so weights have work to do.
      const share = (atMs: number): number => 0.5 + 0.22 * Math.sin((2 * Math.PI * atMs) / (25 * 60_000)) * (i === 0 ? 1 : -1);
      out.push({ name: `${region} endpoint ${shortId(id)}`, kind: 'endpoint-load', region, endpointId: id, periodSeconds: 60, id: metric(region, 'EndpointActiveFlows', { Endpoint: shortId(id) }), value: (at, noise) => regionLoad(at, noise) * share(at) });
    });
  }
  const acceleratorId = acceleratorArn.slice(acceleratorArn.lastIndexOf('/') + 1);
  out.push({
    name: 'GA demand EU',
    kind: 'demand',
    periodSeconds: 60,
    id: { region: 'us-west-2', namespace: 'AWS/GlobalAccelerator', metricName: 'NewFlowCount', dimensions: [{ name: 'Accelerator', value: acceleratorId }, { name: 'SourceRegion', value: 'EU' }] },
    value: (at, noise) => Math.max(0, 30_000 + 8_000 * Math.sin((2 * Math.PI * at) / SWING_PERIOD_MS) + noise * 600),
  });
  return out;
}

/** Publishes each series' periods up to `nowMs`, except those in a gap; what was published last, per series. */
export class LoadPublisher {
  private readonly lastBucket = new Map<string, number>();
  readonly newestMs = new Map<string, number>();

  constructor(
    private readonly store: MetricStore,
    private readonly series: readonly LoadSeries[],
  ) {}

  publish(nowMs: number, gaps: ReadonlySet<string>, rng: Random): void {
    for (const s of this.series) {
      const periodMs = s.periodSeconds * 1000;
      const current = Math.floor(nowMs / periodMs) * periodMs;
      const last = this.lastBucket.get(s.name) ?? current - 20 * periodMs;
      for (let b = last + periodMs; b <= current; b += periodMs) {
        if (gaps.has(s.name)) continue;
        this.store.putValue(s.id, b, s.value(b, rng.normal()));
        this.newestMs.set(s.name, b);
      }
      this.lastBucket.set(s.name, Math.max(last, current));
    }
  }
}

function metric(region: string, metricName: string, dimensions: Record<string, string>): MetricId {
  return { region, namespace: 'CrazyCall/Media', metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) };
}

function shortId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
