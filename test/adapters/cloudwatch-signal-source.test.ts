// The CloudWatch adapter against the emulator: per-Region clients, load from the policy's queries,
// metric math, gaps as "no data", batching, and demand from GA's flow metrics in us-west-2.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchClientPool } from '../../src/adapters/cloudwatch/client-pool.js';
import { CloudWatchSignalSource } from '../../src/adapters/cloudwatch/cloudwatch-signal-source.js';
import { batchQueryGroups } from '../../src/adapters/cloudwatch/get-metric-data.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import type { Policy } from '../../src/policy/schema.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 30);
let t: TestEmulator;
let pool: CloudWatchClientPool;
let policy: Policy;
const retry = { maxAttempts: 3, budgetMs: 2_000, baseDelayMs: 1, maxDelayMs: 2 };

beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { now: () => NOW });
  pool = new CloudWatchClientPool({ endpoint: t.emulator.url, credentials: TEST_CREDENTIALS });
  policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
});
afterEach(async () => {
  pool.destroy();
  await t.close();
});

function seed(p: Policy = policy): void {
  const { seeds } = metricSeedsOf(t.snapshot, p);
  new MetricFeeder(t.emulator.metrics, seeds).tick(NOW);
}

describe('CloudWatch signal source', () => {
  it('reads each Region\'s load in its own Region and GA demand in us-west-2', async () => {
    seed();
    const out = await new CloudWatchSignalSource(pool, retry).collect(policy, new Date(NOW));
    expect(out.problems).toEqual([]);
    const expected = t.snapshot.load.map((l) => [l.region, l.signal, l.value]);
    expect(out.load?.map((l) => [l.region, l.signal, l.value])).toEqual(expected);
    // The newest complete minute ends at 12:00:00.
    expect(out.load?.every((l) => l.observedAt === '2026-11-22T12:00:00.000Z' && l.source === 'cloudwatch')).toBe(true);
    const regions = new Set(t.emulator.calls.filter((c) => c.target.endsWith('GetMetricData')).map((c) => c.region));
    expect(regions).toEqual(new Set(['eu-central-1', 'eu-west-1', 'us-west-2']));
    expect(t.emulator.calls.find((c) => c.target.endsWith('ListMetrics'))?.region).toBe('us-west-2');
  });

  it('turns GA NewFlowCount by SourceRegion into demand per source area, a missing minute counting as zero flows', async () => {
    const acc = '4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
    for (let m = 1; m <= 5; m += 1) {
      const at = NOW - 30_000 - m * 60_000;
      t.emulator.metrics.putValue({ region: 'us-west-2', namespace: 'AWS/GlobalAccelerator', metricName: 'NewFlowCount', dimensions: [{ name: 'Accelerator', value: acc }, { name: 'SourceRegion', value: 'EU' }] }, at, 1000);
      // NA saw traffic in only two of the five minutes.
      if (m <= 2) t.emulator.metrics.putValue({ region: 'us-west-2', namespace: 'AWS/GlobalAccelerator', metricName: 'NewFlowCount', dimensions: [{ name: 'Accelerator', value: acc }, { name: 'SourceRegion', value: 'NA' }] }, at, 50);
    }
    const out = await new CloudWatchSignalSource(pool, retry).collect(policy, new Date(NOW));
    expect(out.demand?.map((d) => [d.sourceArea, d.value, d.unit])).toEqual([
      ['EU', 1000, 'flows/min'],
      ['NA', 20, 'flows/min'],
    ]);
  });

  it('a gap is no data: no sample, a problem naming the query; the planner will hold', async () => {
    const out = await new CloudWatchSignalSource(pool, retry).collect(policy, new Date(NOW));
    expect(out.load).toEqual([]);
    expect(out.problems).toContain('eu-central-1 active-flows: no datapoints for AWS/NetworkELB ActiveFlowCount Average since 2026-11-22T11:55:00.000Z');
    expect(out.problems.some((p) => p.startsWith('no Global Accelerator NewFlowCount'))).toBe(true);
  });

  it('a gap counts as zero only where the query says so', async () => {
    const zeroPolicy: Policy = {
      ...policy,
      signals: { ...policy.signals, load: { 'eu-west-1': (policy.signals.load['eu-west-1'] ?? []).map((q) => ({ ...q, gap: 'zero' as const })) } },
    };
    const out = await new CloudWatchSignalSource(pool, retry).collect(zeroPolicy, new Date(NOW));
    expect(out.load?.map((l) => [l.region, l.signal, l.value])).toEqual([
      ['eu-west-1', 'active-flows', 0],
      ['eu-west-1', 'capacity-flows', 0],
    ]);
  });

  it('evaluates expression queries server-side, inputs hidden, ids kept apart across queries', async () => {
    const rc = (lb: string) => ({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: lb }, stat: 'Sum' });
    const exprPolicy: Policy = {
      ...policy,
      signals: {
        ...policy.signals,
        demand: { source: 'snapshot', sourceAreas: {} },
        load: {
          'eu-central-1': [
            { signal: 'rps', periodSeconds: 60, gap: 'no-data', expression: { expression: 'SUM([a, b]) / PERIOD(a)', inputs: { a: rc('app/a/1'), b: rc('app/b/2') } } },
            { signal: 'rps-a', periodSeconds: 60, gap: 'no-data', expression: { expression: 'a / PERIOD(a)', inputs: { a: rc('app/a/1') } } },
          ],
        },
      },
    };
    const at = NOW - 90_000;
    t.emulator.metrics.putValue({ region: 'eu-central-1', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: [{ name: 'LoadBalancer', value: 'app/a/1' }] }, at, 600);
    t.emulator.metrics.putValue({ region: 'eu-central-1', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: [{ name: 'LoadBalancer', value: 'app/b/2' }] }, at, 1200);
    const out = await new CloudWatchSignalSource(pool, retry).collect(exprPolicy, new Date(NOW));
    expect(out.problems).toEqual([]);
    expect(out.load?.map((l) => [l.signal, l.value])).toEqual([
      ['rps', 30],
      ['rps-a', 10],
    ]);
  });

  it('sends at most 500 queries per call and never splits a query from its inputs', async () => {
    const groups = Array.from({ length: 300 }, (_, i) => [{ Id: `q${i}_a` }, { Id: `q${i}` }]);
    const batches = batchQueryGroups(groups);
    expect(batches.map((b) => b.length)).toEqual([500, 100]);
    expect(batches[0]?.at(-1)?.Id).toBe('q249');
    const many: Policy = {
      ...policy,
      signals: {
        ...policy.signals,
        demand: { source: 'snapshot', sourceAreas: {} },
        load: {
          'eu-west-1': Array.from({ length: 300 }, (_, i) => ({
            signal: `s${i}`,
            periodSeconds: 60,
            gap: 'zero' as const,
            expression: { expression: 'x * 1', inputs: { x: { namespace: 'Custom/X', metricName: `m${i}`, dimensions: {}, stat: 'Sum' } } },
          })),
        },
      },
    };
    const out = await new CloudWatchSignalSource(pool, retry).collect(many, new Date(NOW));
    expect(out.load).toHaveLength(300);
    expect(t.emulator.calls.filter((c) => c.target.endsWith('GetMetricData')).length).toBe(2);
  });

  it('reports an unreachable Region as a problem, not an exception, after retrying', async () => {
    seed();
    t.emulator.faults.add({ operation: 'GetMetricData', kind: 'throttle', times: 0 });
    const out = await new CloudWatchSignalSource(pool, retry).collect(policy, new Date(NOW));
    expect(out.load).toEqual([]);
    expect(out.problems.find((p) => p.startsWith('eu-central-1'))).toMatch(/Throttling \(HTTP 400\).*after 3 attempts/);
  });
});
