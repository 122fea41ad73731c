// GetMetricData with batching (at most 500 queries a call, a query's inputs kept with it), NextToken
// paging, and results merged by query id.

import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { callWithRetry, type RetryPolicy } from '../aws/retry.js';

export const MAX_QUERIES_PER_CALL = 500;

export interface Datapoint {
  readonly at: Date;
  readonly value: number;
}

/** Splits query groups into calls of at most 500 queries without splitting a group. */
export function batchQueryGroups(groups: readonly (readonly MetricDataQuery[])[]): MetricDataQuery[][] {
  const batches: MetricDataQuery[][] = [];
  let current: MetricDataQuery[] = [];
  for (const g of groups) {
    if (g.length > MAX_QUERIES_PER_CALL) throw new Error(`a load query needs ${g.length} metric queries, more than ${MAX_QUERIES_PER_CALL}`);
    if (current.length + g.length > MAX_QUERIES_PER_CALL) {
      batches.push(current);
      current = [];
    }
    current.push(...g);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export async function getMetricData(
  client: CloudWatchClient,
  retry: RetryPolicy,
  groups: readonly (readonly MetricDataQuery[])[],
  start: Date,
  end: Date,
  /** The client's Region, for messages. */
  region = '',
): Promise<Map<string, Datapoint[]>> {
  const results = new Map<string, Datapoint[]>();
  for (const batch of batchQueryGroups(groups)) {
    let token: string | undefined;
    do {
      const out = await callWithRetry(
        'CloudWatch',
        'GetMetricData',
        retry,
        (abortSignal) =>
          client.send(
            new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', ...(token !== undefined ? { NextToken: token } : {}) }),
            { abortSignal },
          ),
        region,
      );
      for (const r of out.MetricDataResults ?? []) {
        if (r.Id === undefined) continue;
        const list = results.get(r.Id) ?? [];
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let i = 0; i < Math.min(ts.length, vs.length); i += 1) {
          const at = ts[i];
          const value = vs[i];
          if (at !== undefined && value !== undefined && Number.isFinite(value)) list.push({ at, value });
        }
        results.set(r.Id, list);
      }
      token = out.NextToken;
    } while (token !== undefined && token !== '');
  }
  for (const list of results.values()) list.sort((a, b) => b.at.getTime() - a.at.getTime());
  return results;
}
