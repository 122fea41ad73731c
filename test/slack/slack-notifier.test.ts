import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { alertOf } from '../support/alerts.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';

const { plan } = evaluate(
  makePolicy(),
  makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: 900 }, { region: 'eu-west-1', full: 1000, load: 300 }] }),
  emptyControllerState(),
  NOW,
);
const ALERT = alertOf(plan);

describe('Slack notifier against a local webhook receiver', () => {
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await hook?.close(); // undefined when beforeAll failed
  });

  it('posts a valid message naming the change and its reason', async () => {
    expect(plan.changes.length).toBeGreaterThan(0);
    await new SlackNotifier({ webhookUrl: hook.url, channel: '#netops' }).notify(ALERT);
    const msg = hook.received.at(-1);
    expect(msg?.body.text).toContain('ga-steer test-service');
    expect(JSON.stringify(msg?.body.blocks)).toContain('DialReduced');
    expect(msg?.body.channel).toBe('#netops');
  });

  it('a failure comes first in the message, under the alarm', async () => {
    const failure = { stage: 'saving the state', what: 'the lease on dynamodb://t/arn', error: 'lease token 3 expired', leftAsItWas: 'The state was not saved; nothing was changed.' };
    await new SlackNotifier({ webhookUrl: hook.url }).notify({ ...ALERT, events: ['changes', 'apply-failed'], failures: [failure] });
    const msg = hook.received.at(-1);
    expect(msg?.body.text).toMatch(/^🚨 ga-steer test-service: cycle failed while saving the state/);
    const first = msg?.body.blocks?.[2]?.text?.text ?? '';
    expect(first).toContain('*What failed:* the lease on dynamodb://t/arn');
    expect(first).toContain('*Left as it was:* The state was not saved; nothing was changed.');
  });

  it('retries once on 5xx, and on 429 after its Retry-After', async () => {
    const before = hook.received.length;
    hook.failures.push(503);
    await new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1 }).notify(ALERT);
    expect(hook.received.length).toBe(before + 1);
    hook.retryAfterSeconds = 1;
    hook.failures.push(429);
    const started = Date.now();
    await new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1 }).notify(ALERT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(hook.received.length).toBe(before + 2);
  });

  it('gives up at once when Retry-After is longer than the notification may wait', async () => {
    hook.retryAfterSeconds = 60;
    hook.failures.push(429);
    const started = Date.now();
    const error = await new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1, timeoutMs: 10_000 }).notify(ALERT).then(() => undefined, (e: unknown) => e as Error);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error?.message).toMatch(/HTTP 429: rate_limited/);
  });

  it('reports a rejection without ever showing the webhook URL', async () => {
    hook.failures.push(500, 500);
    const notifier = new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1 });
    const error = await notifier.notify(ALERT).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.name).toBe('SlackWebhookRejected');
    expect(String(error?.message)).not.toContain('localsecret');
    expect(JSON.stringify(notifier)).not.toContain('localsecret');
    expect(inspect(notifier, { depth: 5 })).not.toContain('localsecret');
  });

  it('a webhook that is gone answers 404 no_service, reported without the URL', async () => {
    const notifier = new SlackNotifier({ webhookUrl: `${hook.url}-revoked`, retryDelayMs: 1 });
    const error = await notifier.notify(ALERT).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toBe('the Slack webhook answered HTTP 404: no_service');
  });

  it('reports an unreachable webhook without the URL', async () => {
    const notifier = new SlackNotifier({ webhookUrl: 'http://127.0.0.1:1/hook/local-test/localsecretsecret', retryDelayMs: 1, timeoutMs: 500 });
    const error = await notifier.notify(ALERT).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/cannot reach the Slack webhook \(ECONNREFUSED\)/);
    expect(String(error?.message)).not.toContain('localsecret');
  });
});
