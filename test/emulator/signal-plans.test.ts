// The pieces the emulated signals are made of: vantage RTTs that give back recorded quantiles, landing
// apportioned over vantages, the long-run loss of bursts, and awsQuery form input read by shape.

import fc from 'fast-check';
import { quantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { QueryInputError, readQueryInput } from '../../src/emulator/aws-query/form-input.js';
import { CLOUDWATCH_QUERY_PROTOCOL } from '../../src/emulator/cloudwatch/query-shapes.js';
import { apportion, lostPackets } from '../../src/emulator/signals/group-plans.js';
import { vantageCountFor, vantageRtts } from '../../src/emulator/signals/vantage-rtts.js';

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

describe('vantage RTTs', () => {
  it('give back any ordered p50/p90/p95 exactly, as the summary computes them', () => {
    const ms = fc.integer({ min: 0, max: 400_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(fc.tuple(ms, ms, ms), fc.integer({ min: 1, max: 30 }), (values, atLeast) => {
        const [p50Ms, p90Ms, p95Ms] = [...values].sort((a, b) => a - b) as [number, number, number];
        const n = vantageCountFor([{ p50Ms, p90Ms, p95Ms }], atLeast);
        expect(n).toBeGreaterThanOrEqual(Math.max(3, atLeast));
        const rtts = vantageRtts({ p50Ms, p90Ms, p95Ms }, n as number);
        expect(rtts).toEqual([...rtts].sort((a, b) => a - b));
        expect([0.5, 0.9, 0.95].map((p) => round3(quantileSorted(rtts, p)))).toEqual([p50Ms, p90Ms, p95Ms]);
      }),
    );
  });

  it('refuse quantiles out of order', () => {
    expect(vantageCountFor([{ p50Ms: 30, p90Ms: 20, p95Ms: 40 }], 3)).toBeUndefined();
  });
});

describe('landing apportioned over vantages', () => {
  it('follows the shares as nearly as the count allows, interleaved', () => {
    expect(apportion({ 'eu-central-1': 1 }, 4)).toEqual(['eu-central-1', 'eu-central-1', 'eu-central-1', 'eu-central-1']);
    const mixed = apportion({ 'eu-west-1': 0.3, 'eu-central-1': 0.7 }, 10);
    expect(mixed.filter((r) => r === 'eu-central-1')).toHaveLength(7);
    expect(mixed.slice(0, 4)).toContain('eu-west-1');
    expect(apportion({ a: 1, b: 1, c: 1 }, 7).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'c', 'c']);
  });

  it('loses packets at the recorded rate in the long run', () => {
    const lost = Array.from({ length: 1000 }, (_, k) => lostPackets(k, 2, 3)).reduce((a, b) => a + b, 0);
    expect(lost).toBe(60);
    expect(lostPackets(5, 0, 3)).toBe(0);
    expect(lostPackets(5, 100, 3)).toBe(3);
  });
});

describe('awsQuery form input', () => {
  const shapes = CLOUDWATCH_QUERY_PROTOCOL.inputs;

  it('reads lists by member index in any order, nested structures, numbers, booleans and ISO 8601 times', () => {
    const params = new URLSearchParams([
      ['Action', 'GetMetricData'],
      ['Version', '2010-08-01'],
      ['MetricDataQueries.member.2.Id', 'b'],
      ['MetricDataQueries.member.2.Expression', 'a * 2'],
      ['MetricDataQueries.member.1.Id', 'a'],
      ['MetricDataQueries.member.1.ReturnData', 'false'],
      ['MetricDataQueries.member.1.MetricStat.Period', '60'],
      ['MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name', 'Site'],
      ['MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value', 'fra'],
      ['StartTime', '2026-11-22T12:00:00Z'],
      ['EndTime', '2026-11-22T12:05:00.500Z'],
      ['UnknownParameter', 'ignored'],
    ]);
    expect(readQueryInput(params, shapes.GetMetricData as NonNullable<typeof shapes.GetMetricData>)).toEqual({
      MetricDataQueries: [
        { Id: 'a', ReturnData: false, MetricStat: { Period: 60, Metric: { Dimensions: [{ Name: 'Site', Value: 'fra' }] } } },
        { Id: 'b', Expression: 'a * 2' },
      ],
      StartTime: Date.UTC(2026, 10, 22, 12) / 1000,
      EndTime: Date.UTC(2026, 10, 22, 12, 5) / 1000 + 0.5,
    });
  });

  it('reads an empty list and refuses values of the wrong type, naming the parameter', () => {
    expect(readQueryInput(new URLSearchParams('Dimensions=&Namespace=N'), shapes.ListMetrics as NonNullable<typeof shapes.ListMetrics>)).toEqual({ Dimensions: [], Namespace: 'N' });
    const bad = (query: string): unknown => {
      try {
        return readQueryInput(new URLSearchParams(query), shapes.GetMetricStatistics as NonNullable<typeof shapes.GetMetricStatistics>);
      } catch (e) {
        return e;
      }
    };
    expect(bad('Period=1.5')).toMatchObject({ name: 'QueryInputError', parameter: 'Period' });
    expect(bad('StartTime=yesterday')).toBeInstanceOf(QueryInputError);
    expect(bad('Statistics.member.0=Sum')).toMatchObject({ parameter: 'Statistics.member.0' });
  });
});
