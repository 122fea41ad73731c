// A policy kept in S3, read by the Lambda on every invocation (no redeploy to change it): against the
// emulator (GA, CloudWatch), a local DynamoDB (state and lease) and the local S3 server, through the
// real SDK clients. A changed object is used by the next invocation; an unchanged one is a 304 and not
// parsed again; a broken or missing one fails the invocation, names its place and changes nothing.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3PolicyReader } from '../../src/adapters/policy/s3-policy-reader.js';
import { runLambdaCycle } from '../../src/app/lambda-cycle.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../support/emulator.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3-server.js';
import { REPO_ROOT } from '../support/repo-data.js';

const TABLE = 'ga-steer-state';
const ARN = 'arn:aws:globalaccelerator::123456789012:accelerator/4f6d1c2a-7b3e-4c19-9a55-0e8d2b7c1f30';
const LOCATION = 's3://ga-policies/prod/crazycall-voip.yaml';
const OBJECT_PATH = '/ga-policies/prod/crazycall-voip.yaml';
const POLICY_TEXT = readFileSync(resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'), 'utf8');

let t: TestEmulator;
let db: LocalDynamoDb;
let s3: LocalS3;
let atlas: AtlasApiServer;
let env: Record<string, string | undefined>;
const envBefore = { ...process.env };

/** Puts an object as S3 does: its ETag is the MD5 of the body. */
function putPolicy(text: string): void {
  const body = Buffer.from(text, 'utf8');
  s3.objects.set(OBJECT_PATH, { body, etag: `"${createHash('md5').update(body).digest('hex')}"` });
}

async function stored(): Promise<Record<string, unknown> | undefined> {
  return (await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: ARN } }, ConsistentRead: true }))).Item;
}

beforeAll(async () => {
  t = await startTestEmulator('crazycall-hot.json');
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
  s3 = await startLocalS3();
  atlas = await startAtlasApiServer();
  env = {
    AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR: t.emulator.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: t.emulator.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-central-1',
    GA_STEER_POLICY: LOCATION,
    GA_STEER_STATE_TABLE: TABLE,
    GA_STEER_ATLAS_URL: atlas.url,
  };
  // The S3 client resolves AWS_ENDPOINT_URL_S3 and the credentials from the process environment.
  for (const [k, v] of Object.entries(env)) process.env[k] ??= v;
});
afterAll(async () => {
  await t?.close();
  await db?.close();
  await s3?.close();
  await atlas?.close();
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name];
});
beforeEach(() => {
  s3.withoutListBucket = false;
  putPolicy(POLICY_TEXT);
});

describe('the Lambda reads its policy from S3 on every invocation', () => {
  it('runs a cycle with the policy from S3, and the next invocation uses the object as changed in between', async () => {
    const first = await runLambdaCycle({}, env);
    expect(first).toMatchObject({ policy: 'crazycall-voip', mode: 'apply', lease: 'kept' });
    expect(first.holds).not.toContain('Disabled');
    expect(await stored()).toBeDefined();

    // An operator disables the policy by editing the object: no redeploy.
    putPolicy(POLICY_TEXT.replace(/^enabled: true$/m, 'enabled: false'));
    const second = await runLambdaCycle({}, env);
    expect(second.holds).toContain('Disabled');
    const gets = s3.requests.filter((r) => r.method === 'GET' && r.path === OBJECT_PATH);
    // The second read was conditional on the ETag of the first.
    expect(gets.at(-1)?.headers['if-none-match']).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('a fleet policy comes from its S3 location; an object naming another policy is refused', async () => {
    const fleetEnv = { ...env, GA_STEER_POLICY: 'unused.yaml', GA_STEER_FLEET_POLICIES: 'crazycall-voip', GA_STEER_POLICY_LOCATIONS: JSON.stringify({ 'crazycall-voip': LOCATION }) };
    expect(await runLambdaCycle({ policy: 'crazycall-voip' }, fleetEnv)).toMatchObject({ policy: 'crazycall-voip' });
    putPolicy(POLICY_TEXT.replace(/^name: crazycall-voip$/m, 'name: someone-else'));
    await expect(runLambdaCycle({ policy: 'crazycall-voip' }, fleetEnv)).rejects.toThrow(`${LOCATION}: the policy is named 'someone-else', but the fleet lists it as 'crazycall-voip'`);
    // The role was scoped to the bundled file's accelerator: an object naming another one is refused before any call.
    putPolicy(POLICY_TEXT.replaceAll(ARN, `${ARN.slice(0, -4)}9999`));
    const calls = t.emulator.calls.length;
    await expect(runLambdaCycle({ policy: 'crazycall-voip' }, fleetEnv)).rejects.toThrow(new RegExp(`the policy steers .*9999, but this deployment was packaged for ${ARN.replace(/[/.]/g, '\\$&')} \\(policies/crazycall-voip\\.yaml\\)`));
    expect(t.emulator.calls.length).toBe(calls);
    putPolicy(POLICY_TEXT);
    await expect(runLambdaCycle({ policy: 'crazycall-voip' }, { ...fleetEnv, GA_STEER_POLICY_LOCATIONS: JSON.stringify({ 'crazycall-vopi': LOCATION }) })).rejects.toThrow(
      /GA_STEER_POLICY_LOCATIONS\.crazycall-vopi: 'crazycall-vopi' is not in GA_STEER_FLEET_POLICIES/,
    );
    await expect(runLambdaCycle({ policy: 'crazycall-voip' }, { ...fleetEnv, GA_STEER_POLICY_LOCATIONS: '{"crazycall-voip": "https://example.com/p.yaml"}' })).rejects.toThrow(/GA_STEER_POLICY_LOCATIONS\.crazycall-voip: s3:\/\/bucket\/key/);
  });

  it('a broken policy fails the invocation naming s3://bucket/key:line:col, and nothing is written', async () => {
    await runLambdaCycle({}, env);
    const before = await stored();
    const gaCalls = t.emulator.calls.length;
    const dbWrites = db.targets.filter((x) => x.endsWith('UpdateItem')).length;

    putPolicy(POLICY_TEXT.replace(/targetPercent: 75/, 'targetPercent: lots'));
    const error = (await runLambdaCycle({}, env).then(() => undefined, (e: unknown) => e)) as Error;
    expect(error.name).toBe('InputFileError');
    expect(error.message).toMatch(new RegExp(`^${LOCATION.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ regions\\.eu-central-1\\.targetPercent:`, 'm'));
    expect(t.emulator.calls.length).toBe(gaCalls);
    expect(db.targets.filter((x) => x.endsWith('UpdateItem')).length).toBe(dbWrites);
    expect(await stored()).toEqual(before);

    // Put right again, the policy is used once more.
    putPolicy(POLICY_TEXT);
    expect(await runLambdaCycle({}, env)).toMatchObject({ policy: 'crazycall-voip', lease: 'kept' });
  });

  it('a missing object is a clear error: 404, or 403 naming the ListBucket grant when the role lacks it', async () => {
    s3.objects.delete(OBJECT_PATH);
    const gaCalls = t.emulator.calls.length;
    await expect(runLambdaCycle({}, env)).rejects.toThrow(`${LOCATION}: cannot read the policy: no such object (S3 NoSuchKey, HTTP 404)`);
    s3.withoutListBucket = true;
    await expect(runLambdaCycle({}, env)).rejects.toThrow(/cannot read the policy: S3 AccessDenied \(HTTP 403\): the role needs s3:GetObject on the object and s3:ListBucket on the bucket/);
    expect(t.emulator.calls.length).toBe(gaCalls);
  });
});

describe('S3PolicyReader', () => {
  it('parses an object once per ETag: an unchanged object is a 304 and the policy parsed before', async () => {
    const client = new S3Client({ region: 'us-west-2', endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const reader = new S3PolicyReader(client);
      const first = await reader.read(LOCATION);
      expect(first.parsed).toBe(true);
      const again = await reader.read(LOCATION);
      expect(again.parsed).toBe(false);
      expect(again.policy).toBe(first.policy);
      expect(s3.requests.at(-1)?.headers['if-none-match']).toBe(first.etag);

      putPolicy(POLICY_TEXT.replace('targetPercent: 75', 'targetPercent: 70'));
      const changed = await reader.read(LOCATION);
      expect(changed.parsed).toBe(true);
      expect(changed.etag).not.toBe(first.etag);
      expect(changed.policy.regions['eu-central-1']?.targetPercent).toBe(70);
    } finally {
      client.destroy();
    }
  });
});
