// The Lambda as deployed: the esbuild bundle of lambda/control-cycle.ts, invoked with a scheduler event,
// talking to the emulator (GA, CloudWatch) and a local S3 (state) through the SDK's endpoint variables.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3-server.js';
import { REPO_ROOT } from '../support/repo-data.js';

let t: TestEmulator;
let s3: LocalS3;
let atlas: AtlasApiServer;
let handler: (event: unknown) => Promise<{ verdict: string; holds: string[]; mode: string; applyOutcome: string | null }>;
/** The environment before this suite configures the Lambda through it; put back afterwards, since other suites share the process. */
const envBefore = { ...process.env };

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-lambda.ts'], { cwd: REPO_ROOT, stdio: 'pipe' });
  t = await startTestEmulator('crazycall-hot.json');
  s3 = await startLocalS3();
  atlas = await startAtlasApiServer();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: t.emulator.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: t.emulator.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-central-1',
    GA_STEER_POLICY: resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'),
    GA_STEER_STATE_BUCKET: 'ops-state',
    GA_STEER_STATE_KEY: 'ga-steer/crazycall-voip.json',
    // The policy's RIPE Atlas measurements go to a local Atlas server, which has no results for them.
    GA_STEER_ATLAS_URL: atlas.url,
  });
  const mod = (await import(pathToFileURL(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs')).href)) as { handler: typeof handler };
  handler = mod.handler;
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  await t?.close();
  await s3?.close();
  await atlas?.close();
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name];
  Object.assign(process.env, envBefore);
});

describe('control-cycle Lambda (bundled)', () => {
  it('runs a cycle against GA and CloudWatch and keeps its state in S3', async () => {
    const out = await handler({ 'detail-type': 'Scheduled Event' });
    expect(out.mode).toBe('apply');
    // No latency source reachable: the controller holds rather than guess.
    expect(out.holds).toContain('NoData');
    expect(JSON.parse(s3.objects.get('/ops-state/ga-steer/crazycall-voip.json')?.body.toString() ?? 'null')).toMatchObject({ stateVersion: 1 });
    expect(t.emulator.calls.some((c) => c.target.endsWith('DescribeAccelerator'))).toBe(true);
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

  it('refuses a misconfigured environment with a message naming the variable', async () => {
    const bucket = process.env.GA_STEER_STATE_BUCKET;
    delete process.env.GA_STEER_STATE_BUCKET;
    try {
      await expect(handler({})).rejects.toThrow(/GA_STEER_STATE_BUCKET/);
    } finally {
      process.env.GA_STEER_STATE_BUCKET = bucket;
    }
  });
});

describe('serverless.yml', () => {
  // CloudFormation's short form `!Sub` is a custom tag to the yaml package.
  const cfnSub = { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) };
  const config = parse(readFileSync(resolve(REPO_ROOT, 'serverless.yml'), 'utf8'), { customTags: [cfnSub] }) as {
    provider: { runtime: string; iam: { role: { statements: { Action: string[] }[] } } };
    functions: Record<string, { handler: string; reservedConcurrency?: number }>;
  };

  it('points at the bundled handler, on a supported runtime, one writer at a time', () => {
    const fn = config.functions.controlCycle;
    expect(fn?.handler).toBe('dist/lambda/control-cycle.handler');
    expect(existsSync(resolve(REPO_ROOT, 'dist/lambda/control-cycle.mjs'))).toBe(true);
    expect(config.provider.runtime).toMatch(/^nodejs(22|24)\.x$/);
    expect(fn?.reservedConcurrency).toBe(1);
  });

  it('grants every AWS action the adapters call, and nothing that adds or removes endpoints', () => {
    const granted = new Set(config.provider.iam.role.statements.flatMap((s) => s.Action));
    const used = [
      ...['DescribeAccelerator', 'ListListeners', 'ListEndpointGroups', 'DescribeEndpointGroup', 'UpdateEndpointGroup'].map((a) => `globalaccelerator:${a}`),
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      's3:GetObject',
      's3:PutObject',
    ];
    for (const a of used) expect(granted.has(a), a).toBe(true);
    expect([...granted].some((a) => /AddEndpoints|RemoveEndpoints|Delete/.test(a))).toBe(false);
    // Every GA command the adapter sends is in the list above.
    const api = readFileSync(resolve(REPO_ROOT, 'src/adapters/global-accelerator/ga-api.ts'), 'utf8');
    const commands = [...api.matchAll(/new (\w+)Command\(/g)].map((m) => `globalaccelerator:${m[1]}`);
    for (const c of commands) expect(granted.has(c), c).toBe(true);
  });
});
