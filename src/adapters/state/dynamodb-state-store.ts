// Controller state and its lease in one DynamoDB item per accelerator (dynamodb-lease-item.ts), for the
// Lambda. Every write is an UpdateItem with a ConditionExpression on owner, token and expiry, so of N
// invocations taking the lease exactly one succeeds, the token only grows (ADD), and a holder whose
// lease expired or was taken over can neither renew it nor save the state.

import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { ControllerState } from '../../planner/controller-state.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore } from '../../ports/state-store.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { KEY_ATTRIBUTE, NAMES, parseLeaseItem, stateOfItem, type Item, type LeaseItem } from './dynamodb-lease-item.js';
import { LeaseContendedError, MAX_ACQUIRE_ATTEMPTS } from './errors.js';
import { checkAgainst, decideAcquire, holderOf, leaseOf, refusalOf, RELEASED_AT, type LeaseRecord } from './lease-record.js';
import { stateToText } from './stored-state.js';

const CURRENT = '#token = :token AND #owner = :owner AND #exp > :now';

export class DynamoDbStateStore implements StateStore {
  readonly location: string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly key: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.location = `dynamodb://${table}/${key}`;
  }

  async load(): Promise<ControllerState> {
    return stateOfItem(await this.read(), this.location);
  }

  async acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    for (let attempt = 1; attempt <= MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
      const expiresAtMs = now.getTime() + ttlMs;
      const old = await this.update('acquire', {
        UpdateExpression: 'SET #owner = :owner, #exp = :exp, #acq = :acq ADD #token :one',
        ConditionExpression: 'attribute_not_exists(#token) OR #exp <= :now',
        ExpressionAttributeValues: { ':owner': { S: owner }, ':exp': { N: String(expiresAtMs) }, ':acq': { S: now.toISOString() }, ':one': { N: '1' }, ':now': { N: String(now.getTime()) } },
        ReturnValues: 'ALL_OLD',
      });
      if (old !== 'refused') {
        const previous = parseLeaseItem(old, this.location).lease;
        const grant: LeaseRecord = { owner, token: (previous?.token ?? 0) + 1, expiresAt: new Date(expiresAtMs).toISOString(), acquiredAt: now.toISOString() };
        const decision = decideAcquire(previous, 0, owner, ttlMs, now);
        const tookOverFrom = 'grant' in decision ? decision.tookOverFrom : undefined;
        return { acquired: true, lease: leaseOf(grant), ...(tookOverFrom !== undefined ? { tookOverFrom } : {}) };
      }
      const current = (await this.read()).lease;
      // A retried UpdateItem whose first attempt landed is refused by its own write: the owner is unique.
      if (current !== undefined && current.owner === owner) return { acquired: true, lease: leaseOf(current) };
      if (current !== undefined && Date.parse(current.expiresAt) > now.getTime()) return { acquired: false, holder: holderOf(current) };
      // Released between the refusal and the read: try again.
    }
    throw new LeaseContendedError(this.location, MAX_ACQUIRE_ATTEMPTS);
  }

  async renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const out = await this.update('renew', {
      UpdateExpression: 'SET #exp = :exp',
      ConditionExpression: CURRENT,
      ExpressionAttributeValues: { ...currentValues(lease, now), ':exp': { N: String(expiresAt.getTime()) } },
    });
    if (out !== 'refused') return { held: true, lease: { ...lease, expiresAt } };
    const current = (await this.read()).lease;
    if (current !== undefined && current.token === lease.token && current.owner === lease.owner && Date.parse(current.expiresAt) === expiresAt.getTime()) return { held: true, lease: leaseOf(current) };
    return checkAgainst(current, lease, now);
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst((await this.read()).lease, lease, now);
  }

  async save(state: ControllerState, lease: Lease, now: Date): Promise<FencedWrite> {
    const text = stateToText(state);
    const out = await this.update('save', {
      UpdateExpression: 'SET #state = :state, #savedAt = :savedAt, #savedBy = :token',
      ConditionExpression: CURRENT,
      ExpressionAttributeValues: { ...currentValues(lease, now), ':state': { S: text }, ':savedAt': { S: now.toISOString() } },
    });
    if (out !== 'refused') return { written: true };
    const current = await this.read();
    const check = checkAgainst(current.lease, lease, now);
    if (check.held && current.stateText === text) return { written: true };
    return refusalOf(check.held ? { held: false, reason: `${this.location} refused the save` } : check);
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.update('release', {
      UpdateExpression: 'SET #exp = :released',
      ConditionExpression: '#token = :token AND #owner = :owner',
      ExpressionAttributeValues: { ':token': { N: String(lease.token) }, ':owner': { S: lease.owner }, ':released': { N: String(RELEASED_AT.getTime()) } },
    });
  }

  private async read(): Promise<LeaseItem> {
    const out = await callWithRetry('DynamoDB', 'GetItem', this.retry, () =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: { [KEY_ATTRIBUTE]: { S: this.key } }, ConsistentRead: true })),
    );
    return parseLeaseItem(out.Item, this.location);
  }

  /** A conditional UpdateItem; 'refused' when its condition did not hold, else the attributes asked for. */
  private async update(purpose: string, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key' | 'ExpressionAttributeNames'>): Promise<Item | undefined | 'refused'> {
    const names = Object.fromEntries(Object.entries(NAMES).filter(([n]) => `${input.UpdateExpression ?? ''} ${input.ConditionExpression ?? ''}`.includes(n)));
    try {
      const out = await callWithRetry('DynamoDB', `UpdateItem (${purpose})`, this.retry, () =>
        this.client.send(new UpdateItemCommand({ ...input, TableName: this.table, Key: { [KEY_ATTRIBUTE]: { S: this.key } }, ExpressionAttributeNames: names })),
      );
      return out.Attributes;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || (e instanceof AwsCallError && e.code === 'ConditionalCheckFailedException')) return 'refused';
      throw e;
    }
  }
}

function currentValues(lease: Lease, now: Date): Item {
  return { ':token': { N: String(lease.token) }, ':owner': { S: lease.owner }, ':now': { N: String(now.getTime()) } };
}
