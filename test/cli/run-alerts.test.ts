// `ga-steer run` posting to a local Slack receiver: a failure that lasts many cycles is posted once,
// and "resolved" once a cycle succeeds again; the webhook URL shows nowhere.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/emulator.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { exampleSnapshot } from '../support/emulator.js';
import { runGaSteer, type CliRun } from '../support/run-cli-in-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/slack-webhook-receiver.js';
import { until } from '../support/until.js';

const POLICY = 'policies/crazycall-voip.yaml';

let dir: string;
let atlas: AtlasApiServer;
let hook: WebhookReceiver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-run-alerts-'));
  atlas = await startAtlasApiServer();
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  await atlas?.close();
  await hook?.close();
});

describe('ga-steer run alerts', () => {
  it('a failure that lasts many cycles posts once, then "resolved" when a cycle succeeds', async () => {
    // An accelerator API that drops every connection (the emulator's disconnect fault, on every call):
    // every cycle fails while reading it. The emulator keeps its port, so no other test's server can be
    // given it and answer.
    const api = await startEmulator({ topology: exampleSnapshot('crazycall-hot.json').accelerators, deployDelayMs: 10 });
    api.faults.add({ operation: '*', kind: 'disconnect', times: 0 });
    const stop = new AbortController();
    let out = '';
    const env = { GA_STEER_ATLAS_URL: atlas.url, SLACK_WEBHOOK_URL: hook.url };
    const state = join(dir, 'state.json');
    const done: Promise<CliRun> = runGaSteer(
      ['run', '--cycle-timeout', '20', '--schedule', '*/1 * * * * *', '--policy', POLICY, '--state', state, '--endpoint-url', api.url],
      env,
      stop.signal,
      (text) => void (out += text),
    );
    const outcomes = (): string[] => out.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    await until(() => outcomes().filter((o) => o === 'error').length >= 3, 20_000);
    const titles = (): string[] => hook.received.map((m) => m.body.text.split('\n')[0] ?? '');
    expect(titles()).toEqual(['🚨 ga-steer crazycall-voip: cycle failed while reading the accelerator']);
    expect(JSON.stringify(hook.received[0]?.body.blocks)).toMatch(/ECONNRESET|socket hang up/);
    // Recorded beside the state, with no controller state yet.
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ groups: {}, alerts: { open: {} } });

    api.faults.clear();
    try {
      await until(() => outcomes().includes('ok'), 20_000);
      const result = await (async () => {
        stop.abort();
        return done;
      })();
      expect(result.code, result.stderr).toBe(0);
      const resolved = hook.received.filter((m) => JSON.stringify(m.body.blocks).includes('cycle failed while reading the accelerator: ') && JSON.stringify(m.body.blocks).includes('*Resolved:*'));
      expect(resolved).toHaveLength(1);
      expect(titles().filter((t) => t.startsWith('🚨'))).toHaveLength(1);
      for (const text of [out, result.stderr, JSON.stringify(hook.received.map((m) => m.body))]) expect(text).not.toContain('localsecret');
    } finally {
      await api.close();
    }
  }, 60_000);
});
