// The S3 state store against a local S3 through the real SDK: first write, round trip, and a conflict
// between two overlapping runs that never silently overwrites.

import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3StateStore, StateConflictError, StateCorruptError } from '../../src/adapters/state/s3-state-store.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { TEST_CREDENTIALS } from '../support/emulator.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3-server.js';

let s3: LocalS3;
let client: S3Client;
const retry = { maxAttempts: 2, budgetMs: 1000, baseDelayMs: 1, maxDelayMs: 2 };
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

describe('S3 state store', () => {
  it('starts empty, writes with If-None-Match, reads back, then writes with If-Match', async () => {
    const a = store();
    expect(await a.load()).toEqual(emptyControllerState());
    await a.save(state('2026-11-22T12:00:00Z'));
    expect(s3.requests.at(-1)?.headers['if-none-match']).toBe('*');
    const b = store();
    expect(await b.load()).toEqual(state('2026-11-22T12:00:00Z'));
    await b.save(state('2026-11-22T12:05:00Z'));
    expect(s3.requests.at(-1)?.headers['if-match']).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await store().load()).toEqual(state('2026-11-22T12:05:00Z'));
  });

  it('two overlapping runs: the second save is refused, the first run\'s state survives', async () => {
    await store().save(state('2026-11-22T12:00:00Z'));
    const first = store();
    const second = store();
    await first.load();
    await second.load();
    await first.save(state('2026-11-22T12:05:00Z'));
    await expect(second.save(state('2026-11-22T12:06:00Z'))).rejects.toBeInstanceOf(StateConflictError);
    expect(await store().load()).toEqual(state('2026-11-22T12:05:00Z'));
  });

  it('a corrupt object is an error, never silently reset', async () => {
    s3.objects.set('/ops-state/ga-steer/crazycall.json', { body: Buffer.from('{"stateVersion": 9}'), etag: '"x"' });
    await expect(store().load()).rejects.toBeInstanceOf(StateCorruptError);
  });

  it('names the place of what is wrong in the stored state', async () => {
    s3.objects.set('/ops-state/ga-steer/crazycall.json', { body: Buffer.from('{\n  "stateVersion": 1,\n  "groups": {"g": {"expectedDialPercent": "85"}}\n}'), etag: '"x"' });
    await expect(store().load()).rejects.toThrow(
      "s3://ops-state/ga-steer/crazycall.json: the stored state is not valid (s3://ops-state/ga-steer/crazycall.json:3:43 groups.g.expectedDialPercent: expected a number, got the string '85'); refusing to reset it",
    );
    s3.objects.set('/ops-state/ga-steer/crazycall.json', { body: Buffer.from(`{"stateVersion": 1, "groups": ${'['.repeat(100)}${']'.repeat(100)}}`), etag: '"x"' });
    await expect(store().load()).rejects.toThrow(/crazycall\.json:1:\d+ nested deeper than 64 levels of objects and arrays/);
  });

  it('refuses an object over the state size cap without reading it', async () => {
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    s3.objects.set('/ops-state/ga-steer/crazycall.json', { body: huge, etag: '"x"' });
    await expect(store().load()).rejects.toThrow('the state is 8,388,609 bytes; a state may be at most 8 MiB (8,388,608 bytes)');
  });
});
