// Demand from Global Accelerator's own flow metrics: NewFlowCount by SourceRegion (AWS/GlobalAccelerator,
// us-west-2 only). GA reports these only while traffic flows, so a gap means no new flows: zero.

import { ListMetricsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DemandSample } from '../../snapshot/schema.js';
import { callWithRetry, type RetryPolicy } from '../aws/retry.js';
import { getMetricData } from './get-metric-data.js';

export const GA_METRICS_REGION = 'us-west-2';
const PERIOD_SECONDS = 60;
/** Demand is the mean over this many complete minutes: steadier than one minute, still current. */
const WINDOW_MINUTES = 5;

export async function readGaFlowDemand(client: CloudWatchClient, retry: RetryPolicy, acceleratorArn: string, now: Date): Promise<{ demand: DemandSample[]; problems: string[] }> {
  const acceleratorId = acceleratorArn.slice(acceleratorArn.lastIndexOf('/') + 1);
  const areas = new Set<string>();
  let token: string | undefined;
  do {
    const out = await callWithRetry(
      'CloudWatch',
      'ListMetrics',
      retry,
      (abortSignal) =>
        client.send(
          new ListMetricsCommand({
            Namespace: 'AWS/GlobalAccelerator',
            MetricName: 'NewFlowCount',
            Dimensions: [{ Name: 'Accelerator', Value: acceleratorId }, { Name: 'SourceRegion' }],
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
          { abortSignal },
        ),
      GA_METRICS_REGION,
    );
    for (const m of out.Metrics ?? []) {
      const dims = m.Dimensions ?? [];
      const area = dims.find((d) => d.Name === 'SourceRegion')?.Value;
      if (area !== undefined && dims.length === 2) areas.add(area);
    }
    token = out.NextToken;
  } while (token !== undefined && token !== '');
  if (areas.size === 0) return { demand: [], problems: [`no Global Accelerator NewFlowCount by SourceRegion for accelerator ${acceleratorId} in ${GA_METRICS_REGION}`] };

  const sorted = [...areas].sort();
  const end = new Date(Math.floor(now.getTime() / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000);
  const start = new Date(end.getTime() - WINDOW_MINUTES * PERIOD_SECONDS * 1000);
  const groups = sorted.map((area, i) => [
    {
      Id: `area${i}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/GlobalAccelerator', MetricName: 'NewFlowCount', Dimensions: [{ Name: 'Accelerator', Value: acceleratorId }, { Name: 'SourceRegion', Value: area }] },
        Period: PERIOD_SECONDS,
        Stat: 'Sum',
      },
      ReturnData: true,
    },
  ]);
  const results = await getMetricData(client, retry, groups, start, end, GA_METRICS_REGION);
  const demand = sorted.map((area, i) => {
    const points = results.get(`area${i}`) ?? [];
    // Missing minutes are zero flows (documented meaning of a gap in these metrics).
    const total = points.reduce((sum, p) => sum + p.value, 0);
    return { sourceArea: area, value: total / WINDOW_MINUTES, unit: 'flows/min', observedAt: end.toISOString(), source: 'cloudwatch' as const };
  });
  return { demand, problems: [] };
}
