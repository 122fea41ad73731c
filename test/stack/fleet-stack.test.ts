// A fleet file and the stack parts it decides: validation at file:line:col, the role scoped to what the
// fleet's policies read (S3 feeds with ListBucket, SSM parameters through KMS), one heartbeat per policy.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/stack/load-fleet.js';
import { stackParts } from '../../src/stack/stack-parts.js';
import { REPO_ROOT } from '../support/repo-data.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ga-steer-fleet-'));
  mkdirSync(join(root, 'fleets'));
  cpSync(resolve(REPO_ROOT, 'policies'), join(root, 'policies'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const writeFleet = (text: string): void => writeFileSync(join(root, 'fleets', 'f.yaml'), text);

describe('fleet files', () => {
  it('loads the repository\'s example fleet with its policies', async () => {
    const fleet = await loadFleet(REPO_ROOT, 'example');
    expect(fleet.policies.map((p) => [p.name, p.schedule, p.mode, p.heartbeatMinutes])).toEqual([
      ['crazycall-voip', 'rate(2 minutes)', 'apply', 15],
      ['atlas-experiment', 'rate(5 minutes)', 'plan', 15],
    ]);
  });

  it('reports every problem of the file at its line and column', async () => {
    writeFleet(['policies:', '  - name: crazycall-voip', '    schedule: every 2 minutes', '    mod: plan', 'secrets:', '  slackWebhookParameter: https://hooks.slack.com/services/T/B/x', ''].join('\n'));
    const error = (await loadFleet(root, 'f').then(() => undefined, (e: unknown) => e)) as Error;
    const file = join(root, 'fleets', 'f.yaml');
    expect(error.message).toContain(`${file}:3:15 policies[0].schedule:`);
    expect(error.message).toContain(`${file}:4:5 policies[0].mod: unknown key (did you mean mode?)`);
    expect(error.message).toContain(`${file}:6:26 secrets.slackWebhookParameter:`);
  });

  it('refuses a policy listed twice, two policies on one accelerator, and a heartbeat shorter than two cycles', async () => {
    const twin = parse(readFileSync(join(root, 'policies', 'crazycall-voip.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(root, 'policies', 'twin.yaml'), stringify({ ...twin, name: 'twin' }));
    writeFleet('policies:\n  - name: crazycall-voip\n    schedule: rate(10 minutes)\n    heartbeatMinutes: 15\n  - name: crazycall-voip\n');
    await expect(loadFleet(root, 'f')).rejects.toThrow(/f\.yaml:4:23 policies\[0\]\.heartbeatMinutes: at least two schedule intervals \(20\)[\s\S]*f\.yaml:5:11 policies\[1\]\.name: policy 'crazycall-voip' is listed twice/);
    writeFleet('policies:\n  - name: crazycall-voip\n  - name: twin\n');
    await expect(loadFleet(root, 'f')).rejects.toThrow(/f\.yaml:3:11 policies\[1\]\.name: policies 'crazycall-voip' and 'twin' govern the same accelerator/);
  });

  it('refuses a policy that does not validate for live use, naming its file', async () => {
    writeFileSync(join(root, 'policies', 'broken.yaml'), 'apiVersion: ga-steer.io/v1\nname: broken\n');
    writeFleet('policies:\n  - name: broken\n');
    await expect(loadFleet(root, 'f')).rejects.toThrow(/policies\/broken\.yaml:\d+:\d+/);
  });
});

describe('stack parts', () => {
  it('lets the role read the fleet\'s S3 feeds and list their buckets (a missing object is then 404, not 403)', async () => {
    const policy = parse(readFileSync(join(root, 'policies', 'crazycall-voip.yaml'), 'utf8')) as { signals: Record<string, unknown> };
    policy.signals.synthetic = [
      { name: 'probes', url: 's3://probe-bucket/feeds/probes.jsonl', format: 'jsonl' },
      { name: 'more', url: 's3://probe-bucket/feeds/more.csv', format: 'csv' },
      { name: 'web', url: 'https://feeds.example/probes.jsonl', format: 'jsonl' },
    ];
    writeFileSync(join(root, 'policies', 'crazycall-voip.yaml'), stringify(policy));
    writeFleet('policies:\n  - name: crazycall-voip\n');
    const parts = stackParts(await loadFleet(root, 'f'), 'prod');
    expect(parts.iamStatements).toContainEqual({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::probe-bucket/feeds/probes.jsonl', 'arn:aws:s3:::probe-bucket/feeds/more.csv'] });
    expect(parts.iamStatements).toContainEqual({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::probe-bucket'] });
    // No secrets configured: no SSM or KMS grant, no parameter names.
    expect(JSON.stringify(parts.iamStatements)).not.toMatch(/ssm:|kms:/);
    expect(Object.keys(parts.environment)).not.toContain('GA_STEER_SLACK_WEBHOOK_PARAMETER');
  });

  it('a policy kept in S3: the Lambda is told where, and the role may read the object and list its bucket', async () => {
    writeFleet('policies:\n  - name: crazycall-voip\n    location: s3://ga-policies/prod/crazycall-voip.yaml\n  - name: atlas-experiment\n');
    const fleet = await loadFleet(root, 'f');
    expect(fleet.policies.map((p) => p.location)).toEqual(['s3://ga-policies/prod/crazycall-voip.yaml', undefined]);
    const parts = stackParts(fleet, 'prod');
    expect(JSON.parse(parts.environment.GA_STEER_POLICY_LOCATIONS ?? 'null')).toEqual({ 'crazycall-voip': 's3://ga-policies/prod/crazycall-voip.yaml' });
    expect(parts.iamStatements).toContainEqual({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::ga-policies/prod/crazycall-voip.yaml'] });
    expect(parts.iamStatements).toContainEqual({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::ga-policies'] });
    // Without one, no S3 grant and no variable.
    writeFleet('policies:\n  - name: crazycall-voip\n');
    const plain = stackParts(await loadFleet(root, 'f'), 'prod');
    expect(plain.environment.GA_STEER_POLICY_LOCATIONS).toBeUndefined();
    expect(JSON.stringify(plain.iamStatements)).not.toContain('s3:');
  });

  it('refuses a policy location that is not s3://bucket/key, at its line and column', async () => {
    writeFleet('policies:\n  - name: crazycall-voip\n    location: https://example.com/p.yaml\n');
    await expect(loadFleet(root, 'f')).rejects.toThrow(/f\.yaml:3:15 policies\[0\]\.location: an S3 object: s3:\/\/bucket\/key/);
  });

  it('grants ssm:GetParameter on the named parameters only, and kms:Decrypt through SSM for those parameters', async () => {
    writeFleet('policies:\n  - name: crazycall-voip\nsecrets:\n  slackWebhookParameter: /ga-steer/prod/slack\n  kmsKeyArn: arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\nalarms:\n  email: oncall@example.com\n');
    const parts = stackParts(await loadFleet(root, 'f'), 'prod');
    const ssm = parts.iamStatements.find((s) => JSON.stringify(s.Action) === '["ssm:GetParameter"]');
    expect(JSON.stringify(ssm?.Resource)).toContain(':parameter/ga-steer/prod/slack');
    const kms = parts.iamStatements.find((s) => JSON.stringify(s.Action) === '["kms:Decrypt"]');
    expect(kms).toMatchObject({ Resource: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', Condition: { StringEquals: { 'kms:ViaService': expect.anything() } } });
    expect(parts.environment.GA_STEER_SLACK_WEBHOOK_PARAMETER).toBe('/ga-steer/prod/slack');
    expect(parts.resources.AlarmEmail).toMatchObject({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email', Endpoint: 'oncall@example.com' } });
    expect(parts.serviceName).toBe('ga-steer-f-prod');
  });
});
