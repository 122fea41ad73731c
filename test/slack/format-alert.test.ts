// Slack messages within Slack's limits, whatever the size of the plan: checked by the same rules the
// local receiver applies, and posted to it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSlackAlert } from '../../src/adapters/slack/format-alert.js';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import type { Hold, Plan, PlannedChange } from '../../src/plan/types.js';
import { alertOf } from '../support/alerts.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';
import { checkPayload, LIMITS } from '../support/slack-payload.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';

const { plan } = evaluate(
  makePolicy(),
  makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: 900 }, { region: 'eu-west-1', full: 1000, load: 300 }] }),
  emptyControllerState(),
  NOW,
);

/** The plan's change and a hold, repeated over `groups` endpoint groups (a large fleet's worst cycle). */
function largePlan(groups: number): Plan {
  const change = plan.changes[0]!;
  const changes: PlannedChange[] = Array.from({ length: groups }, (_, i) => ({ ...change, address: { ...change.address, endpointGroupArn: `${change.address.endpointGroupArn}-${i}` } }));
  const holds: Hold[] = Array.from({ length: groups }, (_, i) => ({
    scope: { kind: 'endpoint-group', address: { ...change.address, endpointGroupArn: `${change.address.endpointGroupArn}-h${i}` } },
    reason: 'CoolingDown',
    message: `cooling down until 12:0${i % 10}; ${'the load moves over minutes. '.repeat(3)}`,
    evidence: {},
  }));
  return { ...plan, changes, holds };
}

describe('Slack messages within the limits', () => {
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await hook?.close();
  });

  it('a 200-group plan stays under every limit, cut with "and N more", and Slack takes it', async () => {
    expect(plan.changes.length).toBeGreaterThan(0);
    const big = largePlan(200);
    const alert = alertOf(big, { resolved: Array.from({ length: 200 }, (_, i) => ({ kind: 'hold' as const, title: `eu-west-1 group ${i}: CoolingDown`, firstPostedAt: NOW.toISOString() })) });
    const message = formatSlackAlert(alert);
    expect(checkPayload(message)).toEqual({ ok: true });
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.textChars);
    const texts = message.blocks.map((b) => (b as { text?: { text: string } }).text?.text ?? '');
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionTextChars);
    expect(texts.some((t) => /^… and \d+ more \(see the log/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('*Holding*') && /… and \d+ more$/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('*Resolved:*') && /… and \d+ more$/.test(t))).toBe(true);
    await new SlackNotifier({ webhookUrl: hook.url }).notify(alert);
    expect(hook.rejected).toEqual([]);
    expect(hook.received).toHaveLength(1);
  });

  it('a huge error text and a long policy name are cut, never rejected', () => {
    const failure = { stage: 'reading the accelerator', what: 'the cycle', error: `Error: ${'x'.repeat(50_000)}`, leftAsItWas: 'Nothing was changed.' };
    const message = formatSlackAlert(alertOf({ ...plan, policy: { ...plan.policy, name: 'p'.repeat(300) } }, { failures: [failure] }));
    expect(checkPayload(message)).toEqual({ ok: true });
    const header = message.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(LIMITS.headerTextChars);
  });

  it('the receiver rejects what Slack rejects', () => {
    const ok = formatSlackAlert(alertOf(plan));
    expect(checkPayload({ ...ok, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(checkPayload({ ...ok, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(checkPayload({ ...ok, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(checkPayload({ ...ok, blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(checkPayload({ text: 'x'.repeat(40_001) })).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(checkPayload(ok)).toEqual({ ok: true });
  });
});
