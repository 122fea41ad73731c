// The state-store contract (state-store.case.ts) run against every implementation: memory, a file with
// lock files, S3 (a local S3 through the real SDK) and DynamoDB (dynalite through the real SDK).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbStateStore } from '../../../src/adapters/state/dynamodb-state-store.js';
import { FileStateStore } from '../../../src/adapters/state/file-state-store.js';
import { MemoryStateStore, type MemoryStorage } from '../../../src/adapters/state/memory-state-store.js';
import { S3StateStore } from '../../../src/adapters/state/s3-state-store.js';
import { TEST_CREDENTIALS } from '../../support/emulator.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../support/local-dynamodb.js';
import { startLocalS3, type LocalS3 } from '../../support/local-s3-server.js';
import { describeStateStoreContract } from './state-store.case.js';

const retry = { maxAttempts: 2, budgetMs: 1000, baseDelayMs: 1, maxDelayMs: 2 };
let keys = 0;
const nextKey = (): string => `ga-steer/test-${(keys += 1)}.json`;

describeStateStoreContract({
  name: 'memory',
  start: async () => undefined,
  stop: async () => undefined,
  async fresh() {
    const storage: MemoryStorage = { stateText: undefined, lease: undefined };
    return {
      open: () => new MemoryStateStore(undefined, storage),
      corrupt: async () => void (storage.stateText = '{"stateVersion": 9}'),
      storeStateText: async (text) => void (storage.stateText = text),
      location: 'memory',
    };
  },
});

let dir: string;
describeStateStoreContract({
  name: 'file',
  start: async () => void (dir = mkdtempSync(join(tmpdir(), 'ga-steer-state-'))),
  stop: async () => rmSync(dir, { recursive: true, force: true }),
  async fresh() {
    const file = join(dir, `state-${(keys += 1)}.json`);
    return {
      open: () => new FileStateStore(file),
      corrupt: async () => writeFileSync(file, '{"stateVersion": 1, "groups": '),
      storeStateText: async (text) => writeFileSync(file, text),
      location: file,
    };
  },
});

let s3: LocalS3;
let s3Client: S3Client;
describeStateStoreContract({
  name: 'S3',
  async start() {
    s3 = await startLocalS3();
    s3Client = new S3Client({ region: 'eu-central-1', endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  },
  async stop() {
    s3Client.destroy();
    await s3.close();
  },
  async fresh() {
    const key = nextKey();
    return {
      open: () => new S3StateStore(s3Client, 'ops-state', key, retry),
      corrupt: async () => void s3.objects.set(`/ops-state/${key}`, { body: Buffer.from('{"objectVersion": 1, "lease": null, "state": {"stateVersion": 9}}'), etag: '"corrupt"' }),
      // A bare state: what the store wrote before leases, still read as the object.
      storeStateText: async (text) => void s3.objects.set(`/ops-state/${key}`, { body: Buffer.from(text), etag: '"text"' }),
      location: `s3://ops-state/${key}`,
    };
  },
});

let db: LocalDynamoDb;
describeStateStoreContract({
  name: 'DynamoDB',
  async start() {
    db = await startLocalDynamoDb();
    await db.createTable('ga-steer-state');
  },
  stop: () => db.close(),
  async fresh() {
    const key = `arn:aws:globalaccelerator::123456789012:accelerator/test-${(keys += 1)}`;
    return {
      open: () => new DynamoDbStateStore(db.client, 'ga-steer-state', key, retry),
      corrupt: async () => void (await db.client.send(new PutItemCommand({ TableName: 'ga-steer-state', Item: { id: { S: key }, state: { S: 'not json' } } }))),
      storeStateText: async (text) => void (await db.client.send(new PutItemCommand({ TableName: 'ga-steer-state', Item: { id: { S: key }, state: { S: text } } }))),
      location: `dynamodb://ga-steer-state/${key}`,
    };
  },
});
