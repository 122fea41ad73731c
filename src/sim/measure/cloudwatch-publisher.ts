// Publishes the simulated load into the emulated CloudWatch, as the Regions' load balancers would:
// one datapoint per period, under the metric the policy's capacity signal reads, after the lag.

import type { MetricStore } from '../../emulator/cloudwatch/metric-store.js';
import type { Policy } from '../../policy/schema.js';
import { GaSteerError } from '../../app/errors.js';
import type { Observatory } from './observatory.js';

interface Target {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { name: string; value: string }[];
  readonly periodMs: number;
}

export class SimulationPolicyError extends GaSteerError {
  override readonly name = 'SimulationPolicyError';
}

export class CloudWatchPublisher {
  private readonly targets: Target[];
  private readonly published = new Set<string>();

  constructor(
    private readonly store: MetricStore,
    policy: Policy,
    private readonly lagMs: number,
  ) {
    this.targets = Object.entries(policy.regions).map(([region, rp]) => {
      const query = (policy.signals.load[region] ?? []).find((q) => q.signal === rp.capacity.signal && q.endpointId === undefined);
      if (query?.metric === undefined) {
        throw new SimulationPolicyError(`${region}: the simulator publishes load under a metric; the policy's "${rp.capacity.signal}" query must be a metric, not an expression`);
      }
      return {
        region,
        namespace: query.metric.namespace,
        metricName: query.metric.metricName,
        dimensions: Object.entries(query.metric.dimensions).map(([name, value]) => ({ name, value })),
        periodMs: query.periodSeconds * 1000,
      };
    });
  }

  /** Publishes every period that ended at least `lag` ago and has not been published yet. */
  publish(observatory: Observatory, nowMs: number): void {
    for (const t of this.targets) {
      const visibleUntil = nowMs - this.lagMs;
      const bucket = Math.floor(visibleUntil / t.periodMs) * t.periodMs - t.periodMs;
      for (let b = bucket - 4 * t.periodMs; b <= bucket; b += t.periodMs) {
        const key = `${t.region}|${b}`;
        if (this.published.has(key)) continue;
        // The period's load: what the Region carried at the end of the period.
        const o = observatory.at(b + t.periodMs - 1);
        if (o === undefined) continue;
        this.published.add(key);
        this.store.putValue({ region: t.region, namespace: t.namespace, metricName: t.metricName, dimensions: t.dimensions }, b, o.loadByRegion[t.region] ?? 0);
      }
    }
  }
}
