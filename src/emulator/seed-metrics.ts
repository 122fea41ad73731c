// Seeds the emulated CloudWatch from a recorded snapshot, so a live `plan` against the emulator sees
// the snapshot's load and demand: each load sample is published under the metric its policy query
// reads, and GA demand by source area under AWS/GlobalAccelerator NewFlowCount in us-west-2.

import type { Policy } from '../policy/schema.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { MetricStore } from './cloudwatch/metric-store.js';

export interface SeedReport {
  readonly seeded: number;
  /** Samples that could not be published (expression queries cannot be inverted), with why. */
  readonly skipped: readonly string[];
}

export interface MetricSeed {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { name: string; value: string }[];
  /** The value per period, and the period, so Sum and Average both read back as the sample's value. */
  readonly value: number;
  readonly periodSeconds: number;
  readonly stat: string;
}

export function metricSeedsOf(snapshot: Snapshot, policy: Policy): { seeds: MetricSeed[]; skipped: string[] } {
  const seeds: MetricSeed[] = [];
  const skipped: string[] = [];
  for (const sample of snapshot.load) {
    const query = (policy.signals.load[sample.region] ?? []).find((q) => q.signal === sample.signal && q.endpointId === sample.endpointId);
    if (query === undefined) {
      skipped.push(`${sample.region} ${sample.signal}: no load query for it in the policy`);
      continue;
    }
    if (query.metric === undefined) {
      skipped.push(`${sample.region} ${sample.signal}: an expression query cannot be seeded from its result`);
      continue;
    }
    seeds.push({
      region: sample.region,
      namespace: query.metric.namespace,
      metricName: query.metric.metricName,
      dimensions: Object.entries(query.metric.dimensions).map(([name, value]) => ({ name, value })),
      value: sample.value,
      periodSeconds: query.periodSeconds,
      stat: query.metric.stat,
    });
  }
  const acceleratorId = policy.accelerator.arn.slice(policy.accelerator.arn.lastIndexOf('/') + 1);
  const byArea = new Map<string, number>();
  const areaOf = new Map(snapshot.clientGroups.map((g) => [g.id, g.sourceArea]));
  for (const d of snapshot.demand) {
    const area = d.sourceArea ?? (d.clientGroup !== undefined ? areaOf.get(d.clientGroup) : undefined);
    if (area === undefined) continue;
    byArea.set(area, (byArea.get(area) ?? 0) + d.value);
  }
  for (const [area, value] of byArea) {
    seeds.push({
      region: 'us-west-2',
      namespace: 'AWS/GlobalAccelerator',
      metricName: 'NewFlowCount',
      dimensions: [
        { name: 'Accelerator', value: acceleratorId },
        { name: 'SourceRegion', value: area },
      ],
      value,
      periodSeconds: 60,
      stat: 'Sum',
    });
  }
  return { seeds, skipped };
}

/**
 * Keeps seeded metrics current: each tick publishes one datapoint per elapsed period of every seed
 * (never two in one period, so Sum and Average both read back as the seeded value).
 */
export class MetricFeeder {
  private readonly lastBucketMs = new Map<MetricSeed, number>();

  constructor(
    private readonly store: MetricStore,
    private readonly seeds: readonly MetricSeed[],
  ) {}


  /** Publishes every period that started in (last tick, nowMs], back-filling `historyMinutes` on the first tick. */
  tick(nowMs: number, historyMinutes = 15): void {
    for (const s of this.seeds) {
      const periodMs = s.periodSeconds * 1000;
      const current = Math.floor(nowMs / periodMs) * periodMs;
      const last = this.lastBucketMs.get(s) ?? current - Math.ceil((historyMinutes * 60_000) / periodMs) * periodMs - periodMs;
      for (let b = last + periodMs; b <= current; b += periodMs) {
        this.store.putValue({ region: s.region, namespace: s.namespace, metricName: s.metricName, dimensions: s.dimensions }, b, s.value);
      }
      this.lastBucketMs.set(s, Math.max(last, current));
    }
  }
}
