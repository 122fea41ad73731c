// The Lambda as deployed: the esbuild bundle of lambda/control-cycle.ts, invoked with a scheduler event,
// talking to the emulator (GA, CloudWatch) and a local DynamoDB (state and lease) through the SDK's
// endpoint variables.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbStateStore } from '../../src/adapters/state/dynamodb-state-store.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS } from '../../src/app/lambda-cycle.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { startLocalS3 } from '../support/local-s3-server.js';
import { REPO_ROOT } from '../support/repo-data.js';
import { startStallingServer } from '../support/stalling-server.js';
import { liveDials, publishLoad, writeSteeringPolicy } from '../support/steering-fixture.js';

let t: TestEmulator;
let db: LocalDynamoDb;
let atlas: AtlasApiServer;
let handler: (
  event: unknown,
  context?: { getRemainingTimeInMillis: () => number },
) => Promise<{ verdict: string; holds: string[]; mode: string; applyOutcome: string | null; lease: string }>;
const TABLE = 'ga-steer-state';
/** The environment before this suite configures the Lambda through it; put back afterwards, since other suites share the process. */
const envBefore = { ...process.env };

/** Puts the environment back in place (the same object: other suites in this process hold it). */
function restoreEnv(to: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env)) if (!(name in to)) delete process.env[name];
  Object.assign(process.env, to);
}

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-lambda.ts'], { cwd: REPO_ROOT, stdio: 'pipe' });
  t = await startTestEmulator('crazycall-hot.json');
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
  atlas = await startAtlasApiServer();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: t.emulator.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: t.emulator.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-central-1',
    GA_STEER_POLICY: resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'),
    GA_STEER_STATE_TABLE: TABLE,
    // The policy's RIPE Atlas measurements go to a local Atlas server, which has no results for them.
    GA_STEER_ATLAS_URL: atlas.url,
  });
  const mod = (await import(pathToFileURL(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs')).href)) as { handler: typeof handler };
  handler = mod.handler;
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  await t?.close();
  await db?.close();
  await atlas?.close();
  restoreEnv(envBefore);
});

/** What the bundled handler writes to stdout and stderr (Powertools' logger and metrics write there, not through console.log). */
function captureStdout(): { lines(): string[]; restore(): void } {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  return { lines: () => chunks.join('').split('\n').filter((l) => l.trim() !== ''), restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('control-cycle Lambda (bundled)', () => {
  it('runs a cycle against GA and CloudWatch and keeps its state in DynamoDB under the lease', async () => {
    const out = await handler({ 'detail-type': 'Scheduled Event' });
    expect(out.mode).toBe('apply');
    expect(out.lease).toBe('kept');
    // No latency source reachable: the controller holds rather than guess.
    expect(out.holds).toContain('NoData');
    const item = await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30' } } }));
    expect(JSON.parse(item.Item?.state?.S ?? 'null')).toMatchObject({ stateVersion: 2 });
    expect(item.Item?.leaseOwner?.S).toMatch(/^ga-steer on \S+ pid \d+ cycle \w+$/);
    expect(t.emulator.calls.some((c) => c.target.endsWith('DescribeAccelerator'))).toBe(true);
  });

  it('reads a policy kept in S3 on every invocation: a change there is used by the next one, no redeploy', async () => {
    const s3 = await startLocalS3();
    const text = readFileSync(resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'), 'utf8');
    const put = (body: string): void => void s3.objects.set('/ga-policies/crazycall-voip.yaml', { body: Buffer.from(body), etag: `"${createHash('md5').update(body).digest('hex')}"` });
    const policyBefore = process.env.GA_STEER_POLICY;
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.url, GA_STEER_POLICY: 's3://ga-policies/crazycall-voip.yaml' });
    try {
      put(text);
      expect((await handler({})).holds).not.toContain('Disabled');
      put(text.replace(/^enabled: true$/m, 'enabled: false'));
      expect((await handler({})).holds).toContain('Disabled');
      expect(s3.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_S3;
      process.env.GA_STEER_POLICY = policyBefore;
      await s3.close();
    }
  });

  it('the environment kill switch forces plan-only, whatever the event says', async () => {
    process.env.GA_STEER_MODE = 'plan';
    try {
      const out = await handler({ mode: 'apply' });
      expect(out.mode).toBe('plan');
      expect(out.applyOutcome).toBeNull();
    } finally {
      delete process.env.GA_STEER_MODE;
    }
  });

  it('ends its cycle before the function times out: a GA endpoint that never answers is cut off, and named', async () => {
    const silent = await startStallingServer('never-answer');
    process.env.AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR = silent.url;
    const out = captureStdout();
    try {
      const started = Date.now();
      // 16.5 s left, 15 s kept back for the runtime: a 1.5 s cycle.
      const error = await handler({}, { getRemainingTimeInMillis: () => 16_500 }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(error?.message).toMatch(/GlobalAccelerator DescribeAccelerator \(us-west-2\) ran out of time after \d+ ms \(the cycle deadline of 1275 ms passed\)/);
      const line = out.lines().map((l) => JSON.parse(l) as { level?: string; message?: string; ranOut?: Record<string, unknown> }).find((l) => l.message === 'cycle failed');
      expect(line).toMatchObject({ level: 'ERROR', ranOut: { service: 'GlobalAccelerator', operation: 'DescribeAccelerator', target: 'us-west-2', limit: 'cycle' } });
    } finally {
      out.restore();
      process.env.AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR = t.emulator.url;
      await silent.close();
    }
  });

  it('refuses a misconfigured environment with a message naming the variable', async () => {
    const table = process.env.GA_STEER_STATE_TABLE;
    delete process.env.GA_STEER_STATE_TABLE;
    const out = captureStdout();
    try {
      await expect(handler({})).rejects.toThrow(/GA_STEER_STATE_TABLE/);
      expect(out.lines().some((l) => l.includes('"message":"cycle failed"') && l.includes('GA_STEER_STATE_TABLE'))).toBe(true);
    } finally {
      out.restore();
      process.env.GA_STEER_STATE_TABLE = table;
    }
  });
});

describe('two overlapping invocations (bundled), against the emulator with Frankfurt hot', () => {
  const ARN = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
  let r: TestEmulator;
  let dir: string;
  let saved: Record<string, string | undefined>;
  beforeEach(async () => {
    r = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 400 });
    dir = mkdtempSync(join(tmpdir(), 'ga-steer-lambda-lease-'));
    const policy = writeSteeringPolicy(dir);
    publishLoad(r, policy);
    saved = { ...process.env };
    Object.assign(process.env, { GA_STEER_POLICY: policy, AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: r.emulator.url, AWS_ENDPOINT_URL_CLOUDWATCH: r.emulator.url, GA_STEER_STATE_TABLE: `lease-${Math.random().toString(36).slice(2)}` });
    await db.createTable(process.env.GA_STEER_STATE_TABLE ?? '');
  });
  afterEach(async () => {
    restoreEnv(saved);
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const itemIn = async () => (await db.client.send(new GetItemCommand({ TableName: process.env.GA_STEER_STATE_TABLE, Key: { id: { S: ARN } }, ConsistentRead: true }))).Item;

  it('one writes and records every change; the other holds LeaseHeld and writes nothing', async () => {
    const mod = (await import(pathToFileURL(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs')).href)) as { handler: typeof handler };
    const [a, b] = await Promise.all([mod.handler({}), mod.handler({})]);
    const writer = [a, b].find((o) => o.lease === 'kept');
    const other = [a, b].find((o) => o.lease === 'held-elsewhere');
    expect(writer, JSON.stringify([a, b])).toMatchObject({ verdict: 'changes', applyOutcome: 'applied' });
    expect(other, JSON.stringify([a, b])).toMatchObject({ verdict: 'hold', holds: ['LeaseHeld'], applyOutcome: null });
    const writes = r.emulator.ga.writeLog.filter((w) => w.operation === 'UpdateEndpointGroup');
    expect(writes.length).toBeGreaterThan(0);
    // Every landed change is in the stored state.
    const state = JSON.parse((await itemIn())?.state?.S ?? 'null') as { groups: Record<string, { expectedDialPercent?: number }> };
    const live = liveDials(r);
    for (const w of writes) expect(state.groups[w.arn]?.expectedDialPercent, w.arn).toBeCloseTo(live[w.arn] ?? -1, 3);
    // The next invocation cools down: it does not take its own change for a human's.
    const next = await mod.handler({});
    expect(next.holds).toContain('CoolingDown');
    expect(next.holds).not.toContain('HumanOverride');
  });

  it('an invocation whose lease is taken over while it waits for DEPLOYED saves nothing and reports what landed', async () => {
    const mod = (await import(pathToFileURL(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs')).href)) as { handler: typeof handler };
    const out = captureStdout();
    const logged = { some: (f: (l: string) => boolean) => out.lines().some(f), join: (sep: string) => out.lines().join(sep) };
    try {
      const running = mod.handler({});
      // Once both writes landed, another invocation, its clock past the lease, takes it over.
      while (r.emulator.ga.writeLog.length < 2) await new Promise((res) => setTimeout(res, 5));
      const intruder = new DynamoDbStateStore(db.client, process.env.GA_STEER_STATE_TABLE ?? '', ARN);
      expect(await intruder.acquireLease('intruder', 120_000, new Date(Date.now() + 121_000))).toMatchObject({ acquired: true, lease: { token: 2 } });
      const out = await running;
      expect(out).toMatchObject({ verdict: 'changes', applyOutcome: 'applied', lease: 'lost' });
      expect((await itemIn())?.state).toBeUndefined();
      expect((await itemIn())?.leaseOwner?.S).toBe('intruder');
      expect(logged.some((l) => l.includes('alert [changes, apply-failed]'))).toBe(true);
      expect(logged.join('\n')).toMatch(/Lease lost on dynamodb:\/\/lease-\w+\/arn:aws:globalaccelerator::123456789012:accelerator\/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30 \(token 1\): lease token 1 was superseded by token 2 of intruder\. The state was not saved; 2 change\(s\) landed before it stopped/);
    } finally {
      out.restore();
    }
  });
});

describe('serverless.yml, packaged offline for the example fleet (osls package)', () => {
  interface Statement { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }
  interface Template { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
  let template: Template;
  let templateText: string;
  let zipBytes: number;
  const packageDir = mkdtempSync(join(tmpdir(), 'ga-steer-package-'));
  beforeAll(() => {
    execFileSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--param=fleet=example', '--stage', 'prod', '--package', packageDir], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T9/B9/deployer-env-secret' },
    });
    templateText = readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8');
    template = JSON.parse(templateText) as Template;
    zipBytes = statSync(join(packageDir, 'ga-steer.zip')).size;
  }, 60_000);
  afterAll(() => rmSync(packageDir, { recursive: true, force: true }));
  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  const statements = (): Statement[] => (template.Resources.IamRoleLambdaExecution?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[])[0]?.PolicyDocument.Statement ?? [];
  const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('points at the bundled handler, on a supported runtime, one cycle per policy at a time, named per fleet and stage', () => {
    const fn = template.Resources.ControlCycleLambdaFunction?.Properties;
    expect(fn).toMatchObject({ Handler: 'dist/lambda/control-cycle.handler', FunctionName: 'ga-steer-example-prod-control-cycle', ReservedConcurrentExecutions: 2 });
    expect(String(fn?.Runtime)).toMatch(/^nodejs(22|24)\.x$/);
    expect(existsSync(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs'))).toBe(true);
    expect(zipBytes).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('gives the cycle a deadline below the function timeout, and so does the code by default', () => {
    const fn = template.Resources.ControlCycleLambdaFunction?.Properties as { Timeout: number; Environment: { Variables: Record<string, unknown> } };
    const configured = Number(fn.Environment.Variables.GA_STEER_CYCLE_TIMEOUT_SECONDS);
    expect(configured).toBeGreaterThan(0);
    expect(configured).toBeLessThan(fn.Timeout);
    expect(DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS).toBeLessThan(fn.Timeout);
  });

  it('schedules each policy of the fleet with its own event, and sends failed invocations to the stack\'s queue', () => {
    const inputs = ofType('AWS::Scheduler::Schedule').map(([, r]) => JSON.parse(String((r.Properties.Target as { Input: string }).Input)) as unknown);
    expect(inputs).toEqual([{ policy: 'crazycall-voip' }, { policy: 'atlas-experiment', mode: 'plan' }]);
    const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig')[0]?.[1].Properties;
    expect(invokeConfig).toMatchObject({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedCycles', 'Arn'] } } } });
    expect(template.Resources.FailedCycles?.Type).toBe('AWS::SQS::Queue');
    expect(statements().some((s) => actions(s).includes('sqs:SendMessage'))).toBe(true);
  });

  it('has the error, throttle, failed-cycle and per-policy heartbeat alarms, all to the stack\'s topic', () => {
    const alarms = Object.fromEntries(ofType('AWS::CloudWatch::Alarm'));
    expect(Object.keys(alarms).sort()).toEqual(['ErrorsAlarm', 'FailedCyclesAlarm', 'HeartbeatAtlasExperimentAlarm', 'HeartbeatCrazycallVoipAlarm', 'ThrottlesAlarm']);
    for (const a of Object.values(alarms)) expect(a.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(alarms.ErrorsAlarm?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ControlCycleLambdaFunction' } }] });
    expect(alarms.ThrottlesAlarm?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    // The heartbeat reads what the Lambda's EMF lines carry, and no data is the failure.
    expect(alarms.HeartbeatCrazycallVoipAlarm?.Properties).toMatchObject({
      Namespace: 'GaSteer',
      MetricName: 'CycleSucceeded',
      Dimensions: [{ Name: 'service', Value: 'ga-steer-example-prod' }, { Name: 'Policy', Value: 'crazycall-voip' }],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      EvaluationPeriods: 3,
    });
    const fn = template.Resources.ControlCycleLambdaFunction?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(fn.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'ga-steer-example-prod', POWERTOOLS_METRICS_NAMESPACE: 'GaSteer' });
    expect(template.Resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
  });

  it('holds no secret: parameter names only, nothing from the deployer\'s environment', () => {
    const fn = template.Resources.ControlCycleLambdaFunction?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(fn.Environment.Variables).toMatchObject({ GA_STEER_SLACK_WEBHOOK_PARAMETER: '/ga-steer/example/slack-webhook', GA_STEER_RIPE_ATLAS_KEY_PARAMETER: '/ga-steer/example/ripe-atlas-key' });
    expect(Object.keys(fn.Environment.Variables)).not.toContain('SLACK_WEBHOOK_URL');
    expect(templateText).not.toContain('deployer-env-secret');
    expect(templateText).not.toMatch(/hooks\.slack\.com/);
  });

  it('grants every AWS action the adapters call, on the fleet\'s accelerators, and nothing that adds or removes endpoints', () => {
    const granted = new Set(statements().flatMap(actions));
    const used = [
      ...['DescribeAccelerator', 'ListListeners', 'ListEndpointGroups', 'DescribeEndpointGroup', 'UpdateEndpointGroup'].map((a) => `globalaccelerator:${a}`),
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'ssm:GetParameter',
      'kms:Decrypt',
    ];
    for (const a of used) expect(granted.has(a), a).toBe(true);
    expect([...granted].some((a) => /AddEndpoints|RemoveEndpoints|Delete|PutItem|Scan|Query|BatchWrite|PutParameter/.test(a))).toBe(false);
    const store = readFileSync(resolve(REPO_ROOT, 'src/adapters/state/dynamodb-state-store.ts'), 'utf8');
    expect(new Set([...store.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${m[1]}`))).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    const api = readFileSync(resolve(REPO_ROOT, 'src/adapters/global-accelerator/ga-api.ts'), 'utf8');
    for (const c of [...api.matchAll(/new (\w+)Command\(/g)].map((m) => `globalaccelerator:${m[1]}`)) expect(granted.has(c), c).toBe(true);
    const ga = statements().find((s) => actions(s).includes('globalaccelerator:UpdateEndpointGroup'));
    expect(ga?.Resource).toEqual([`${ARN_CRAZYCALL}/listener/*/endpoint-group/*`, `${ARN_ATLAS}/listener/*/endpoint-group/*`]);
  });

  it('owns the lease and state table, and lets the Lambda only read and conditionally update the fleet\'s items', () => {
    expect(template.Resources.StateTable).toMatchObject({ Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } });
    const fn = template.Resources.ControlCycleLambdaFunction?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(fn.Environment.Variables.GA_STEER_STATE_TABLE).toEqual({ Ref: 'StateTable' });
    expect(statements().filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')))).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ARN_CRAZYCALL, ARN_ATLAS] } },
      },
    ]);
  });
});

const ARN_CRAZYCALL = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
const ARN_ATLAS = 'arn:aws:globalaccelerator::123456789012:accelerator/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
