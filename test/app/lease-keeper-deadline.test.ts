// The lease keeper under the cycle's deadline, with the DynamoDB store against a local DynamoDB: a lease
// check the deadline cuts off stops the writes without counting the lease lost, so the state is still
// saved under it in the time the cycle keeps for that; any other failure to confirm counts it lost.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinDeadline } from '../../src/adapters/deadline/ambient-deadline.js';
import { CycleDeadline } from '../../src/adapters/deadline/cycle-deadline.js';
import { DynamoDbStateStore } from '../../src/adapters/state/dynamodb-state-store.js';
import { LeaseKeeper } from '../../src/app/lease-keeper.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

const TABLE = 'ga-steer-state';
const TTL_MS = 120_000;
const RETRY = { maxAttempts: 2, budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 2, attemptTimeoutMs: 5_000 };
const clock = { now: () => new Date() };
const state = { ...emptyControllerState(), groups: { g: { lastChangeAt: '2026-12-01T18:00:00Z', expectedDialPercent: 85 } } };
let db: LocalDynamoDb;
let keys = 0;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable(TABLE);
});
afterAll(async () => db?.close());

/** A lease taken on an item of its own, and its keeper. */
async function keeperOnFreshItem(retry = RETRY): Promise<{ store: DynamoDbStateStore; keeper: LeaseKeeper }> {
  const store = new DynamoDbStateStore(db.client, TABLE, `arn:aws:globalaccelerator::123456789012:accelerator/keeper-${(keys += 1)}`, retry);
  const attempt = await store.acquireLease('ga-steer test cycle 1', TTL_MS, clock.now());
  if (!attempt.acquired) throw new Error('lease expected');
  return { store, keeper: new LeaseKeeper(store, attempt.lease, TTL_MS, clock, () => undefined) };
}

describe('the lease keeper under the cycle deadline', () => {
  it('a lease check cut off by the deadline refuses the write but keeps the lease: the state is still saved', async () => {
    const { store, keeper } = await keeperOnFreshItem();
    db.stallGetItems = 1;
    const deadline = CycleDeadline.start(300);
    try {
      const permit = await withinDeadline(deadline, () => keeper.beforeWrite());
      expect(permit.allowed).toBe(false);
      expect(permit.allowed === false && permit.reason).toMatch(/the lease could not be confirmed before the deadline \(DeadlineExceededError: DynamoDB GetItem \(us-west-2\) ran out of time after \d+ ms \(the cycle deadline of 300 ms passed\)\); stopped, nothing more is written$/);
    } finally {
      deadline.dispose();
    }
    expect(keeper.lost).toBeUndefined();
    expect(await keeper.save(state)).toBe(true);
    expect(await store.load()).toEqual(state);
    await keeper.release();
  });

  it('a lease check that fails otherwise counts the lease lost: nothing is saved', async () => {
    const { store, keeper } = await keeperOnFreshItem({ ...RETRY, attemptTimeoutMs: 100 });
    // Both attempts of the read run out of their own time, not the cycle's: the lease is not known to be held.
    db.stallGetItems = 2;
    const permit = await keeper.beforeWrite();
    expect(permit.allowed).toBe(false);
    expect(keeper.lost?.reason).toMatch(/^the lease could not be confirmed: DeadlineExceededError: DynamoDB GetItem \(us-west-2\) ran out of time after \d+ ms \(its deadline is 100 ms\) on attempt 2$/);
    expect(await keeper.save(state)).toBe(false);
    expect(await store.load()).toEqual(emptyControllerState());
  });
});
