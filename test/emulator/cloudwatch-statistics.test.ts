// GetMetricStatistics through the real SDK client (awsJson1_0): statistics and percentiles per period,
// and CloudWatch's validation with its error codes.

import { GetMetricStatisticsCommand, PutMetricDataCommand, type GetMetricStatisticsCommandInput, type Statistic } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { now: () => T0 + 3_600_000 });
});
afterEach(async () => t.close());

const metric = { Namespace: 'Custom/Voip', MetricName: 'ActiveCalls', Dimensions: [{ Name: 'Site', Value: 'fra' }] };
const window = { ...metric, StartTime: new Date(T0), EndTime: new Date(T0 + 600_000), Period: 300 };

async function publish(): Promise<void> {
  // Minute i carries the values i*10 and i*10 + 1, in Count.
  await t.cloudWatch('eu-central-1').send(
    new PutMetricDataCommand({
      Namespace: metric.Namespace,
      MetricData: Array.from({ length: 10 }, (_, i) => ({ MetricName: metric.MetricName, Dimensions: metric.Dimensions, Timestamp: new Date(T0 + i * 60_000 + 1_000), Values: [i * 10, i * 10 + 1], Unit: 'Count' as const })),
    }),
  );
}

const send = (input: Partial<GetMetricStatisticsCommandInput>) => t.cloudWatch('eu-central-1').send(new GetMetricStatisticsCommand({ ...window, ...input } as GetMetricStatisticsCommandInput));

describe('GetMetricStatistics (awsJson1_0, real SDK client)', () => {
  it('answers the requested statistics per period, with the unit', async () => {
    await publish();
    const out = await send({ Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] });
    expect(out.Label).toBe('ActiveCalls');
    expect(out.Datapoints).toEqual([
      { Timestamp: new Date(T0), Sum: 205, Average: 20.5, Minimum: 0, Maximum: 41, SampleCount: 10, Unit: 'Count' },
      { Timestamp: new Date(T0 + 300_000), Sum: 705, Average: 70.5, Minimum: 50, Maximum: 91, SampleCount: 10, Unit: 'Count' },
    ]);
  });

  it('answers percentiles as ExtendedStatistics, and nothing for another unit', async () => {
    await publish();
    const out = await send({ ExtendedStatistics: ['p50', 'p90'] });
    expect(out.Datapoints?.map((d) => d.ExtendedStatistics)).toEqual([
      { p50: 20, p90: 40 },
      { p50: 70, p90: 90 },
    ]);
    expect((await send({ Statistics: ['Sum'], Unit: 'Seconds' })).Datapoints).toEqual([]);
  });

  it('validates as CloudWatch does', async () => {
    const cases: [Partial<GetMetricStatisticsCommandInput>, string, RegExp][] = [
      [{ Statistics: ['Sum'], ExtendedStatistics: ['p90'] }, 'InvalidParameterCombinationException', /either Statistics or ExtendedStatistics, but not both/],
      [{}, 'InvalidParameterCombinationException', /either Statistics or ExtendedStatistics/],
      [{ Statistics: ['Median' as Statistic] }, 'InvalidParameterValueException', /Statistics\.member\.1 must be a value in the set/],
      [{ Statistics: ['Sum'], Period: 90 }, 'InvalidParameterValueException', /Period must be a multiple of 60/],
      [{ Statistics: ['Sum'], StartTime: new Date(T0 + 600_000), EndTime: new Date(T0) }, 'InvalidParameterValueException', /StartTime must be less than the parameter EndTime/],
      [{ Statistics: ['Sum'], Period: 60, EndTime: new Date(T0 + 1441 * 60_000) }, 'InvalidParameterCombinationException', /requested up to 1441 datapoints, which exceeds the limit of 1440/],
      [{ Statistics: ['Sum'], MetricName: undefined }, 'MissingRequiredParameterException', /MetricName is required/],
    ];
    for (const [input, name, message] of cases) {
      const e = await send(input).catch((x: unknown) => x);
      expect(e, JSON.stringify(input)).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
      expect((e as Error).message).toMatch(message);
    }
    // The limit counts periods: exactly 1,440 is allowed.
    await expect(send({ Statistics: ['Sum'], Period: 60, EndTime: new Date(T0 + 1440 * 60_000) })).resolves.toMatchObject({ Datapoints: [] });
  });
});
