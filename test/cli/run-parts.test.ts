// The parts of `ga-steer run` on their own: the overlap guard, the health count, secret redaction.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CycleSchedule, InvalidScheduleError } from '../../src/cli/run/cycle-schedule.js';
import { HealthTracker, writeHealthFile } from '../../src/cli/run/health-file.js';
import { policySecretEnvNames, SecretRedactor } from '../../src/app/redact.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { until } from '../support/until.js';

describe.concurrent('CycleSchedule', () => {
  it('never runs two cycles at once: a tick during a cycle is skipped and reported', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const skipped: Date[] = [];
    const schedule = new CycleSchedule({
      expression: '*/1 * * * * *',
      cycle: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 1200));
        running -= 1;
        runs += 1;
      },
      onSkippedTick: (at) => skipped.push(at),
      onError: () => undefined,
    });
    schedule.start();
    await until(() => skipped.length >= 1);
    expect(running).toBe(1);
    await schedule.stop();
    expect(maxRunning).toBe(1);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    // stop() waited for the cycle in flight.
    expect(running).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(1);
  });

  it('a cycle that rejects is reported and the schedule keeps going', async () => {
    const errors: string[] = [];
    let calls = 0;
    const schedule = new CycleSchedule({
      expression: '*/1 * * * * *',
      cycle: async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
      onSkippedTick: () => undefined,
      onError: (m) => errors.push(m),
    });
    schedule.start();
    await until(() => errors.length >= 2);
    await schedule.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(errors).toContain('cycle: boom 1');
    expect(errors).toContain('cycle: boom 2');
  });

  it('rejects an invalid expression before scheduling anything', () => {
    expect(() => new CycleSchedule({ expression: '* * *', cycle: async () => undefined, onSkippedTick: () => undefined, onError: () => undefined })).toThrow(InvalidScheduleError);
  });
});

describe('health file', () => {
  it('counts consecutive failures and resets on ok', () => {
    const t = new HealthTracker();
    const at = new Date('2025-01-01T00:00:00Z');
    expect(t.record('error', at).consecutiveFailures).toBe(1);
    expect(t.record('policy-invalid', at).consecutiveFailures).toBe(2);
    expect(t.record('apply-incomplete', at).consecutiveFailures).toBe(3);
    expect(t.record('ok', at)).toEqual({ lastCycleAt: '2025-01-01T00:00:00.000Z', lastOutcome: 'ok', consecutiveFailures: 0 });
  });

  it('is written whole, with no temporary file left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-steer-health-'));
    try {
      const file = join(dir, 'health.json');
      await writeHealthFile(file, { lastCycleAt: '2025-01-01T00:00:00.000Z', lastOutcome: 'error', consecutiveFailures: 4 });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ lastCycleAt: '2025-01-01T00:00:00.000Z', lastOutcome: 'error', consecutiveFailures: 4 });
      expect(readdirSync(dir)).toEqual(['health.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redaction', () => {
  it('hides the values of the secret variables the policy names, and the AWS keys', () => {
    const parsed = parsePolicyText(readFileSync('policies/crazycall-voip.yaml', 'utf8'), 'p.yaml');
    if (!parsed.ok) throw new Error('example policy must parse');
    expect(policySecretEnvNames(parsed.policy)).toEqual(['RIPE_ATLAS_KEY', 'SLACK_WEBHOOK_URL']);
    const secrets = new SecretRedactor({ RIPE_ATLAS_KEY: 'atlas-key-0123456789', AWS_SECRET_ACCESS_KEY: 'aws-secret-abcdefgh', HOME: '/home/someone' });
    // The AWS keys from the start; the policy's once it is known.
    expect(secrets.redact('refused key atlas-key-0123456789 and aws-secret-abcdefgh')).toBe('refused key atlas-key-0123456789 and [redacted]');
    secrets.protectPolicy(parsed.policy);
    expect(secrets.redact('refused key atlas-key-0123456789 and aws-secret-abcdefgh at /home/someone')).toBe('refused key [redacted] and [redacted] at /home/someone');
  });

  it('hides a secret however it comes back: JSON-escaped, percent-encoded, or a webhook quoted by its path or token', () => {
    const webhook = 'https://hooks.slack.example/services/T0AAAA/B0BBBB/wxyzWXYZ0123456789abcd';
    const token = 'IQoJb3JpZ2luX2VjE/xyz+abc==';
    const secrets = new SecretRedactor({ AWS_SESSION_TOKEN: token, SLACK_WEBHOOK_URL: webhook }, ['AWS_SESSION_TOKEN', 'SLACK_WEBHOOK_URL']);
    const echoed = [
      `{"message":"bad token ${JSON.stringify(token).slice(1, -1).replaceAll('/', '\\/')}"}`,
      `x-amz-security-token=${encodeURIComponent(token)}`,
      'no route for POST /services/T0AAAA/B0BBBB/wxyzWXYZ0123456789abcd',
      'invalid_token: wxyzWXYZ0123456789abcd',
    ];
    for (const text of echoed) {
      const out = secrets.redact(text);
      expect(out).toContain('[redacted]');
      expect(out).not.toMatch(/IQoJb3JpZ2luX2VjE|wxyzWXYZ0123456789abcd/);
    }
  });

  it('leaves short values alone rather than mangle ordinary words', () => {
    expect(new SecretRedactor({ AWS_SESSION_TOKEN: 'a' }).redact('a cat')).toBe('a cat');
  });
});
