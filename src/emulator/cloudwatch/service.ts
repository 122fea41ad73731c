// The emulated CloudWatch API, per Region: PutMetricData, GetMetricData, GetMetricStatistics and
// ListMetrics. Spoken as awsJson1_0 in awsQuery-compatible mode (target prefix
// GraniteServiceVersion20100801, current SDKs) and as awsQuery (form-encoded Action=..., XML answers,
// the AWS CLI v2 and older SDKs) on the same endpoint; inputs arrive in the same shape from both.

import { decodeNextToken, encodeNextToken, MemberChecker, type Input } from '../input-guards.js';
import type { EmulatedService, RequestContext } from '../service.js';
import { CLOUDWATCH_QUERY_PROTOCOL } from './query-shapes.js';
import { expressionError, invalidNextToken, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { evaluateExpression, MetricMathError, type MathValue, type Series } from './metric-math.js';
import type { Dimension, MetricStore } from './metric-store.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { bucketsOf, isValidPeriod } from './periods.js';
import { isSupportedStat, statisticOf } from './statistics.js';
import { UNITS } from './units.js';

const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface MetricStatQuery {
  readonly id: string;
  readonly kind: 'stat';
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  readonly periodSeconds: number;
  readonly stat: string;
  readonly label: string | undefined;
  readonly returnData: boolean;
}

interface ExpressionQuery {
  readonly id: string;
  readonly kind: 'expression';
  readonly expression: string;
  readonly periodSeconds: number | undefined;
  readonly label: string | undefined;
  readonly returnData: boolean;
}

type Query = MetricStatQuery | ExpressionQuery;

export class CloudWatchService implements EmulatedService {
  readonly targetPrefix = 'GraniteServiceVersion20100801';
  readonly errorNamespace = 'com.amazonaws.cloudwatch';
  readonly protocol = 'awsJson1_0-query-compatible' as const;
  readonly messageMember = 'message' as const;
  readonly operations: ReadonlySet<string> = new Set(['PutMetricData', 'GetMetricData', 'GetMetricStatistics', 'ListMetrics']);
  readonly query = CLOUDWATCH_QUERY_PROTOCOL;
  private readonly check = new MemberChecker(invalidParameterValue, missingParameter);

  constructor(readonly store: MetricStore) {}

  handle(operation: string, input: Input, context: RequestContext): unknown {
    switch (operation) {
      case 'PutMetricData':
        return this.putMetricData(input, context.region);
      case 'GetMetricData':
        return this.getMetricData(input, context.region);
      case 'GetMetricStatistics':
        return getMetricStatistics(this.store, this.check, input, context.region);
      default:
        return this.listMetrics(input, context.region);
    }
  }

  private dimensions(input: Input, member: string, valueRequired: boolean): { name: string; value: string | undefined }[] {
    return (this.check.list(input, member, { max: 30 }) ?? []).map((d, i) => ({
      name: this.check.string(d, 'Name', { required: true, min: 1, max: 255 }),
      value: valueRequired ? this.check.string(d, 'Value', { required: true, min: 1, max: 1024 }) : this.check.string(d, 'Value', { min: 1, max: 1024 }),
      index: i,
    }));
  }

  private putMetricData(input: Input, region: string): unknown {
    const namespace = this.check.string(input, 'Namespace', { required: true, min: 1, max: 255, pattern: /^[^:].*$/ });
    // Namespaces starting with AWS/ belong to AWS services; PutMetricData refuses them.
    if (namespace.startsWith('AWS/')) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
    const data = this.check.list(input, 'MetricData', { required: true, min: 1, max: 1000 }) ?? [];
    const now = this.store.now();
    const puts = data.map((d, i) => {
      const at = `MetricData.member.${i + 1}`;
      const metricName = this.check.string(d, 'MetricName', { required: true, min: 1, max: 255 });
      const dimensions = this.dimensions(d, 'Dimensions', true).map((x) => ({ name: x.name, value: x.value as string }));
      const ts = this.check.epochSeconds(d, 'Timestamp', false)?.getTime() ?? now;
      if (ts < now - 14 * 24 * 3600 * 1000 || ts > now + 2 * 3600 * 1000) throw invalidParameterValue(`${at}.Timestamp must be within the past two weeks and at most two hours in the future.`);
      const unit = this.check.enumeration(d, 'Unit', UNITS);
      const resolution = this.check.integer(d, 'StorageResolution');
      if (resolution !== undefined && resolution !== 1 && resolution !== 60) throw invalidParameterValue(`${at}.StorageResolution must be 1 or 60.`);
      const value = this.check.number(d, 'Value');
      const values = d.Values;
      const stats = d.StatisticValues;
      const given = [value !== undefined, values !== undefined, stats !== undefined].filter(Boolean).length;
      if (given !== 1) throw invalidParameterCombination(`${at}: exactly one of Value, Values or StatisticValues is required.`);
      if (value !== undefined) return { metricName, dimensions, datum: { atMs: ts, sampleCount: 1, sum: value, minimum: value, maximum: value, values: [value], unit } };
      if (values !== undefined) {
        if (!Array.isArray(values) || values.length === 0 || values.length > 150 || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          throw invalidParameterValue(`${at}.Values must be 1 to 150 numbers.`);
        }
        const counts = d.Counts;
        if (counts !== undefined && (!Array.isArray(counts) || counts.length !== values.length || !counts.every((c) => typeof c === 'number' && c >= 0))) {
          throw invalidParameterValue(`${at}.Counts must match Values one for one.`);
        }
        const raw: number[] = [];
        values.forEach((x, j) => {
          const n = Array.isArray(counts) ? (counts[j] as number) : 1;
          for (let k = 0; k < n; k += 1) raw.push(x as number);
        });
        return {
          metricName,
          dimensions,
          datum: { atMs: ts, sampleCount: raw.length, sum: raw.reduce((a, b) => a + b, 0), minimum: Math.min(...raw), maximum: Math.max(...raw), values: raw, unit },
        };
      }
      if (typeof stats !== 'object' || stats === null || Array.isArray(stats)) throw invalidParameterValue(`${at}.StatisticValues must be a structure.`);
      const s = stats as Input;
      const sampleCount = this.check.number(s, 'SampleCount', { required: true, min: 0 }) as number;
      const sum = this.check.number(s, 'Sum', { required: true }) as number;
      const minimum = this.check.number(s, 'Minimum', { required: true }) as number;
      const maximum = this.check.number(s, 'Maximum', { required: true }) as number;
      if (minimum > maximum) throw invalidParameterValue(`${at}.StatisticValues.Minimum must not exceed Maximum.`);
      return { metricName, dimensions, datum: { atMs: ts, sampleCount, sum, minimum, maximum, values: undefined, unit } };
    });
    // All validated first: a rejected request stores nothing.
    for (const p of puts) this.store.put({ region, namespace, metricName: p.metricName, dimensions: p.dimensions }, p.datum);
    return {};
  }

  private queries(input: Input): Query[] {
    const raw = this.check.list(input, 'MetricDataQueries', { required: true }) ?? [];
    if (raw.length === 0) throw invalidParameterValue('The collection MetricDataQueries must not be empty.');
    if (raw.length > MAX_QUERIES) throw invalidParameterValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
    const ids = new Set<string>();
    return raw.map((q, i) => {
      const at = `MetricDataQueries.member.${i + 1}`;
      const id = this.check.string(q, 'Id', { required: true, min: 1, max: 255 });
      if (!QUERY_ID.test(id)) throw invalidParameterValue(`${at}.Id "${id}" must start with a lower-case letter and contain only letters, numbers and underscores.`);
      if (ids.has(id)) throw invalidParameterValue(`${at}.Id "${id}" is not unique.`);
      ids.add(id);
      const label = this.check.string(q, 'Label');
      const returnData = this.check.boolean(q, 'ReturnData') ?? true;
      const expression = this.check.string(q, 'Expression', { min: 1, max: 2048 });
      const metricStat = q.MetricStat;
      if ((expression === undefined) === (metricStat === undefined)) {
        throw invalidParameterCombination(`${at}: exactly one of MetricStat or Expression is required.`);
      }
      if (expression !== undefined) {
        const period = this.check.integer(q, 'Period', { min: 1 });
        return { id, kind: 'expression', expression, periodSeconds: period, label, returnData };
      }
      if (typeof metricStat !== 'object' || metricStat === null || Array.isArray(metricStat)) throw invalidParameterValue(`${at}.MetricStat must be a structure.`);
      const ms = metricStat as Input;
      const metric = ms.Metric;
      if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) throw missingParameter(`${at}.MetricStat.Metric`);
      const m = metric as Input;
      const namespace = this.check.string(m, 'Namespace', { required: true, min: 1, max: 255, pattern: /^[^:].*$/ });
      const metricName = this.check.string(m, 'MetricName', { required: true, min: 1, max: 255 });
      const dimensions = this.dimensions(m, 'Dimensions', true).map((x) => ({ name: x.name, value: x.value as string }));
      const period = this.check.integer(ms, 'Period', { required: true, min: 1 }) as number;
      if (!isValidPeriod(period)) throw invalidParameterValue(`${at}.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
      const stat = this.check.string(ms, 'Stat', { required: true, min: 1 });
      if (!isSupportedStat(stat)) throw invalidParameterValue(`${at}.MetricStat.Stat "${stat}" is not a supported statistic.`);
      this.check.enumeration(ms, 'Unit', UNITS);
      return { id, kind: 'stat', namespace, metricName, dimensions, periodSeconds: period, stat, label, returnData };
    });
  }

  private getMetricData(input: Input, region: string): unknown {
    const queries = this.queries(input);
    const start = this.check.epochSeconds(input, 'StartTime', true) as Date;
    const end = this.check.epochSeconds(input, 'EndTime', true) as Date;
    if (start.getTime() >= end.getTime()) throw invalidParameterValue('The parameter StartTime must be less than EndTime');
    const scanBy = this.check.enumeration(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending'] as const) ?? 'TimestampDescending';
    const maxDatapoints = this.check.integer(input, 'MaxDatapoints', { min: 1 }) ?? MAX_DATAPOINTS;
    const token = this.check.string(input, 'NextToken');
    const requestKey = JSON.stringify([queries.map((q) => q.id), start.getTime(), end.getTime()]);
    const offset = decodeNextToken(token, requestKey) ?? 0;
    if (offset < 0) throw invalidNextToken();

    const startS = start.getTime() / 1000;
    const endS = end.getTime() / 1000;
    const results = new Map<string, MathValue>();
    for (const q of queries) if (q.kind === 'stat') results.set(q.id, { kind: 'series', points: this.statSeries(region, q, startS, endS), periodSeconds: q.periodSeconds });
    const statSeries = (): MathValue[] => queries.filter((q) => q.kind === 'stat').map((q) => results.get(q.id) as MathValue);
    const evaluating = new Set<string>();
    const resolve = (id: string): MathValue | undefined => {
      const existing = results.get(id);
      if (existing !== undefined) return existing;
      const q = queries.find((x) => x.id === id);
      if (q === undefined || q.kind !== 'expression') return undefined;
      if (evaluating.has(id)) throw expressionError(id, 'circular reference');
      evaluating.add(id);
      const period = q.periodSeconds ?? queries.find((x): x is MetricStatQuery => x.kind === 'stat')?.periodSeconds ?? 60;
      const grid = gridOf(startS, endS, period);
      let value: MathValue;
      try {
        value = evaluateExpression(q.expression, { resolve, metrics: statSeries, grid });
      } catch (e) {
        if (e instanceof MetricMathError) throw expressionError(id, e.message);
        throw e;
      }
      if (value.kind === 'scalar') value = { kind: 'series', points: new Map(grid.map((t) => [t, value.kind === 'scalar' ? value.value : 0])), periodSeconds: period };
      if (value.kind === 'array') throw expressionError(id, 'the expression must produce a single time series');
      results.set(id, value);
      evaluating.delete(id);
      return value;
    };
    for (const q of queries) if (q.kind === 'expression') resolve(q.id);

    // Flatten the returned series in query order, then page over datapoints.
    let remaining = maxDatapoints;
    let skipped = 0;
    let consumed = offset;
    const out: unknown[] = [];
    let truncated = false;
    for (const q of queries.filter((x) => x.returnData)) {
      const v = results.get(q.id);
      const points = v?.kind === 'series' ? [...v.points.entries()] : [];
      points.sort((a, b) => (scanBy === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0]));
      const from = Math.max(0, offset - skipped);
      skipped += points.length;
      const take = points.slice(from, from + remaining);
      remaining -= take.length;
      consumed += take.length;
      const partial = from + take.length < points.length;
      truncated ||= partial;
      if (from >= points.length && points.length > 0) continue;
      out.push({
        Id: q.id,
        Label: q.label ?? (q.kind === 'stat' ? q.metricName : q.id),
        Timestamps: take.map((p) => new Date(p[0] * 1000)),
        Values: take.map((p) => p[1]),
        StatusCode: partial ? 'PartialData' : 'Complete',
      });
    }
    return { MetricDataResults: out, Messages: [], ...(truncated ? { NextToken: encodeNextToken(requestKey, consumed) } : {}) };
  }

  private statSeries(region: string, q: MetricStatQuery, startS: number, endS: number): Series {
    const series = this.store.get({ region, namespace: q.namespace, metricName: q.metricName, dimensions: q.dimensions });
    const out: Series = new Map();
    for (const [b, data] of bucketsOf(series, q.periodSeconds, startS, endS)) {
      const v = statisticOf(q.stat, data);
      if (v !== undefined) out.set(b, v);
    }
    return out;
  }

  private listMetrics(input: Input, region: string): unknown {
    const namespace = this.check.string(input, 'Namespace', { min: 1, max: 255 });
    const metricName = this.check.string(input, 'MetricName', { min: 1, max: 255 });
    const filters = this.dimensions(input, 'Dimensions', false);
    const token = this.check.string(input, 'NextToken');
    const matching = this.store
      .all(region)
      .filter((s) => (namespace === undefined || s.namespace === namespace) && (metricName === undefined || s.metricName === metricName))
      .filter((s) => filters.every((f) => s.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value))));
    const scope = JSON.stringify([namespace, metricName, filters]);
    const offset = decodeNextToken(token, scope) ?? 0;
    if (offset < 0 || offset > matching.length) throw invalidNextToken();
    const page = matching.slice(offset, offset + 500);
    return {
      Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ Name: d.name, Value: d.value })) })),
      ...(offset + 500 < matching.length ? { NextToken: encodeNextToken(scope, offset + 500) } : {}),
    };
  }
}

function gridOf(startS: number, endS: number, period: number): number[] {
  const grid: number[] = [];
  for (let t = Math.floor(startS / period) * period; t < endS; t += period) grid.push(t);
  return grid;
}
