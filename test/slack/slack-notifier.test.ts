import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import type { Alert } from '../../src/ports/notifier.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';

const { plan } = evaluate(
  makePolicy(),
  makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: 900 }, { region: 'eu-west-1', full: 1000, load: 300 }] }),
  emptyControllerState(),
  NOW,
);
const ALERT: Alert = { events: ['changes'], plan };

describe('Slack notifier against a local webhook receiver', () => {
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await hook?.close(); // undefined when beforeAll failed
  });

  it('posts a valid message naming the change and its reason', async () => {
    await new SlackNotifier({ webhookUrl: hook.url, channel: '#netops' }).notify(ALERT);
    const msg = hook.received.at(-1);
    expect(msg?.body.text).toContain('ga-steer test-service');
    expect(JSON.stringify(msg?.body.blocks)).toContain('DialReduced');
    expect(msg?.body.channel).toBe('#netops');
  });

  it('a lost lease comes first in the message, under the alarm icon', async () => {
    const note = 'Lease lost on dynamodb://t/arn (token 3): lease token 3 expired at 2026-11-22T12:02:00.000Z. The state was not saved; nothing was changed.';
    await new SlackNotifier({ webhookUrl: hook.url }).notify({ ...ALERT, events: ['changes', 'apply-failed'], notes: [note] });
    const msg = hook.received.at(-1);
    expect(msg?.body.text).toMatch(/^:rotating_light: ga-steer test-service/);
    const section = (msg?.body.blocks as { text?: { text: string } }[] | undefined)?.[2]?.text?.text ?? '';
    expect(section.split('\n')[0]).toBe(`• ${note}`);
  });

  it('retries once on 5xx and 429', async () => {
    const before = hook.received.length;
    hook.failures.push(503);
    await new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1 }).notify(ALERT);
    expect(hook.received.length).toBe(before + 1);
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

  it('reports an unreachable webhook without the URL', async () => {
    const notifier = new SlackNotifier({ webhookUrl: 'http://127.0.0.1:1/hook/local-test/localsecretsecret', retryDelayMs: 1, timeoutMs: 500 });
    const error = await notifier.notify(ALERT).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/cannot reach the Slack webhook \(ECONNREFUSED\)/);
    expect(String(error?.message)).not.toContain('localsecret');
  });
});
