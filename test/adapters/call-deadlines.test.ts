// Every outbound call has a deadline that really ends it: against real local servers that accept and
// never answer, answer the headers and stall, or trickle their body a byte at a time, each client
// (GA and CloudWatch through the AWS SDK, S3 and DynamoDB for state and lease, S3 for feeds, RIPE Atlas,
// HTTP feeds, Slack) gives up at its deadline, names the call, and closes the connection. The cycle's
// deadline bounds them too, and a conditional write that goes unanswered is not sent again blindly.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { getMetricData } from '../../src/adapters/cloudwatch/get-metric-data.js';
import { withinDeadline } from '../../src/adapters/deadline/ambient-deadline.js';
import { callWithDeadline } from '../../src/adapters/deadline/call-deadline.js';
import { CycleDeadline } from '../../src/adapters/deadline/cycle-deadline.js';
import { DeadlineExceededError } from '../../src/adapters/deadline/errors.js';
import { GlobalAcceleratorGateway } from '../../src/adapters/global-accelerator/gateway.js';
import { RipeAtlasSignalSource } from '../../src/adapters/ripe-atlas/atlas-signal-source.js';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { alertOf } from '../support/alerts.js';
import { DynamoDbStateStore } from '../../src/adapters/state/dynamodb-state-store.js';
import { S3StateStore } from '../../src/adapters/state/s3-state-store.js';
import { FeedFetchError } from '../../src/adapters/synthetic/feed-fetch-error.js';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { TEST_CREDENTIALS } from '../support/emulator.js';
import { readAll, rejection } from '../support/feed-reading.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';
import { startStallingServer, type StallingServer, type StallMode } from '../support/stalling-server.js';

const LIMIT_MS = 300;
const ONE_ATTEMPT = { maxAttempts: 1, budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 1, attemptTimeoutMs: LIMIT_MS };
const ACCELERATOR = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
const MODES: StallMode[] = ['never-answer', 'headers-then-stall', 'trickle'];

let server: StallingServer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await server?.close();
  server = undefined;
});

/** The DynamoDB state store against `s`, its client closed after the test. */
function dynamoDbStore(s: StallingServer, retry: typeof ONE_ATTEMPT): DynamoDbStateStore {
  const client = new DynamoDBClient({ region: 'eu-central-1', endpoint: s.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  closers.push(() => client.destroy());
  return new DynamoDbStateStore(client, 'ga-steer-state', ACCELERATOR, retry);
}

async function serve(mode: StallMode): Promise<StallingServer> {
  server = await startStallingServer(mode);
  return server;
}

/** Runs `call`, which must fail at about LIMIT_MS, and waits until the server sees the connection closed. */
async function timed(call: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await rejection(call());
  const elapsedMs = Date.now() - started;
  const s = server as StallingServer;
  const until = Date.now() + 2_000;
  while (s.closedAt.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  expect(s.closedAt.length, 'the client closed the connection').toBeGreaterThan(0);
  return { error, elapsedMs };
}

function expectCutOff(error: unknown, elapsedMs: number, call: { service: string; operation: string; target: string }): void {
  expect(error).toBeInstanceOf(DeadlineExceededError);
  const e = error as DeadlineExceededError;
  expect(e.call).toEqual(call);
  expect(e.limit).toBe('call');
  expect(e.elapsedMs).toBeGreaterThanOrEqual(LIMIT_MS - 5);
  expect(elapsedMs).toBeLessThan(LIMIT_MS + 1_500);
  expect(e.message).toMatch(new RegExp(`ran out of time after \\d+ ms \\(its deadline is ${LIMIT_MS} ms\\)`));
}

describe.each(MODES)('a server that %s', (mode) => {
  it('Global Accelerator (AWS SDK): the read gives up at its deadline and closes the connection', async () => {
    const s = await serve(mode);
    const client = new GlobalAcceleratorClient({ region: 'us-west-2', endpoint: s.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    closers.push(() => client.destroy());
    const gateway = new GlobalAcceleratorGateway(client, { retry: ONE_ATTEMPT });
    const { error, elapsedMs } = await timed(() => gateway.readTopology(ACCELERATOR, []));
    expectCutOff(error, elapsedMs, { service: 'GlobalAccelerator', operation: 'DescribeAccelerator', target: 'us-west-2' });
  });

  it('CloudWatch (AWS SDK): GetMetricData gives up at its deadline', async () => {
    const s = await serve(mode);
    const client = new CloudWatchClient({ region: 'eu-central-1', endpoint: s.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    closers.push(() => client.destroy());
    const query = [{ Id: 'q0', MetricStat: { Metric: { Namespace: 'AWS/NetworkELB', MetricName: 'ActiveFlowCount' }, Period: 60, Stat: 'Average' } }];
    const { error, elapsedMs } = await timed(() => getMetricData(client, ONE_ATTEMPT, [query], new Date(NOW.getTime() - 600_000), NOW, 'eu-central-1'));
    expectCutOff(error, elapsedMs, { service: 'CloudWatch', operation: 'GetMetricData', target: 'eu-central-1' });
  });

  it('S3 state (AWS SDK): the state object, body included, gives up at its deadline', async () => {
    const s = await serve(mode);
    const client = new S3Client({ region: 'eu-central-1', endpoint: s.url, forcePathStyle: true, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    closers.push(() => client.destroy());
    const { error, elapsedMs } = await timed(() => new S3StateStore(client, 'ops-state', 'ga-steer/state.json', ONE_ATTEMPT).load());
    expectCutOff(error, elapsedMs, { service: 'S3', operation: 'GetObject', target: 'ops-state' });
  });

  it('DynamoDB state and lease (AWS SDK): reading the item gives up at its deadline', async () => {
    const s = await serve(mode);
    const { error, elapsedMs } = await timed(() => dynamoDbStore(s, ONE_ATTEMPT).load());
    expectCutOff(error, elapsedMs, { service: 'DynamoDB', operation: 'GetItem', target: 'eu-central-1' });
  });

  it('a synthetic feed over HTTP: the whole transfer has one deadline', async () => {
    const s = await serve(mode);
    const fetcher = new FeedFetcher({ timeoutMs: LIMIT_MS });
    const { error, elapsedMs } = await timed(async () => readAll(await fetcher.open('office-probes', `${s.url}/probes.jsonl?token=feed-token-123`)));
    expect(error).toBeInstanceOf(FeedFetchError);
    expect((error as FeedFetchError).failure).toBe('timeout');
    expect((error as Error).message).toBe(`office-probes: cannot read ${s.url}/probes.jsonl?[redacted]: no complete answer within ${LIMIT_MS} ms`);
    expect(elapsedMs).toBeLessThan(LIMIT_MS + 1_500);
  });

  it('a synthetic feed in S3: the whole transfer has one deadline', async () => {
    const s = await serve(mode);
    const fetcher = new FeedFetcher({ timeoutMs: LIMIT_MS, s3: { region: 'eu-central-1', endpoint: s.url, credentials: TEST_CREDENTIALS } });
    closers.push(() => fetcher.close());
    const { error, elapsedMs } = await timed(async () => readAll(await fetcher.open('s3-probes', 's3://probe-results/latest.jsonl')));
    expect(error).toBeInstanceOf(FeedFetchError);
    expect((error as FeedFetchError).failure).toBe('timeout');
    expect(elapsedMs).toBeLessThan(LIMIT_MS + 1_500);
  });

  it('RIPE Atlas: a results request gives up at its deadline although each byte comes within the idle timeout', async () => {
    const s = await serve(mode);
    const { policy } = await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' });
    // The client's own timeouts are long: only the call's deadline can end a trickle.
    const source = new RipeAtlasSignalSource({ env: {}, baseUrl: s.url, callTimeoutMs: LIMIT_MS, client: { timeoutMs: 30_000, maxRetries: 0 } });
    const started = Date.now();
    const readout = await source.collect(policy, new Date());
    expect(Date.now() - started).toBeLessThan(LIMIT_MS + 1_500);
    expect(readout.latency ?? []).toEqual([]);
    for (const id of [61000001, 61000002]) {
      expect(readout.problems.join('\n')).toMatch(new RegExp(`ripe-atlas: measurement ${id}: RIPE Atlas GET results of measurement ${id} \\(${s.host.replace('.', '\\.')}\\) ran out of time after \\d+ ms`));
    }
  });

  it('Slack: the notification, retry included, has one deadline; the webhook path is never named', async () => {
    const s = await serve(mode);
    const { plan } = evaluate(makePolicy(), makeSnapshot(), emptyControllerState(), NOW);
    const notifier = new SlackNotifier({ webhookUrl: `${s.url}/services/T000/B000/webhook-secret-path`, timeoutMs: LIMIT_MS, retryDelayMs: 1 });
    const { error, elapsedMs } = await timed(() => notifier.notify(alertOf(plan, { events: ['holds'] })));
    expectCutOff(error, elapsedMs, { service: 'Slack', operation: 'POST webhook', target: s.host });
    expect((error as Error).message).not.toContain('webhook-secret-path');
  });
});

describe('the cycle deadline', () => {
  it('cuts a call off before its own deadline, says so, and remembers which call it was', async () => {
    const s = await serve('trickle');
    const client = new GlobalAcceleratorClient({ region: 'us-west-2', endpoint: s.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    closers.push(() => client.destroy());
    const gateway = new GlobalAcceleratorGateway(client, { retry: { ...ONE_ATTEMPT, maxAttempts: 5, attemptTimeoutMs: 10_000 } });
    const deadline = CycleDeadline.start(LIMIT_MS);
    const { error, elapsedMs } = await timed(() => withinDeadline(deadline, () => gateway.readTopology(ACCELERATOR, [])));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).limit).toBe('cycle');
    expect((error as Error).message).toMatch(/^GlobalAccelerator DescribeAccelerator \(us-west-2\) ran out of time after \d+ ms \(the cycle deadline of 300 ms passed\)$/);
    expect(elapsedMs).toBeLessThan(LIMIT_MS + 1_500);
    // No second attempt: the cycle's time is gone.
    expect(s.requests).toHaveLength(1);
    expect(deadline.ranOut).toMatchObject({ service: 'GlobalAccelerator', operation: 'DescribeAccelerator', target: 'us-west-2', limit: 'cycle', limitMs: 300 });
  });

  it('a call that starts after the deadline passed is not sent at all', async () => {
    const deadline = CycleDeadline.start(0);
    let sent = false;
    const error = await rejection(
      withinDeadline(deadline, () =>
        callWithDeadline({ service: 'DynamoDB', operation: 'PutItem', target: 'eu-central-1' }, 5_000, async () => {
          sent = true;
        }),
      ),
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(sent).toBe(false);
  });

  it('a call that ignores its signal is still abandoned at the deadline', async () => {
    const started = Date.now();
    const error = await rejection(callWithDeadline({ service: 'Test', operation: 'Ignore', target: 'nowhere' }, 100, () => new Promise(() => undefined)));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("the lease's DynamoDB write stops at the cycle deadline: sent once, named, nothing more", async () => {
    const s = await serve('never-answer');
    const deadline = CycleDeadline.start(LIMIT_MS);
    const store = dynamoDbStore(s, { ...ONE_ATTEMPT, maxAttempts: 5, attemptTimeoutMs: 10_000 });
    const { error, elapsedMs } = await timed(() => withinDeadline(deadline, () => store.acquireLease('ga-steer test cycle 1', 120_000, NOW)));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toMatch(/^DynamoDB UpdateItem \(acquire\) \(eu-central-1\) ran out of time after \d+ ms \(the cycle deadline of 300 ms passed\)$/);
    expect(elapsedMs).toBeLessThan(LIMIT_MS + 1_500);
    expect(s.requests.map((r) => r.target)).toEqual(['DynamoDB_20120810.UpdateItem']);
    expect(deadline.ranOut).toMatchObject({ service: 'DynamoDB', operation: 'UpdateItem (acquire)', target: 'eu-central-1', limit: 'cycle' });
  });

  it('a conditional DynamoDB write that runs out of its own time is not sent again blindly: the item is read first', async () => {
    const s = await serve('never-answer');
    const store = dynamoDbStore(s, { ...ONE_ATTEMPT, maxAttempts: 2, attemptTimeoutMs: 150 });
    const error = await rejection(store.acquireLease('ga-steer test cycle 1', 120_000, NOW));
    // The write, unanswered; then the reads that would tell whether it landed, each retried as reads are.
    expect(s.requests.map((r) => r.target)).toEqual(['DynamoDB_20120810.UpdateItem', 'DynamoDB_20120810.GetItem', 'DynamoDB_20120810.GetItem']);
    expect((error as Error).message).toMatch(/^DynamoDB GetItem \(eu-central-1\) ran out of time after \d+ ms \(its deadline is 150 ms\) on attempt 2$/);
  });

  it('a read that runs out of its own time is retried; the cycle deadline is not', async () => {
    const s = await serve('never-answer');
    const client = new GlobalAcceleratorClient({ region: 'us-west-2', endpoint: s.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    closers.push(() => client.destroy());
    const gateway = new GlobalAcceleratorGateway(client, { retry: { ...ONE_ATTEMPT, maxAttempts: 3, attemptTimeoutMs: 150 } });
    const error = await rejection(gateway.readTopology(ACCELERATOR, []));
    expect(s.requests).toHaveLength(3);
    expect((error as Error).message).toMatch(/ran out of time after \d+ ms \(its deadline is 150 ms\) on attempt 3$/);
  });
});
