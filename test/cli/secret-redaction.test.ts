// Marker secrets in the environment (AWS keys and session token, the RIPE Atlas key and the Slack
// webhook the policy names), and upstreams that echo them back in their errors: every command (live
// plan, apply, run --once, the Lambda handler) is driven through its failure paths, and no marker
// appears in anything printed, logged, thrown, written to a file or sent as an alert.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { runGaSteer, type CliRun } from '../support/run-cli-in-process.js';
import { startSecretEchoServer, type SecretEchoServer } from '../support/secret-echo-server.js';

const MARKERS = {
  AWS_ACCESS_KEY_ID: 'MARKERAKIDQ7F3A91C2',
  AWS_SECRET_ACCESS_KEY: 'marker-secret-access-key-9c1e/abc+def',
  AWS_SESSION_TOKEN: 'marker-session-token-41d2/XyZ+==',
  MARKER_ATLAS_KEY: 'marker-atlas-key-5b8e',
};
/** Any part of any marker that would give it away, in any encoding. */
const LEAK = /MARKERAKID|marker-secret-access-key|marker-session-token|marker-atlas-key|marker-webhook-token/;
const UPDATE = 'GlobalAccelerator_V20180706.UpdateEndpointGroup';

let dir: string;
let echo: SecretEchoServer;
let db: LocalDynamoDb;
let feed: Server;
let stopEmulator: AbortController;
let emulator: Promise<CliRun>;
let emulatorUrl: string;
let policyFile: string;
let env: Record<string, string>;
/** Everything that left the process, to search for markers. */
const seen: string[] = [];
const savedEnv = { ...process.env };

function feedBody(): string {
  const at = Math.floor(Date.now() / 1000) - 120;
  const rows: string[] = [];
  const rtt = { FR: { 'eu-central-1': 14, 'eu-west-1': 19 }, PL: { 'eu-central-1': 12, 'eu-west-1': 33 } } as const;
  for (const [group, byRegion] of Object.entries(rtt)) {
    for (const [region, ms] of Object.entries(byRegion)) {
      for (let v = 1; v <= 3; v++) rows.push(JSON.stringify({ timestamp: at - v, vantage: `${group.toLowerCase()}-${v}`, clientGroup: group, region, rttMs: ms + v / 10 }));
    }
  }
  return `${rows.join('\n')}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-secrets-'));
  echo = await startSecretEchoServer();
  // A secret never sent anywhere, as if an upstream had it from somewhere else.
  echo.alsoQuote.push(`key ${MARKERS.AWS_SECRET_ACCESS_KEY}`);
  db = await startLocalDynamoDb();
  await db.createTable('ga-steer-state');
  feed = createServer((req, res) => void res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(feedBody()));
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));

  stopEmulator = new AbortController();
  let resolveUrl: (u: string) => void = () => undefined;
  const ready = new Promise<string>((r) => (resolveUrl = r));
  emulator = runGaSteer(
    ['emulator', '--snapshot', 'examples/snapshots/crazycall-hot.json', '--policy', 'policies/crazycall-voip.yaml', '--port', '0', '--deploy-delay-ms', '10'],
    {},
    stopEmulator.signal,
    (text) => {
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m?.[1] !== undefined) resolveUrl(m[1]);
    },
  );
  emulatorUrl = await ready;
  echo.proxyTo = emulatorUrl;

  const policy = parse(readFileSync('policies/crazycall-voip.yaml', 'utf8')) as Record<string, unknown> & { signals: Record<string, unknown> };
  policy.signals = {
    ...policy.signals,
    ripeAtlas: { ...(policy.signals['ripeAtlas'] as object), apiKeyEnv: 'MARKER_ATLAS_KEY' },
    synthetic: [
      { name: 'office-probes', url: `http://127.0.0.1:${(feed.address() as AddressInfo).port}/probes.jsonl`, format: 'jsonl' },
      { name: 'partner-probes', url: `${echo.url}/partner.jsonl`, format: 'jsonl' },
    ],
    demand: { source: 'vantage-count' },
  };
  policy['alerts'] = { slack: { webhookUrlEnv: 'MARKER_SLACK_HOOK', on: ['changes', 'holds', 'apply-failed', 'human-override'] } };
  policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, stringify(policy));

  env = { ...MARKERS, MARKER_SLACK_HOOK: `${echo.url}/services/T0MARKER/B0MARKER/marker-webhook-token-2e6f`, AWS_REGION: 'eu-central-1' };
  // The AWS SDK takes its credentials from the process environment.
  Object.assign(process.env, env);
});

afterAll(async () => {
  // In place: other suites in this process hold the same object.
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  stopEmulator.abort();
  await emulator;
  await echo.close();
  await db?.close();
  await new Promise<void>((resolve) => feed.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a command and keeps what it printed and every file it left. */
async function command(argv: string[]): Promise<CliRun> {
  const run = await runGaSteer(argv, env);
  seen.push(run.stdout, run.stderr);
  return run;
}

function filesWritten(): string[] {
  return readdirSync(dir)
    .filter((f) => f !== 'policy.yaml')
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const live = (extra: string[]) => ['--policy', policyFile, '--endpoint-url', echo.url, '--atlas-url', echo.url, ...extra];

describe('secrets echoed back by upstreams never come out', () => {
  it('signals refused with echoes (CloudWatch, RIPE Atlas, a feed) and a Slack webhook that echoes its token', async () => {
    echo.forward = (target) => target.startsWith('GlobalAccelerator');
    const plan = await command(['plan', ...live(['--format', 'json', '--out', join(dir, 'a-plan.json'), '--save-snapshot', join(dir, 'a-snapshot.json')])]);
    expect(plan.code, plan.stderr).toBe(0);
    // The echoes did arrive, and were hidden.
    expect(plan.stderr).toMatch(/signal problem: eu-central-1: load not read: CloudWatch GetMetricData failed: AccessDenied .*Credential=\[redacted\].*token: \[redacted\]/);
    expect(plan.stderr).toMatch(/ripe-atlas: measurement 61000001: .*\[redacted\]/);
    const apply = await command(['apply', ...live(['--state', join(dir, 'a-state.json'), '--out', join(dir, 'a-report.json')])]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/notification failed: SlackWebhookRejected: the Slack webhook answered HTTP 404: no_team: .*\[redacted\]/);
    const run = await command(['run', '--once', ...live(['--state', join(dir, 'a-run-state.json'), '--health-file', join(dir, 'a-health.json')])]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('[redacted]');
  });

  it('a write refused with an echo: the failed apply, its report and its alert', async () => {
    echo.forward = (target) => target !== UPDATE;
    const apply = await command(['apply', ...live(['--state', join(dir, 'b-state.json'), '--out', join(dir, 'b-report.json')])]);
    expect(apply.code, apply.stderr).toBe(3);
    expect(apply.stdout).toMatch(/\[FAILED\].*\n.*GlobalAccelerator UpdateEndpointGroup failed: AccessDeniedException \(HTTP 403\): User is not authorized \(authorization: .*\[redacted\]/);
    expect(readFileSync(join(dir, 'b-report.json'), 'utf8')).toContain('[redacted]');
    const run = await command(['run', '--once', ...live(['--state', join(dir, 'b-run-state.json'), '--health-file', join(dir, 'b-health.json')])]);
    expect(run.code, run.stderr).toBe(3);
    expect(echo.posted.some((body) => body.includes('apply failed'))).toBe(true);
  });

  it('Global Accelerator itself refusing with an echo: every command fails, saying why, without the secrets', async () => {
    echo.forward = () => false;
    for (const argv of [
      ['plan', ...live([])],
      ['apply', ...live(['--state', join(dir, 'c-state.json')])],
      ['run', '--once', ...live(['--state', join(dir, 'c-run-state.json'), '--health-file', join(dir, 'c-health.json')])],
    ]) {
      const run = await command(argv);
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/GlobalAccelerator DescribeAccelerator failed: AccessDeniedException \(HTTP 403\): User is not authorized \(authorization: AWS4-HMAC-SHA256 Credential=\[redacted\]/);
    }
  });

  it('the Lambda handler: its log lines, its summary and the error it throws', async () => {
    // The handler logs through Powertools, which writes to stdout and stderr itself (not console.log).
    const chunks: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    const logged = { some: (f: (l: string) => boolean) => chunks.join('').split('\n').some(f) };
    Object.assign(process.env, {
      GA_STEER_POLICY: policyFile,
      GA_STEER_STATE_TABLE: 'ga-steer-state',
      GA_STEER_ATLAS_URL: echo.url,
      AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: echo.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: echo.url,
      AWS_ENDPOINT_URL_DYNAMODB: db.url,
    });
    try {
      const { handler } = await import('../../lambda/control-cycle.js');
      // Writes refused with an echo; state and lease in a well-behaved DynamoDB.
      echo.forward = (target) => target !== UPDATE;
      const summary = await handler({});
      seen.push(JSON.stringify(summary));
      expect(summary.applyOutcome).toBe('failed');
      // State and lease in a DynamoDB that echoes: the cycle fails, and the runtime would log the error thrown.
      echo.forward = (target) => target !== UPDATE && !target.startsWith('DynamoDB');
      process.env.AWS_ENDPOINT_URL_DYNAMODB = echo.url;
      const error = await handler({}).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/DynamoDB UpdateItem \(acquire\) failed: AccessDeniedException \(HTTP 403\): User is not authorized \(authorization: .*\[redacted\]/);
      seen.push(String(error?.name), String(error?.message), String(error?.stack), JSON.stringify(error));
    } finally {
      for (const spy of spies) spy.mockRestore();
      seen.push(...chunks);
    }
    expect(logged.some((l) => l.includes('[redacted]'))).toBe(true);
    const item = await db.client.send(new GetItemCommand({ TableName: 'ga-steer-state', Key: { id: { S: (parse(readFileSync(policyFile, 'utf8')) as { accelerator: { arn: string } }).accelerator.arn } }, ConsistentRead: true }));
    expect(item.Item?.state?.S).toBeDefined();
    seen.push(JSON.stringify(item.Item));
  });

  it('nothing that left the process holds a marker: output, files, alerts, logs', () => {
    const everything = [...seen, ...filesWritten(), ...echo.posted];
    expect(everything.length).toBeGreaterThan(20);
    for (const text of everything) expect(text).not.toMatch(LEAK);
    expect(echo.posted.length).toBeGreaterThan(2);
  });
});
