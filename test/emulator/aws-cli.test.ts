// A second, independent client beside the JS SDK: the AWS CLI from Debian's packages (`awscli`,
// 2.9 on Debian 12), whose bundled botocore predates CloudWatch's JSON switch and so sends
// CloudWatch calls over awsQuery. It reads CloudWatch and Global Accelerator from the emulator.
// Skipped, saying why, where the package is not installed (a machine with only Node).

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { MetricFeeder, metricSeedsOf } from '../../src/emulator/seed-metrics.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { exampleSnapshot, TEST_CREDENTIALS } from '../support/emulator.js';

/** Debian's package installs here; another `aws` on PATH may be a different build with another protocol. */
const DEBIAN_AWS_CLI = process.env.GA_STEER_TEST_AWS_CLI ?? '/usr/bin/aws';
const installed = existsSync(DEBIAN_AWS_CLI);
const run = promisify(execFile);

const snapshot = exampleSnapshot('crazycall-hot.json');
const accelerator = snapshot.accelerators[0];
const group = accelerator?.listeners[0]?.endpointGroups[0];
const fraLoadBalancer = 'net/voip-fra/7d3b2f1a9c4e5d60';

let emulator: Emulator;
let home: string;
/** When the load was published: the statistics read whole minutes before it. */
let fedAtMs = 0;

beforeAll(async () => {
  if (!installed) return;
  emulator = await startEmulator({ topology: snapshot.accelerators });
  const parsed = parsePolicyText(readFileSync('policies/crazycall-voip.yaml', 'utf8'), 'policies/crazycall-voip.yaml');
  if (!parsed.ok) throw new Error('the example policy does not parse');
  fedAtMs = Date.now();
  new MetricFeeder(emulator.metrics, metricSeedsOf(snapshot, parsed.policy).seeds).tick(fedAtMs);
  home = mkdtempSync(join(tmpdir(), 'ga-steer-aws-cli-'));
});
afterAll(async () => {
  // Guarded: when beforeAll failed (or was skipped), its error is the one to read, not a crash here.
  await emulator?.close();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI against the emulator (asynchronously: the emulator answers from this process). */
async function aws(region: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  try {
    const out = await run(DEBIAN_AWS_CLI, ['--endpoint-url', emulator.url, '--region', region, '--output', 'json', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(e) };
  }
}

const title = installed ? `the AWS CLI (${DEBIAN_AWS_CLI}) against the emulator` : `the AWS CLI against the emulator: SKIPPED, ${DEBIAN_AWS_CLI} is not installed (apt-get install awscli)`;

// Said once on stderr too: the default reporter shows a skipped file without its title.
if (!installed) console.warn(title);

describe.skipIf(!installed)(title, () => {
  // Each CLI start takes seconds (Python): generous timeouts.
  it('lists CloudWatch metrics and reads statistics over awsQuery', { timeout: 120_000 }, async () => {
    const listed = await aws('eu-central-1', 'cloudwatch', 'list-metrics', '--namespace', 'AWS/NetworkELB');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { Metrics: unknown[] }).Metrics).toEqual([
      { Namespace: 'AWS/NetworkELB', MetricName: 'ActiveFlowCount', Dimensions: [{ Name: 'LoadBalancer', Value: fraLoadBalancer }] },
    ]);

    const end = new Date(Math.floor(fedAtMs / 60_000) * 60_000);
    const start = new Date(end.getTime() - 5 * 60_000);
    const stats = await aws('eu-central-1', 'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/NetworkELB', '--metric-name', 'ActiveFlowCount',
      '--dimensions', `Name=LoadBalancer,Value=${fraLoadBalancer}`, '--start-time', start.toISOString(), '--end-time', end.toISOString(), '--period', '60', '--statistics', 'Average', 'Maximum');
    expect(stats.code, stats.stderr).toBe(0);
    const body = JSON.parse(stats.stdout) as { Label: string; Datapoints: { Timestamp: string; Average: number; Maximum: number }[] };
    expect(body.Label).toBe('ActiveFlowCount');
    expect(body.Datapoints).toHaveLength(5);
    for (const d of body.Datapoints) expect(d).toMatchObject({ Average: 22080, Maximum: 22080, Unit: 'None' });

    // The service's validation reaches the CLI as the service's error code.
    const refused = await aws('eu-central-1', 'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/NetworkELB', '--metric-name', 'ActiveFlowCount',
      '--start-time', start.toISOString(), '--end-time', end.toISOString(), '--period', '61', '--statistics', 'Average');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\(InvalidParameterValue\).*Period must be a multiple of 60/);

    // This CLI spoke awsQuery to CloudWatch.
    const cloudWatch = emulator.calls.filter((c) => c.target.startsWith('GraniteServiceVersion20100801.'));
    expect(cloudWatch.map((c) => `${c.protocol} ${c.target.split('.')[1]}`)).toEqual(['query ListMetrics', 'query GetMetricStatistics', 'query GetMetricStatistics']);
  });

  it('reads Global Accelerator: list-accelerators and describe-endpoint-group, and its errors', { timeout: 120_000 }, async () => {
    const listed = await aws('us-west-2', 'globalaccelerator', 'list-accelerators');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { Accelerators: { AcceleratorArn: string; Status: string }[] }).Accelerators).toMatchObject([{ AcceleratorArn: accelerator?.arn, Status: 'DEPLOYED' }]);

    const described = await aws('us-west-2', 'globalaccelerator', 'describe-endpoint-group', '--endpoint-group-arn', group?.arn ?? '');
    expect(described.code, described.stderr).toBe(0);
    expect((JSON.parse(described.stdout) as { EndpointGroup: unknown }).EndpointGroup).toMatchObject({
      EndpointGroupArn: group?.arn,
      EndpointGroupRegion: 'eu-central-1',
      TrafficDialPercentage: 100,
      EndpointDescriptions: [{ EndpointId: group?.endpoints[0]?.endpointId, Weight: 128, HealthState: 'HEALTHY' }],
    });

    const missing = await aws('us-west-2', 'globalaccelerator', 'describe-endpoint-group', '--endpoint-group-arn', `${group?.arn.slice(0, group.arn.lastIndexOf('/'))}/ffffffffffff`);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/\(EndpointGroupNotFoundException\)/);
    // With the status the API reference documents for it.
    expect(emulator.calls.find((c) => c.errorType === 'EndpointGroupNotFoundException')?.status).toBe(400);
  });
});
