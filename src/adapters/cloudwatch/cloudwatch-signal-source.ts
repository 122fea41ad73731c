// Load (per Region and endpoint, from the policy's CloudWatch queries) and, when the policy asks for
// it, demand from GA's flow metrics. A gap is "no data" (the planner holds), except where the query
// says a gap means zero.

import type { Policy } from '../../policy/schema.js';
import type { SignalReadout, SignalSource } from '../../ports/signal-source.js';
import type { DemandSample, LoadSample } from '../../snapshot/schema.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import type { CloudWatchClientPool } from './client-pool.js';
import { GA_METRICS_REGION, readGaFlowDemand } from './ga-flow-demand.js';
import { getMetricData } from './get-metric-data.js';
import { loadQueryPlans, type LoadQueryPlan } from './load-queries.js';

export class CloudWatchSignalSource implements SignalSource {
  readonly name = 'cloudwatch';

  constructor(
    private readonly clients: CloudWatchClientPool,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async collect(policy: Policy, now: Date): Promise<SignalReadout> {
    const problems: string[] = [];
    const load: LoadSample[] = [];
    const byRegion = new Map<string, LoadQueryPlan[]>();
    for (const p of loadQueryPlans(policy)) byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p]);

    await Promise.all(
      [...byRegion].map(async ([region, plans]) => {
        try {
          load.push(...(await this.readRegion(region, plans, policy, now, problems)));
        } catch (e) {
          problems.push(`${region}: load not read: ${describe(e)}`);
        }
      }),
    );

    let demand: DemandSample[] = [];
    if (policy.signals.demand.source === 'ga-flow-metrics') {
      try {
        const read = await readGaFlowDemand(this.clients.forRegion(GA_METRICS_REGION), this.retry, policy.accelerator.arn, now);
        demand = read.demand;
        problems.push(...read.problems);
      } catch (e) {
        problems.push(`demand not read: ${describe(e)}`);
      }
    }
    load.sort((a, b) => (a.region + a.signal + (a.endpointId ?? '')).localeCompare(b.region + b.signal + (b.endpointId ?? '')));
    return { load, demand, problems };
  }

  private async readRegion(region: string, plans: readonly LoadQueryPlan[], policy: Policy, now: Date, problems: string[]): Promise<LoadSample[]> {
    // Whole periods only: the current, incomplete period would read low.
    const longest = Math.max(...plans.map((p) => p.periodSeconds));
    const end = new Date(Math.floor(now.getTime() / (longest * 1000)) * longest * 1000);
    const lookbackSeconds = Math.max(policy.guardrails.maxSignalAgeSeconds.load + longest, longest * 5);
    const start = new Date(end.getTime() - lookbackSeconds * 1000);
    const results = await getMetricData(this.clients.forRegion(region), this.retry, plans.map((p) => p.queries), start, end, region);
    const samples: LoadSample[] = [];
    for (const p of plans) {
      const newest = results.get(p.resultId)?.[0];
      const base = { region, signal: p.signal, ...(p.endpointId !== undefined ? { endpointId: p.endpointId } : {}), periodSeconds: p.periodSeconds, source: 'cloudwatch' as const };
      if (newest !== undefined) {
        // A datapoint stamped T covers [T, T + period): it is as old as the end of its period.
        const observedAt = new Date(Math.min(newest.at.getTime() + p.periodSeconds * 1000, now.getTime()));
        samples.push({ ...base, value: Math.max(0, newest.value), observedAt: observedAt.toISOString() });
      } else if (p.gap === 'zero') {
        samples.push({ ...base, value: 0, observedAt: end.toISOString() });
      } else {
        problems.push(`${region} ${p.signal}${p.endpointId !== undefined ? ` (${p.endpointId})` : ''}: no datapoints for ${p.describe} since ${start.toISOString()}`);
      }
    }
    return samples;
  }
}

function describe(e: unknown): string {
  return e instanceof AwsCallError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
