// The emulated CloudWatch (awsJson1_0, query-compatible), driven by the real SDK client over HTTP.

import { GetMetricDataCommand, InvalidParameterValueException, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
let clock = T0;
beforeEach(async () => {
  clock = T0 + 3_600_000;
  t = await startTestEmulator('crazycall-hot.json', { now: () => clock });
});
afterEach(async () => t.close());

const metric = { Namespace: 'Custom/Voip', MetricName: 'ActiveCalls', Dimensions: [{ Name: 'Site', Value: 'fra' }] };

async function putMinutes(values: number[], region = 'eu-central-1'): Promise<void> {
  await t.cloudWatch(region).send(
    new PutMetricDataCommand({
      Namespace: metric.Namespace,
      MetricData: values.map((v, i) => ({ MetricName: metric.MetricName, Dimensions: metric.Dimensions, Timestamp: new Date(T0 + i * 60_000 + 5_000), Value: v })),
    }),
  );
}

describe('CloudWatch emulator (awsJson1_0 query-compatible, real SDK client)', () => {
  it('stores per Region and answers statistics per aligned period, newest first', async () => {
    await putMinutes([10, 20, 30, 40, 50, 60]);
    const out = await t.cloudWatch('eu-central-1').send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: 'sum5', MetricStat: { Metric: metric, Period: 300, Stat: 'Sum' } },
          { Id: 'avg1', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' } },
          { Id: 'max5', MetricStat: { Metric: metric, Period: 300, Stat: 'Maximum' } },
          { Id: 'p50', MetricStat: { Metric: metric, Period: 300, Stat: 'p50' } },
        ],
        StartTime: new Date(T0 + 30_000), // rounded down to the period
        EndTime: new Date(T0 + 360_000),
      }),
    );
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    expect(byId.sum5?.Values).toEqual([60, 150]);
    expect(byId.sum5?.Timestamps).toEqual([new Date(T0 + 300_000), new Date(T0)]);
    expect(byId.avg1?.Values).toEqual([60, 50, 40, 30, 20, 10]);
    expect(byId.max5?.Values).toEqual([60, 50]);
    expect(byId.p50?.Values).toEqual([60, 30]);
    expect(byId.sum5?.StatusCode).toBe('Complete');
    expect(byId.sum5?.Label).toBe('ActiveCalls');
    // Another Region has no such metric.
    const elsewhere = await t.cloudWatch('eu-west-1').send(
      new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }], StartTime: new Date(T0), EndTime: new Date(T0 + 360_000) }),
    );
    expect(elsewhere.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('evaluates the metric math policies use: per-second rates, FILL, SUM over inputs', async () => {
    await putMinutes([60, 120, 0, 180].map((v) => v));
    await t.cloudWatch('eu-central-1').send(
      new PutMetricDataCommand({ Namespace: 'Custom/Voip', MetricData: [{ MetricName: 'Other', Timestamp: new Date(T0 + 5_000), Value: 1 }] }),
    );
    const other = { Namespace: 'Custom/Voip', MetricName: 'Other' };
    const out = await t.cloudWatch('eu-central-1').send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: 'calls', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'other', MetricStat: { Metric: other, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: 'calls / PERIOD(calls)' },
          { Id: 'both', Expression: 'SUM([calls, FILL(other, 0)])' },
          { Id: 'scaled', Expression: '-(calls * 2 - 10) / 5' },
        ],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 240_000),
        ScanBy: 'TimestampAscending',
      }),
    );
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
    expect(Object.keys(byId)).toEqual(['rate', 'both', 'scaled']);
    expect(byId.rate).toEqual([1, 2, 0, 3]);
    expect(byId.both).toEqual([61, 120, 0, 180]);
    expect(byId.scaled).toEqual([-22, -46, 2, -70]);
  });

  it('pages results with MaxDatapoints and NextToken', async () => {
    await putMinutes([1, 2, 3, 4, 5]);
    const input = { MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }], StartTime: new Date(T0), EndTime: new Date(T0 + 300_000), MaxDatapoints: 2 };
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await t.cloudWatch('eu-central-1').send(new GetMetricDataCommand({ ...input, ...(token !== undefined ? { NextToken: token } : {}) }));
      seen.push(...(out.MetricDataResults?.[0]?.Values ?? []));
      if (out.NextToken !== undefined) expect(out.MetricDataResults?.[0]?.StatusCode).toBe('PartialData');
      token = out.NextToken;
      pages += 1;
    } while (token !== undefined);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    expect(pages).toBe(3);
  });

  it('returns query-compatible errors the SDK maps to typed exceptions with their query codes', async () => {
    const e = await t
      .cloudWatch('eu-central-1')
      .send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }], StartTime: new Date(T0 + 60_000), EndTime: new Date(T0) }))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidParameterValueException);
    expect((e as InvalidParameterValueException & { Code?: string }).Code).toBe('InvalidParameterValue');
    expect((e as Error).message).toContain('StartTime must be less than EndTime');

    const bad = [
      { MetricDataQueries: [{ Id: 'Upper', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }] },
      { MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 45, Stat: 'Sum' } }] },
      { MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Median' } }] },
      { MetricDataQueries: Array.from({ length: 501 }, (_, i) => ({ Id: `m${i}`, MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } })) },
      { MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }, { Id: 'm', Expression: 'm' }] },
    ];
    for (const input of bad) {
      await expect(t.cloudWatch('eu-central-1').send(new GetMetricDataCommand({ ...input, StartTime: new Date(T0), EndTime: new Date(T0 + 60_000) }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(
      t.cloudWatch('eu-central-1').send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'x', Expression: 'LOG(1)' }], StartTime: new Date(T0), EndTime: new Date(T0 + 60_000) })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('unsupported function LOG') });
    await expect(
      t.cloudWatch('eu-central-1').send(new PutMetricDataCommand({ Namespace: 'AWS/NetworkELB', MetricData: [{ MetricName: 'ActiveFlowCount', Value: 1 }] })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(
      t.cloudWatch('eu-central-1').send(new PutMetricDataCommand({ Namespace: 'Custom/X', MetricData: [{ MetricName: 'M', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
  });

  it('lists metrics with dimension filters', async () => {
    await putMinutes([1]);
    await putMinutes([1], 'eu-west-1');
    const out = await t.cloudWatch('eu-central-1').send(new ListMetricsCommand({ Namespace: 'Custom/Voip', Dimensions: [{ Name: 'Site' }] }));
    expect(out.Metrics).toEqual([{ Namespace: 'Custom/Voip', MetricName: 'ActiveCalls', Dimensions: [{ Name: 'Site', Value: 'fra' }] }]);
    const none = await t.cloudWatch('eu-central-1').send(new ListMetricsCommand({ Dimensions: [{ Name: 'Site', Value: 'dub' }] }));
    expect(none.Metrics).toEqual([]);
  });
});
