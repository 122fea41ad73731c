// GetMetricStatistics: one metric, up to five statistics and ten percentiles per period, validated as
// CloudWatch does (Statistics or ExtendedStatistics but not both, periods, StartTime before EndTime,
// at most 1,440 datapoints per call).

import type { Input, MemberChecker } from '../input-guards.js';
import { invalidParameterCombination, invalidParameterValue } from './errors.js';
import type { Datum, MetricStore } from './metric-store.js';
import { bucketsOf, isValidPeriod, periodCount } from './periods.js';
import { statisticOf } from './statistics.js';
import { UNITS } from './units.js';

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;
const MAX_DATAPOINTS = 1440;

export function getMetricStatistics(store: MetricStore, check: MemberChecker, input: Input, region: string): unknown {
  const namespace = check.string(input, 'Namespace', { required: true, min: 1, max: 255, pattern: /^[^:].*$/ });
  const metricName = check.string(input, 'MetricName', { required: true, min: 1, max: 255 });
  const dimensions = (check.list(input, 'Dimensions', { max: 30 }) ?? []).map((d) => ({
    name: check.string(d, 'Name', { required: true, min: 1, max: 255 }),
    value: check.string(d, 'Value', { required: true, min: 1, max: 1024 }),
  }));
  const start = check.epochSeconds(input, 'StartTime', true) as Date;
  const end = check.epochSeconds(input, 'EndTime', true) as Date;
  const period = check.integer(input, 'Period', { required: true, min: 1 }) as number;
  const statistics = stringList(input, 'Statistics', 5);
  const extended = stringList(input, 'ExtendedStatistics', 10);
  const unit = check.enumeration(input, 'Unit', UNITS);

  statistics?.forEach((s, i) => {
    if (!(STATISTICS as readonly string[]).includes(s)) {
      throw invalidParameterValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ ${STATISTICS.join(', ')} ].`);
    }
  });
  if ((statistics === undefined) === (extended === undefined)) {
    throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  }
  extended?.forEach((s, i) => {
    if (!PERCENTILE.test(s)) {
      throw invalidParameterValue(`The parameter ExtendedStatistics.member.${i + 1} must be a percentile between p0.0 and p100 (got "${s}").`);
    }
  });
  if (!isValidPeriod(period)) throw invalidParameterValue('The parameter Period must be a multiple of 60 (or 1, 5, 10, 20 or 30 for high-resolution metrics).');
  const startS = start.getTime() / 1000;
  const endS = end.getTime() / 1000;
  if (startS >= endS) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  const requested = periodCount(period, startS, endS);
  if (requested > MAX_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }

  const series = store.get({ region, namespace, metricName, dimensions });
  const datapoints: Record<string, unknown>[] = [];
  for (const [bucket, all] of [...bucketsOf(series, period, startS, endS)].sort(([a], [b]) => a - b)) {
    // With Unit, only data published in that unit count (data without a unit are `None`).
    const data = unit === undefined ? all : all.filter((d) => (d.unit ?? 'None') === unit);
    if (data.length === 0) continue;
    datapoints.push(datapointOf(bucket, data, statistics ?? [], extended ?? [], unit));
  }
  return { Label: metricName, Datapoints: datapoints };
}

function datapointOf(bucketS: number, data: readonly Datum[], statistics: readonly string[], extended: readonly string[], unit: string | undefined): Record<string, unknown> {
  const point: Record<string, unknown> = { Timestamp: new Date(bucketS * 1000) };
  for (const s of statistics) point[s] = statisticOf(s, data);
  if (extended.length > 0) {
    // A map on the wire: a JSON object, or <entry><key/><value/></entry> in XML.
    const values = new Map<string, number>();
    for (const p of extended) {
      const v = statisticOf(p, data);
      if (v !== undefined) values.set(p, v);
    }
    point.ExtendedStatistics = values;
  }
  point.Unit = unit ?? data.find((d) => d.unit !== undefined)?.unit ?? 'None';
  return point;
}

function stringList(input: Input, member: string, max: number): string[] | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length === 0) throw invalidParameterValue(`The parameter ${member} must hold 1 to ${max} items.`);
  if (v.length > max) throw invalidParameterValue(`The collection ${member} must not have a size greater than ${max}.`);
  return v.map((item, i) => {
    if (typeof item !== 'string' || item === '') throw invalidParameterValue(`The parameter ${member}.member.${i + 1} must be a statistic name.`);
    return item;
  });
}
