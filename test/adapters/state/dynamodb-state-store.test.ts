// What only the DynamoDB store does, beyond the contract: the item's layout (what serverless.yml's
// table and IAM statement are written for), an item whose lease attributes are not a lease, and an
// UpdateItem whose answer was lost (never sent again blindly: the item is read and judged again).

import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStateStore } from '../../../src/adapters/state/dynamodb-state-store.js';
import { StateCorruptError } from '../../../src/adapters/state/errors.js';
import { emptyControllerState } from '../../../src/planner/controller-state.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../support/local-dynamodb.js';

const TABLE = 'ga-steer-state';
const ARN = 'arn:aws:globalaccelerator::123456789012:accelerator/0f1e2d3c';
let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
});
afterAll(() => db.close());

describe('DynamoDB state store', () => {
  it('keeps lease and state in one item keyed by the accelerator ARN', async () => {
    const store = new DynamoDbStateStore(db.client, TABLE, ARN);
    const now = new Date('2026-12-01T18:00:00Z');
    const attempt = await store.acquireLease('lambda ga-steer-prod', 120_000, now);
    if (!attempt.acquired) throw new Error('lease expected');
    await store.save(emptyControllerState(), attempt.lease, now);
    const item = (await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: ARN } }, ConsistentRead: true }))).Item;
    expect(item).toEqual({
      id: { S: ARN },
      leaseOwner: { S: 'lambda ga-steer-prod' },
      leaseToken: { N: '1' },
      leaseExpiresAtMs: { N: String(now.getTime() + 120_000) },
      leaseAcquiredAt: { S: '2026-12-01T18:00:00.000Z' },
      state: { S: '{\n  "stateVersion": 2,\n  "groups": {},\n  "regions": {},\n  "history": []\n}\n' },
      stateSavedAt: { S: '2026-12-01T18:00:00.000Z' },
      stateSavedByToken: { N: '1' },
    });
  });

  it('lease attributes that are not a lease are an error naming the item', async () => {
    const key = `${ARN}-broken`;
    await db.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: key }, leaseOwner: { S: 'x' }, leaseToken: { S: 'one' } } }));
    const error = await new DynamoDbStateStore(db.client, TABLE, key).acquireLease('a', 1000, new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateCorruptError);
    expect((error as Error).message).toContain(`dynamodb://${TABLE}/${key}: the stored`);
  });

  it('an UpdateItem that landed but whose answer was lost still counts, and is not sent again: the acquisition and the save', async () => {
    const key = `${ARN}-lost-answers`;
    const store = new DynamoDbStateStore(db.client, TABLE, key, { maxAttempts: 3, budgetMs: 1000, baseDelayMs: 1, maxDelayMs: 2 });
    const now = new Date('2026-12-01T18:00:00Z');
    const updates = () => db.targets.filter((t) => t.endsWith('.UpdateItem')).length;
    const before = updates();
    db.cutUpdateResponses = 1;
    const attempt = await store.acquireLease('only-contender cycle 1', 120_000, now);
    expect(attempt).toMatchObject({ acquired: true, lease: { owner: 'only-contender cycle 1', token: 1 } });
    if (!attempt.acquired) throw new Error('lease expected');
    const state = { ...emptyControllerState(), groups: { g: { lastChangeAt: '2026-12-01T18:00:00Z', expectedDialPercent: 80 } } };
    db.cutUpdateResponses = 1;
    expect(await store.save(state, attempt.lease, now)).toEqual({ written: true });
    expect(await store.load()).toEqual(state);
    expect(updates() - before).toBe(2);
  });
});
