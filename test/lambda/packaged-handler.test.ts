// Done when: the packaged handler, in a fresh Node process as Lambda runs it, against the emulator (GA,
// CloudWatch, SSM Parameter Store), a local DynamoDB (dynalite) and a local Slack receiver: the first
// cycle of a fleet's policy in an empty table, its secret read from SSM once per cold start and never
// shown, structured logs with request id and cold start, and CloudWatch EMF metrics of the right shape.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeBundledLambda, type LambdaProcessRun } from '../support/bundled-lambda-process.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { REPO_ROOT } from '../support/repo-data.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';
import { publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

const ARN = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
const WEBHOOK_TOKEN = 'xoxb-ssm-only-webhook-token-4f2a9c';
const PARAMETER = '/ga-steer/test/slack-webhook';

let dir: string;
let bundleDir: string;
let t: TestEmulator;
let db: LocalDynamoDb;
let slack: WebhookReceiver;

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

function lambdaEnv(table: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: t.emulator.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: t.emulator.url,
    AWS_ENDPOINT_URL_SSM: t.emulator.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-central-1',
    GA_STEER_STATE_TABLE: table,
    GA_STEER_FLEET_POLICIES: 'crazycall-voip',
    GA_STEER_POLICY_DIR: dir,
    GA_STEER_SLACK_WEBHOOK_PARAMETER: PARAMETER,
    POWERTOOLS_SERVICE_NAME: 'ga-steer-test-prod',
    POWERTOOLS_METRICS_NAMESPACE: 'GaSteer',
    ...extra,
  };
}

const emfLines = (run: LambdaProcessRun): EmfLine[] => run.lines.flatMap((l) => (l.startsWith('{') && l.includes('"_aws"') ? [JSON.parse(l) as EmfLine] : []));
const logLines = (run: LambdaProcessRun): Record<string, unknown>[] => run.lines.flatMap((l) => (l.startsWith('{') && !l.includes('"_aws"') ? [JSON.parse(l) as Record<string, unknown>] : []));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-packaged-'));
  bundleDir = join(dir, 'bundle');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-lambda.ts', '--outdir', bundleDir], { cwd: REPO_ROOT, stdio: 'pipe' });
  copyFileSync(writeSteeringPolicy(dir), join(dir, 'crazycall-voip.yaml'));
  t = await startTestEmulator('crazycall-hot.json');
  publishLoad(t, join(dir, 'crazycall-voip.yaml'));
  db = await startLocalDynamoDb();
  slack = await startWebhookReceiver(`/services/T0001/B0001/${WEBHOOK_TOKEN}`);
  t.emulator.ssm.put(PARAMETER, slack.url, 'SecureString', true);
});
afterAll(async () => {
  await t?.close();
  await db?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the packaged handler in a fresh process (a cold start, then a warm invocation)', () => {
  let run: LambdaProcessRun;
  const table = 'fleet-state';
  beforeAll(async () => {
    await db.createTable(table);
    run = await invokeBundledLambda([{ policy: 'crazycall-voip', 'detail-type': 'Scheduled Event' }, { policy: 'crazycall-voip' }], lambdaEnv(table), bundleDir);
  });

  it('runs the first cycle in an empty table: relieves Frankfurt, saves state and lease, then cools down', async () => {
    const [first, second] = run.invocations;
    expect(first, run.output).toMatchObject({ ok: true, result: { policy: 'crazycall-voip', mode: 'apply', verdict: 'changes', applyOutcome: 'applied', lease: 'kept' } });
    expect(second, run.output).toMatchObject({ ok: true, result: { lease: 'kept' } });
    expect(second?.ok === true ? second.result.holds : []).toContain('CoolingDown');
    const item = await db.client.send(new GetItemCommand({ TableName: table, Key: { id: { S: ARN } }, ConsistentRead: true }));
    expect(JSON.parse(item.Item?.state?.S ?? 'null')).toMatchObject({ stateVersion: 2 });
  });

  it('reads the Slack webhook from SSM once per cold start, alerts with it, and never shows it', () => {
    expect(t.emulator.calls.filter((c) => c.target === 'AmazonSSM.GetParameter')).toHaveLength(1);
    expect(t.emulator.calls.find((c) => c.target === 'AmazonSSM.GetParameter')?.input).toEqual({ Name: PARAMETER, WithDecryption: true });
    expect(slack.received.length, run.output).toBeGreaterThan(0);
    expect(slack.received[0]?.path).toMatch(new RegExp(`/services/T0001/B0001/${WEBHOOK_TOKEN}$`));
    expect(run.output).not.toContain(slack.url);
    expect(run.output).not.toContain(WEBHOOK_TOKEN);
    expect(run.output).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  it('logs structured JSON lines with level, timestamp, request id and cold start', () => {
    const cycles = logLines(run).filter((l) => l.message === 'cycle');
    expect(cycles).toHaveLength(2);
    expect(cycles[0]).toMatchObject({ level: 'INFO', service: 'ga-steer-test-prod', cold_start: true, function_request_id: 'req-1-0000-4000-8000-000000000000', function_name: 'ga-steer-test-control-cycle', policy: 'crazycall-voip', verdict: 'changes' });
    expect(cycles[1]).toMatchObject({ cold_start: false, function_request_id: 'req-2-0000-4000-8000-000000000000' });
    for (const c of cycles) expect(Date.parse(String(c.timestamp))).toBeGreaterThan(Date.now() - 120_000);
  });

  it('emits CloudWatch EMF: cycle succeeded, duration, changes, apply failures, holds by reason, utilization per Region', () => {
    const emf = emfLines(run);
    for (const line of emf) {
      expect(line._aws.CloudWatchMetrics).toHaveLength(1);
      expect(line._aws.CloudWatchMetrics[0]?.Namespace).toBe('GaSteer');
      expect(Math.abs(line._aws.Timestamp - Date.now())).toBeLessThan(120_000);
      // Every metric and dimension named in the metadata has its value on the line.
      for (const m of line._aws.CloudWatchMetrics[0]?.Metrics ?? []) expect(typeof line[m.Name], m.Name).toBe('number');
      for (const d of line._aws.CloudWatchMetrics[0]?.Dimensions.flat() ?? []) expect(typeof line[d], d).toBe('string');
    }
    const cycles = emf.filter((l) => 'CycleSucceeded' in l);
    expect(cycles).toHaveLength(2);
    const [first, second] = cycles;
    expect(first?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Policy']]);
    expect(first).toMatchObject({ service: 'ga-steer-test-prod', Policy: 'crazycall-voip', CycleSucceeded: 1, ApplyFailures: 0 });
    expect(first?.Changes).toBeGreaterThan(0);
    expect(first?.CycleDuration).toBeGreaterThan(0);
    expect(Object.fromEntries(first?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => [m.Name, m.Unit]) ?? [])).toEqual({ CycleSucceeded: 'Count', CycleDuration: 'Milliseconds', Changes: 'Count', ApplyFailures: 'Count' });
    expect(second).toMatchObject({ Changes: 0 });
    const holds = emf.filter((l) => 'Holds' in l);
    expect(holds.some((l) => l.Reason === 'CoolingDown' && (l.Holds as number) >= 1)).toBe(true);
    expect(holds[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Policy', 'Reason']]);
    const frankfurt = emf.find((l) => l.Region === 'eu-central-1' && 'PredictedUtilization' in l);
    expect(frankfurt?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Policy', 'Region']]);
    // Hot before, relieved by the plan.
    expect(frankfurt?.MeasuredUtilization as number).toBeGreaterThan(frankfurt?.PredictedUtilization as number);
  });
});

describe('the packaged handler when its secret cannot be read', () => {
  it('fails the invocation naming the variable and the parameter, counts CycleFailed, and writes nothing', async () => {
    const table = 'fleet-missing-secret';
    await db.createTable(table);
    const writesBefore = t.emulator.ga.writeLog.length;
    const run = await invokeBundledLambda([{ policy: 'crazycall-voip' }], lambdaEnv(table, { GA_STEER_SLACK_WEBHOOK_PARAMETER: '/ga-steer/test/not-there' }), bundleDir);
    expect(run.invocations[0]).toMatchObject({ ok: false, error: { name: 'SecretParameterError' } });
    const message = (run.invocations[0] as { error: { message: string } }).error.message;
    expect(message).toContain('GA_STEER_SLACK_WEBHOOK_PARAMETER');
    expect(message).toContain('/ga-steer/test/not-there');
    expect(message).toContain('ParameterNotFound');
    expect(emfLines(run).find((l) => 'CycleFailed' in l)).toMatchObject({ CycleFailed: 1, Policy: 'crazycall-voip' });
    expect(logLines(run).find((l) => l.message === 'cycle failed')).toMatchObject({ level: 'ERROR', cold_start: true });
    expect(t.emulator.ga.writeLog.length).toBe(writesBefore);
  });

  it('refuses an event naming a policy outside the fleet', async () => {
    const run = await invokeBundledLambda([{ policy: 'someone-else' }], lambdaEnv('fleet-state'), bundleDir);
    expect(run.invocations[0]).toMatchObject({ ok: false, error: { name: 'LambdaConfigError', message: expect.stringContaining("policy 'someone-else' is not one of this deployment's policies: this deployment serves crazycall-voip") } });
  });
});
