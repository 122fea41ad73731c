// CloudWatch over awsQuery, as the AWS CLI v2 and SDKs from before CloudWatch's JSON switch send it:
// a form-encoded POST with Action and Version, answered in XML in the service's documented shapes.

import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { now: () => T0 + 3_600_000 });
});
afterEach(async () => t.close());

const NS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'member' || name === 'entry' });

/** One awsQuery call, signed for a Region the way the emulator reads it (the credential scope). */
async function query(params: Record<string, string>, region = 'eu-central-1'): Promise<{ status: number; contentType: string | null; body: Record<string, any> }> {
  const res = await fetch(t.emulator.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=local-emulator-access-key/20261122/${region}/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: xml.parse(await res.text()) as Record<string, any> };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const metricParams = { Namespace: 'Custom/Voip', MetricName: 'ActiveCalls', 'Dimensions.member.1.Name': 'Site', 'Dimensions.member.1.Value': 'fra' };

async function putThreeMinutes(): Promise<void> {
  const params: Record<string, string> = { Action: 'PutMetricData', Namespace: 'Custom/Voip' };
  [10, 20, 30].forEach((v, i) => {
    const at = `MetricData.member.${i + 1}`;
    Object.assign(params, {
      [`${at}.MetricName`]: 'ActiveCalls',
      [`${at}.Dimensions.member.1.Name`]: 'Site',
      [`${at}.Dimensions.member.1.Value`]: 'fra',
      [`${at}.Timestamp`]: iso(T0 + i * 60_000 + 1_000),
      [`${at}.Value`]: String(v),
      [`${at}.Unit`]: 'Count',
    });
  });
  const out = await query(params);
  expect(out.status).toBe(200);
  expect(out.body.PutMetricDataResponse).toMatchObject({ '@_xmlns': NS, ResponseMetadata: { RequestId: expect.any(String) } });
}

describe('CloudWatch emulator over awsQuery (form-encoded requests, XML responses)', () => {
  it('puts data, lists metrics and reads statistics in the documented XML shapes', async () => {
    await putThreeMinutes();

    const listed = await query({ Action: 'ListMetrics', Namespace: 'Custom/Voip' });
    expect(listed.contentType).toBe('text/xml');
    expect(listed.body.ListMetricsResponse.ListMetricsResult.Metrics.member).toEqual([
      { Namespace: 'Custom/Voip', MetricName: 'ActiveCalls', Dimensions: { member: [{ Name: 'Site', Value: 'fra' }] } },
    ]);

    const stats = await query({ Action: 'GetMetricStatistics', ...metricParams, StartTime: iso(T0), EndTime: iso(T0 + 180_000), Period: '60', 'Statistics.member.1': 'Average', 'Statistics.member.2': 'SampleCount' });
    expect(stats.status).toBe(200);
    const result = stats.body.GetMetricStatisticsResponse.GetMetricStatisticsResult;
    expect(result.Label).toBe('ActiveCalls');
    expect(result.Datapoints.member).toEqual([10, 20, 30].map((v, i) => ({ Timestamp: iso(T0 + i * 60_000), Average: String(v), SampleCount: '1', Unit: 'Count' })));

    const pct = await query({ Action: 'GetMetricStatistics', ...metricParams, StartTime: iso(T0), EndTime: iso(T0 + 180_000), Period: '180', 'ExtendedStatistics.member.1': 'p50' });
    expect(pct.body.GetMetricStatisticsResponse.GetMetricStatisticsResult.Datapoints.member[0].ExtendedStatistics).toEqual({ entry: [{ key: 'p50', value: '20' }] });
  });

  it('answers GetMetricData with metric math, timestamps in ISO 8601', async () => {
    await putThreeMinutes();
    const out = await query({
      Action: 'GetMetricData',
      'MetricDataQueries.member.1.Id': 'calls',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Custom/Voip',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'ActiveCalls',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Site',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'fra',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
      'MetricDataQueries.member.1.ReturnData': 'false',
      'MetricDataQueries.member.2.Id': 'perSecond',
      'MetricDataQueries.member.2.Expression': 'calls / PERIOD(calls)',
      StartTime: iso(T0),
      EndTime: iso(T0 + 180_000),
      ScanBy: 'TimestampAscending',
    });
    expect(out.status).toBe(200);
    const results = out.body.GetMetricDataResponse.GetMetricDataResult.MetricDataResults.member;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ Id: 'perSecond', StatusCode: 'Complete', Timestamps: { member: [iso(T0), iso(T0 + 60_000), iso(T0 + 120_000)] } });
    expect(results[0].Values.member.map(Number)).toEqual([10 / 60, 20 / 60, 30 / 60]);
  });

  it('answers errors as XML with Type, Code and Message and the right status', async () => {
    const stats = (extra: Record<string, string>) =>
      query({ Action: 'GetMetricStatistics', ...metricParams, StartTime: iso(T0), EndTime: iso(T0 + 180_000), Period: '60', ...extra });
    const cases: [Promise<Awaited<ReturnType<typeof query>>>, number, string, string, RegExp][] = [
      [stats({ 'Statistics.member.1': 'Sum', 'ExtendedStatistics.member.1': 'p90' }), 400, 'Sender', 'InvalidParameterCombination', /not both/],
      [stats({ 'Statistics.member.1': 'Sum', Period: '61' }), 400, 'Sender', 'InvalidParameterValue', /Period must be a multiple of 60/],
      [stats({ 'Statistics.member.1': 'Sum', Period: 'sixty' }), 400, 'Sender', 'InvalidParameterValue', /parameter Period is invalid/],
      [stats({ 'Statistics.member.1': 'Sum', EndTime: iso(T0 + 2 * 24 * 3_600_000) }), 400, 'Sender', 'InvalidParameterCombination', /exceeds the limit of 1440/],
      [query({ Action: 'GetMetricStatistics', Namespace: 'Custom/Voip' }), 400, 'Sender', 'MissingParameter', /MetricName is required/],
      [query({ Action: 'PutMetricData', Namespace: 'AWS/EC2', 'MetricData.member.1.MetricName': 'X', 'MetricData.member.1.Value': '1' }), 400, 'Sender', 'InvalidParameterValue', /AWS\/EC2/],
      [query({ Action: 'DeleteAlarms' }), 400, 'Sender', 'InvalidAction', /DeleteAlarms/],
    ];
    for (const [call, status, type, code, message] of cases) {
      const out = await call;
      expect(out.status, code).toBe(status);
      expect(out.contentType).toBe('text/xml');
      expect(out.body.ErrorResponse['@_xmlns']).toBe(NS);
      expect(out.body.ErrorResponse.Error).toMatchObject({ Type: type, Code: code });
      expect(out.body.ErrorResponse.Error.Message).toMatch(message);
      expect(out.body.ErrorResponse.RequestId).toEqual(expect.any(String));
    }
    t.emulator.faults.add({ operation: 'ListMetrics', kind: 'server-error' });
    const failed = await query({ Action: 'ListMetrics' });
    expect(failed.status).toBe(500);
    expect(failed.body.ErrorResponse.Error).toMatchObject({ Type: 'Receiver', Code: 'InternalServiceError' });
  });
});
