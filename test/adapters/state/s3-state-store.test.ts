// What only the S3 store does, beyond the contract: the conditional headers on the wire, the object
// written before leases (the bare state) read and carried over, and a PUT whose response was lost
// (never sent again blindly: the object is read and judged again), and an object over the state size cap
// refused before its body is read.

import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateAccessDeniedError } from '../../../src/adapters/state/errors.js';
import { S3StateStore } from '../../../src/adapters/state/s3-state-store.js';
import { emptyControllerState } from '../../../src/planner/controller-state.js';
import type { Lease, LeaseAttempt } from '../../../src/ports/lease.js';
import { TEST_CREDENTIALS } from '../../support/emulator.js';
import { startLocalS3, type LocalS3 } from '../../support/local-s3-server.js';

let s3: LocalS3;
let client: S3Client;
const retry = { maxAttempts: 3, budgetMs: 1000, baseDelayMs: 1, maxDelayMs: 2 };
const KEY = '/ops-state/ga-steer/crazycall.json';
const T0 = new Date('2026-12-01T18:00:00Z');
beforeEach(async () => {
  s3 = await startLocalS3();
  client = new S3Client({ region: 'eu-central-1', endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
afterEach(async () => {
  client.destroy();
  await s3.close();
});

const store = () => new S3StateStore(client, 'ops-state', 'ga-steer/crazycall.json', retry);
const state = (at: string) => ({ ...emptyControllerState(), groups: { g: { lastChangeAt: at, expectedDialPercent: 80 } } });
const granted = (a: LeaseAttempt): Lease => {
  if (!a.acquired) throw new Error('lease expected');
  return a.lease;
};

describe('S3 state store', () => {
  it('starts from an empty state when the object does not exist (404, the role has s3:ListBucket)', async () => {
    expect(await store().load()).toEqual(emptyControllerState());
  });

  it('without s3:ListBucket, a missing object is 403 as on AWS: a clear error naming the permissions, nothing written', async () => {
    s3.withoutListBucket = true;
    const error = (await store().load().then(() => undefined, (e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(StateAccessDeniedError);
    expect(error.message).toBe(
      's3://ops-state/ga-steer/crazycall.json: S3 denied GetObject (403 AccessDenied). If the object does not exist yet, this is S3 hiding that: without s3:ListBucket on arn:aws:s3:::ops-state it answers a missing object with 403, not 404. The role needs s3:ListBucket on the bucket and s3:GetObject and s3:PutObject on the object.',
    );
    await expect(store().acquireLease('a', 60_000, T0)).rejects.toBeInstanceOf(StateAccessDeniedError);
    expect(s3.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('creates the object with If-None-Match, then writes only with If-Match on the ETag just read', async () => {
    const lease = granted(await store().acquireLease('a', 60_000, T0));
    const puts = () => s3.requests.filter((r) => r.method === 'PUT');
    expect(puts()[0]?.headers['if-none-match']).toBe('*');
    await store().save(state('2026-12-01T18:00:00Z'), lease, T0);
    expect(puts()[1]?.headers['if-match']).toMatch(/^"[0-9a-f]{32}"$/);
    const stored = JSON.parse(s3.objects.get(KEY)?.body.toString() ?? 'null') as Record<string, unknown>;
    expect(stored).toMatchObject({ objectVersion: 1, lease: { owner: 'a', token: lease.token }, state: state('2026-12-01T18:00:00Z') });
  });

  it('reads a state object written before leases, and keeps its state when taking the first lease', async () => {
    s3.objects.set(KEY, { body: Buffer.from(JSON.stringify(state('2026-11-30T10:00:00Z'))), etag: '"legacy"' });
    expect(await store().load()).toEqual(state('2026-11-30T10:00:00Z'));
    const lease = granted(await store().acquireLease('a', 60_000, T0));
    expect(lease.token).toBe(1);
    expect(await store().load()).toEqual(state('2026-11-30T10:00:00Z'));
  });

  it('a PUT that landed but whose response was lost still counts: the acquisition and the save', async () => {
    // Each PUT is sent once: the object read afresh shows that it landed, so it is not sent again.
    s3.cutPutResponses = 1;
    const attempt = await store().acquireLease('only-contender', 60_000, T0);
    expect(attempt).toMatchObject({ acquired: true, lease: { owner: 'only-contender', token: 1 } });
    s3.cutPutResponses = 1;
    expect(await store().save(state('2026-12-01T18:00:00Z'), granted(attempt), T0)).toEqual({ written: true });
    expect(await store().load()).toEqual(state('2026-12-01T18:00:00Z'));
    expect(s3.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('names the place of what is wrong in the stored state', async () => {
    s3.objects.set(KEY, { body: Buffer.from('{\n  "stateVersion": 1,\n  "groups": {"g": {"expectedDialPercent": "85"}}\n}'), etag: '"x"' });
    await expect(store().load()).rejects.toThrow(
      "s3://ops-state/ga-steer/crazycall.json: the stored state is not valid (s3://ops-state/ga-steer/crazycall.json:3:43 groups.g.expectedDialPercent: expected a number, got the string '85'); refusing to reset it",
    );
    s3.objects.set(KEY, { body: Buffer.from(`{"stateVersion": 1, "groups": ${'['.repeat(100)}${']'.repeat(100)}}`), etag: '"x"' });
    await expect(store().load()).rejects.toThrow(/crazycall\.json:1:\d+ nested deeper than 64 levels of objects and arrays/);
  });

  it('refuses an object over the state size cap without reading it', async () => {
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    s3.objects.set(KEY, { body: huge, etag: '"x"' });
    await expect(store().load()).rejects.toThrow('the state is 8,388,609 bytes; a state may be at most 8 MiB (8,388,608 bytes)');
  });
});
