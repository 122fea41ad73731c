// Alerts through the whole control cycle, posted by the real Slack notifier to the local receiver:
// deduplicated against the memory kept in the stored state, reminded, resolved; failed cycles alerted.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { MemoryStateStore } from '../../src/adapters/state/memory-state-store.js';
import { newAlertMemoryCache } from '../../src/app/alert-delivery.js';
import { runControlCycle, type ControlCycleDeps } from '../../src/app/control-cycle.js';
import { SecretRedactor } from '../../src/app/redact.js';
import type { Policy } from '../../src/policy/schema.js';
import type { SignalSource } from '../../src/ports/signal-source.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { MemoryGateway } from '../support/memory-gateway.js';
import { makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';

const MINUTE = 60_000;
const HOT: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 900 },
  { region: 'eu-west-1', full: 1000, load: 300 },
];
const CALM: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 400 },
  { region: 'eu-west-1', full: 1000, load: 300 },
];
const ON = ['changes', 'holds', 'apply-failed', 'error'];

function policyWith(overrides: Record<string, unknown> = {}): Policy {
  return makePolicy({ alerts: { slack: { on: ON }, remindEveryMinutes: 60 }, ...overrides }, HOT);
}

/** The recorded signals, observed just now whenever the cycle's clock says it is. */
function sourceFrom(snapshot: Snapshot): SignalSource {
  const fresh = <T extends { observedAt: string }>(samples: readonly T[], now: Date): T[] => samples.map((s) => ({ ...s, observedAt: now.toISOString() }));
  return {
    name: 'recorded',
    collect: async (_policy, now) => ({ load: fresh(snapshot.load, now), latency: fresh(snapshot.latency, now), landing: fresh(snapshot.landing, now), demand: fresh(snapshot.demand, now), problems: [] }),
  };
}

let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook?.close();
});
afterEach(() => {
  hook.received.length = 0;
  hook.rejected.length = 0;
  hook.failures.length = 0;
});

function setup(regions: RegionSpec[] = CALM) {
  let now = NOW.getTime();
  const snapshot = makeSnapshot({ regions });
  const gateway = new MemoryGateway(structuredClone(snapshot.accelerators[0]!));
  const store = new MemoryStateStore();
  const logs: string[] = [];
  const secrets = new SecretRedactor({ SLACK_WEBHOOK_URL: hook.url });
  const deps: ControlCycleDeps = {
    gateway,
    sources: [sourceFrom(snapshot)],
    stateStore: store,
    lease: { owner: 'test-process', ttlMs: 10 * MINUTE },
    notifier: new SlackNotifier({ webhookUrl: hook.url, retryDelayMs: 1, redact: secrets.redact }),
    clock: { now: () => new Date(now) },
    log: (l) => void logs.push(secrets.redact(l)),
  };
  const at = (minutes: number): void => {
    now = NOW.getTime() + minutes * MINUTE;
    gateway.topology.observedAt = new Date(now).toISOString();
  };
  /** Runs a cycle; a failed one is expected to throw. */
  const cycle = async (policy: Policy, mode: 'apply' | 'plan' = 'apply') => {
    secrets.protectPolicy(policy);
    return runControlCycle(deps, policy, mode).catch((e: unknown) => e as Error);
  };
  const titles = (): string[] => hook.received.map((m) => m.body.text.split('\n')[0] ?? '');
  return { deps, gateway, store, logs, at, cycle, titles, snapshot };
}

describe('a persistent hold', () => {
  it('posts once, reminds after the interval, then posts resolved when it clears', async () => {
    const { at, cycle, titles, store } = setup();
    const disabled = policyWith({ enabled: false });
    for (const minute of [0, 1, 2, 30, 59]) {
      at(minute);
      await cycle(disabled);
    }
    expect(titles()).toEqual(['⏸️ ga-steer test-service: holding (Disabled)']);
    expect((await store.load()).alerts?.open).toEqual({
      'hold:global:Disabled': { kind: 'hold', title: 'all: Disabled', firstPostedAt: NOW.toISOString(), lastPostedAt: NOW.toISOString(), seenCount: 5 },
    });
    at(60);
    await cycle(disabled);
    at(61);
    await cycle(disabled);
    expect(titles()).toEqual(['⏸️ ga-steer test-service: holding (Disabled)', '⏸️ ga-steer test-service: still holding (Disabled)']);
    expect(JSON.stringify(hook.received[1]?.body.blocks)).toContain('_(still, since 2026-11-22 12:00 UTC)_');
    at(75);
    await cycle(policyWith());
    at(76);
    await cycle(policyWith());
    expect(titles()).toHaveLength(3);
    expect(titles()[2]).toBe('✅ ga-steer test-service: resolved: all: Disabled');
    expect(JSON.stringify(hook.received[2]?.body.blocks)).toContain('all: Disabled: cleared after 1 h 15 min');
    expect((await store.load()).alerts?.open).toEqual({});
    expect(hook.rejected).toEqual([]);
  });

  it('posts again next cycle when Slack did not take the post', async () => {
    const { at, cycle, titles, logs } = setup();
    hook.failures.push(500, 500);
    at(0);
    await cycle(policyWith({ enabled: false }));
    expect(titles()).toEqual([]);
    expect(logs.some((l) => l.startsWith('notification failed: SlackWebhookRejected'))).toBe(true);
    at(1);
    await cycle(policyWith({ enabled: false }));
    expect(titles()).toEqual(['⏸️ ga-steer test-service: holding (Disabled)']);
  });
});

describe('a failed cycle', () => {
  it('alerts once across repeated failures, reminds, and posts resolved when a cycle succeeds', async () => {
    const { at, cycle, titles, gateway, store } = setup();
    gateway.readError = new Error('GlobalAccelerator DescribeAccelerator failed: AccessDeniedException (HTTP 400): not authorized (request id 5f2c1d7e-0a9b-4c3d-8e7f-123456789abc)');
    for (const minute of [0, 1, 2, 3]) {
      at(minute);
      // Each failure carries its own request id: still the same failure.
      gateway.readError = new Error(`GlobalAccelerator DescribeAccelerator failed: AccessDeniedException (HTTP 400): not authorized (request id ${minute}f2c1d7e-0a9b-4c3d-8e7f-12345678${minute}abc)`);
      const result = await cycle(policyWith());
      expect(result).toBeInstanceOf(Error);
    }
    expect(titles()).toEqual(['🚨 ga-steer test-service: cycle failed while reading the accelerator']);
    const text = JSON.stringify(hook.received[0]?.body.blocks);
    expect(text).toContain('*Error:* Error: GlobalAccelerator DescribeAccelerator failed: AccessDeniedException');
    expect(text).toContain('*Left as it was:* Nothing was changed on the accelerator');
    // The controller state is untouched: only what was posted is recorded.
    const stored = await store.load();
    expect(stored.groups).toEqual({});
    expect(Object.values(stored.alerts?.open ?? {})).toEqual([expect.objectContaining({ kind: 'failure', title: 'cycle failed while reading the accelerator: Error', seenCount: 4 })]);
    at(65);
    await cycle(policyWith());
    expect(titles()[1]).toBe('🚨 ga-steer test-service: still failing: cycle failed while reading the accelerator');
    gateway.readError = undefined;
    at(66);
    await cycle(policyWith());
    expect(titles()[2]).toBe('✅ ga-steer test-service: resolved: cycle failed while reading the accelerator: Error');
    expect(titles()).toHaveLength(3);
  });

  it('when the state cannot be read, the process remembers what it posted', async () => {
    const { at, deps, store } = setup();
    store.storage.stateText = '{"stateVersion": 2, "groups": "not a map"}';
    const cache = newAlertMemoryCache();
    for (const minute of [0, 1, 2]) {
      at(minute);
      await expect(runControlCycle(deps, policyWith(), 'apply', { alertCache: cache })).rejects.toThrow(/not valid/);
    }
    expect(hook.received.map((m) => m.body.text.split('\n')[0])).toEqual(['🚨 ga-steer test-service: cycle failed while reading the state']);
    // Never reset: the corrupt state is left for a human.
    expect(store.storage.stateText).toBe('{"stateVersion": 2, "groups": "not a map"}');
  });

  it('an apply that fails says which group, which call, the error and what was left as it was', async () => {
    const { at, cycle, gateway, titles } = setup(HOT);
    gateway.failWrites.add(1);
    at(0);
    const result = await cycle(policyWith());
    expect(result).not.toBeInstanceOf(Error);
    expect(titles()).toEqual(['🚨 ga-steer test-service: apply failed']);
    const text = JSON.stringify(hook.received[0]?.body.blocks);
    expect(text).toContain('*What failed:* eu-central-1 listener UDP 5060 (group eucentral1): UpdateEndpointGroup (traffic dial)');
    expect(text).toContain('*Error:* InternalServiceErrorException');
    expect(text).toContain('*Left as it was:* eu-central-1 listener UDP 5060 (group eucentral1): traffic dial stays 100');
    expect(text).toContain('): *failed*');
  });

  it('never shows the webhook URL, in messages or logs, even when an error quotes it', async () => {
    const { at, cycle, gateway, logs } = setup();
    gateway.readError = new Error(`proxy refused ${hook.url}`);
    at(0);
    const error = await cycle(policyWith());
    expect(error).toBeInstanceOf(Error);
    hook.failures.push(500, 500);
    at(61);
    await cycle(policyWith());
    expect(hook.received).toHaveLength(1);
    const bodies = JSON.stringify(hook.received.map((m) => m.body));
    expect(bodies).not.toContain('localsecret');
    expect(bodies).toContain('[redacted]');
    expect(logs.join('\n')).not.toContain('localsecret');
    expect(logs.some((l) => l.startsWith('notification failed'))).toBe(true);
  });
});

describe('a change', () => {
  it('says what changed where, from what to what, why, the effect on every receiver, the latency cost, applied, with a console link', async () => {
    const { at, cycle, gateway } = setup(HOT);
    at(0);
    const result = await cycle(policyWith());
    if (result instanceof Error) throw result;
    const change = result.plan.changes[0];
    expect(change?.kind).toBe('dial');
    if (change?.kind !== 'dial') return;
    const live = gateway.topology.listeners[0]?.endpointGroups.find((g) => g.arn === change.address.endpointGroupArn)?.trafficDialPercent;
    expect(hook.received.map((m) => m.body.text.split('\n')[0])).toEqual(['🔀 ga-steer test-service: 1 change(s) applied']);
    const body = hook.received[0]!.body;
    const section = body.blocks?.[2]?.text?.text ?? '';
    const e = change.evidence;
    // Where: Region, listener protocol and port, the group.
    expect(section).toContain('*eu-central-1 · listener UDP 5060* (group eucentral1): *applied*');
    // From what to what, and the reason.
    expect(section).toContain(`traffic dial 100 -&gt; ${live} · DialReduced`);
    // Why: utilization against the thresholds.
    expect(section).toContain(`*Why:* utilization 90 % above drain threshold 80 %; predicted ${e.predictedUtilizationPercent} % (target 75 %)`);
    // Every receiver: utilization now and predicted after, its share of the moved traffic.
    expect(Object.keys(e.receiverUtilizationPercent)).toEqual(['eu-west-1']);
    expect(section).toContain(`*Receivers, predicted after:* eu-west-1 30 % -&gt; ${e.receiverUtilizationPercent['eu-west-1']} % (target 75 %), takes 100 % of the moved traffic`);
    // Latency for the moved users (the plan's one definition) and the worst client group.
    expect(section).toContain(`*Latency:* +${e.addedLatencyMs.meanMs} ms mean for the users who move, worst +${e.addedLatencyMs.worstMs} ms (${e.addedLatencyMs.worstClientGroup})`);
    // Applied or not, and where to look.
    const context = JSON.stringify(body.blocks?.[1]);
    expect(context).toContain('mode *apply*');
    expect(context).toContain('<https://us-west-2.console.aws.amazon.com/globalaccelerator/home?region=us-west-2#AcceleratorDetails:AcceleratorArn=arn:aws:globalaccelerator::123456789012:accelerator/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9|Open in the AWS console>');
    // The fallback text says it too, for notifications.
    expect(body.text).toContain(`eu-central-1: traffic dial 100 -> ${live} DialReduced (applied)`);
  });

  it('a dry-run change posts once while it stays the same proposal', async () => {
    const { at, cycle } = setup(HOT);
    const policy = policyWith({ alerts: { slack: { on: [...ON, 'dry-run'] }, remindEveryMinutes: 60 }, dryRun: { all: true } });
    for (const minute of [0, 1, 2]) {
      at(minute);
      await cycle(policy);
    }
    expect(hook.received.map((m) => m.body.text.split('\n')[0])).toEqual(['📝 ga-steer test-service: 1 change(s) planned, not applied']);
    expect(JSON.stringify(hook.received[0]?.body.blocks)).toContain('*dry-run: planned, not applied*');
  });
});

describe('plan mode', () => {
  it('posts a planned change once and writes nothing to the store', async () => {
    const { at, deps, store } = setup(HOT);
    const cache = newAlertMemoryCache();
    for (const minute of [0, 1, 2]) {
      at(minute);
      await runControlCycle(deps, policyWith(), 'plan', { alertCache: cache });
    }
    expect(hook.received.map((m) => m.body.text.split('\n')[0])).toEqual(['📝 ga-steer test-service: 1 change(s) planned, not applied']);
    expect(JSON.stringify(hook.received[0]?.body.blocks)).toContain('plan mode: planned, not applied');
    expect(store.storage.stateText).toBeUndefined();
  });
});
