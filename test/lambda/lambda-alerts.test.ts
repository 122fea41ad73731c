// The bundled Lambda posting to a local Slack receiver: an invocation that fails posts an `error`
// alert once across repeated failures (recorded in the DynamoDB item beside the state), then
// "resolved" once an invocation succeeds. The webhook URL shows in no message and no log line.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { REPO_ROOT } from '../support/repo-data.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';

let t: TestEmulator;
let db: LocalDynamoDb;
let atlas: AtlasApiServer;
let hook: WebhookReceiver;
let handler: (event: unknown) => Promise<{ verdict: string; lease: string }>;
let bundleDir: string | undefined;
const TABLE = 'ga-steer-alerts';
const ARN = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
const envBefore = { ...process.env };

function restoreEnv(to: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env)) if (!(name in to)) delete process.env[name];
  Object.assign(process.env, to);
}

beforeAll(async () => {
  // A bundle of its own: control-cycle-lambda.test.ts rebuilds dist/lambda (removing it first) in the
  // same run, and a file read while that runs is not there.
  bundleDir = mkdtempSync(join(tmpdir(), 'ga-steer-alerts-bundle-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-lambda.ts', '--outdir', bundleDir], { cwd: REPO_ROOT, stdio: 'pipe' });
  t = await startTestEmulator('crazycall-hot.json');
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
  atlas = await startAtlasApiServer();
  hook = await startWebhookReceiver();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: t.emulator.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: t.emulator.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-central-1',
    GA_STEER_POLICY: resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'),
    GA_STEER_STATE_TABLE: TABLE,
    GA_STEER_ATLAS_URL: atlas.url,
    SLACK_WEBHOOK_URL: hook.url,
  });
  const mod = (await import(`${pathToFileURL(join(bundleDir, 'control-cycle.mjs')).href}?alerts`)) as { handler: typeof handler };
  handler = mod.handler;
});

afterAll(async () => {
  await t?.close();
  await db?.close();
  await atlas?.close();
  await hook?.close();
  restoreEnv(envBefore);
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
});

describe('control-cycle Lambda alerts (bundled)', () => {
  it('a failing invocation alerts once across repeated failures, then "resolved"', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      // Global Accelerator answers every DescribeAccelerator with a server error.
      t.emulator.faults.add({ operation: 'DescribeAccelerator', kind: 'server-error', times: 0 });
      for (let i = 0; i < 3; i++) await expect(handler({})).rejects.toThrow(/DescribeAccelerator/);
      const titles = (): string[] => hook.received.map((m) => m.body.text.split('\n')[0] ?? '');
      expect(titles()).toEqual(['🚨 ga-steer crazycall-voip: cycle failed while reading the accelerator']);
      const item = await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: ARN } } }));
      const stored = JSON.parse(item.Item?.state?.S ?? 'null') as { groups: unknown; alerts: { open: Record<string, { kind: string; seenCount: number }> } };
      expect(stored.groups).toEqual({});
      expect(Object.values(stored.alerts.open)).toEqual([expect.objectContaining({ kind: 'failure', seenCount: 3 })]);

      t.emulator.faults.clear();
      await handler({});
      const last = JSON.stringify(hook.received.at(-1)?.body.blocks);
      expect(last).toContain('*Resolved:*');
      expect(last).toContain('cycle failed while reading the accelerator: ');
      expect(titles().filter((x) => x.startsWith('🚨'))).toHaveLength(1);
      for (const text of [logged.join('\n'), JSON.stringify(hook.received.map((m) => m.body))]) expect(text).not.toContain('localsecret');
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
