// Publishes the simulated load into the emulated CloudWatch, as the Regions' load balancers would:
// one datapoint per period, under the metric the policy's capacity signal reads, after the lag; and,
// for a policy that reads capacity from a signal, each Region's current capacity under that metric.

import type { MetricStore } from '../../emulator/cloudwatch/metric-store.js';
import type { Policy } from '../../policy/schema.js';
import { GaSteerError } from '../../app/errors.js';
import type { Observation, Observatory } from './observatory.js';

interface Target {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { name: string; value: string }[];
  readonly periodMs: number;
  readonly read: (o: Observation) => number;
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
    this.targets = Object.entries(policy.regions).flatMap(([region, rp]) => {
      const target = (signal: string, what: string, read: (o: Observation) => number): Target => {
        const query = (policy.signals.load[region] ?? []).find((q) => q.signal === signal && q.endpointId === undefined);
        if (query?.metric === undefined) {
          throw new SimulationPolicyError(`${region}: the simulator publishes ${what} under a metric; the policy's "${signal}" query must be a metric, not an expression`);
        }
        return {
          region,
          namespace: query.metric.namespace,
          metricName: query.metric.metricName,
          dimensions: Object.entries(query.metric.dimensions).map(([name, value]) => ({ name, value })),
          periodMs: query.periodSeconds * 1000,
          read,
        };
      };
      const load = target(rp.capacity.signal, 'load', (o) => o.loadByRegion[region] ?? 0);
      const full = rp.capacity.fullSignal;
      return full === undefined ? [load] : [load, target(full, 'capacity', (o) => o.capacityByRegion[region] ?? 0)];
    });
  }

  /** Publishes every period that ended at least `lag` ago and has not been published yet. */
  publish(observatory: Observatory, nowMs: number): void {
    for (const t of this.targets) {
      const visibleUntil = nowMs - this.lagMs;
      const bucket = Math.floor(visibleUntil / t.periodMs) * t.periodMs - t.periodMs;
      for (let b = bucket - 4 * t.periodMs; b <= bucket; b += t.periodMs) {
        const key = `${t.region}|${t.metricName}|${b}`;
        if (this.published.has(key)) continue;
        // The period's value: what the Region carried at the end of the period.
        const o = observatory.at(b + t.periodMs - 1);
        if (o === undefined) continue;
        this.published.add(key);
        this.store.putValue({ region: t.region, namespace: t.namespace, metricName: t.metricName, dimensions: t.dimensions }, b, t.read(o));
      }
    }
  }
}
