// Controller state and its lease in one DynamoDB item per accelerator (dynamodb-lease-item.ts), for the
// Lambda. Every write is an UpdateItem with a ConditionExpression on owner, token and expiry, so of N
// invocations taking the lease exactly one succeeds, the token only grows (ADD), and a holder whose
// lease expired or was taken over can neither renew it nor save the state. An UpdateItem is made once;
// after one that failed or went unanswered the item is read and judged again (conditional-write.ts).
// Every call is bounded by its deadline and the cycle's.

import { GetItemCommand, UpdateItemCommand, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore, StoredState } from '../../ports/state-store.js';
import type { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { WriteRounds, writeOnce, type WriteOutcome } from './conditional-write.js';
import { KEY_ATTRIBUTE, NAMES, parseLeaseItem, stateOfItem, type Item, type LeaseItem } from './dynamodb-lease-item.js';
import { checkAgainst, decideAcquire, holderOf, leaseOf, refusalOf, RELEASED_AT, type LeaseRecord } from './lease-record.js';
import { stateToText } from './stored-state.js';

const CURRENT = '#token = :token AND #owner = :owner AND #exp > :now';

export class DynamoDbStateStore implements StateStore {
  readonly location: string;
  /** The client's Region, for messages about its calls (resolved once). */
  #region: Promise<string> | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly key: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.location = `dynamodb://${table}/${key}`;
  }

  async load(): Promise<StoredState> {
    return stateOfItem(await this.read(), this.location);
  }

  async acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    const rounds = new WriteRounds(this.retry, this.location);
    for (;;) {
      rounds.mayWrite();
      const expiresAtMs = now.getTime() + ttlMs;
      const out = await this.update('acquire', {
        UpdateExpression: 'SET #owner = :owner, #exp = :exp, #acq = :acq ADD #token :one',
        ConditionExpression: 'attribute_not_exists(#token) OR #exp <= :now',
        ExpressionAttributeValues: { ':owner': { S: owner }, ':exp': { N: String(expiresAtMs) }, ':acq': { S: now.toISOString() }, ':one': { N: '1' }, ':now': { N: String(now.getTime()) } },
        ReturnValues: 'ALL_OLD',
      });
      if (out.status === 'written') {
        const previous = parseLeaseItem(out.value, this.location).lease;
        const grant: LeaseRecord = { owner, token: (previous?.token ?? 0) + 1, expiresAt: new Date(expiresAtMs).toISOString(), acquiredAt: now.toISOString() };
        const decision = decideAcquire(previous, 0, owner, ttlMs, now);
        const tookOverFrom = 'grant' in decision ? decision.tookOverFrom : undefined;
        return { acquired: true, lease: leaseOf(grant), ...(tookOverFrom !== undefined ? { tookOverFrom } : {}) };
      }
      await rounds.after(out);
      const current = (await this.read()).lease;
      // This attempt's own grant, landed unseen: the owner is unique per attempt.
      if (current !== undefined && current.owner === owner) return { acquired: true, lease: leaseOf(current) };
      if (current !== undefined && Date.parse(current.expiresAt) > now.getTime()) return { acquired: false, holder: holderOf(current) };
      // Free (released or expired meanwhile), or the grant did not land: try again.
    }
  }

  async renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const rounds = new WriteRounds(this.retry, this.location);
    for (;;) {
      rounds.mayWrite();
      const out = await this.update('renew', {
        UpdateExpression: 'SET #exp = :exp',
        ConditionExpression: CURRENT,
        ExpressionAttributeValues: { ...currentValues(lease, now), ':exp': { N: String(expiresAt.getTime()) } },
      });
      if (out.status === 'written') return { held: true, lease: { ...lease, expiresAt } };
      await rounds.after(out);
      const current = (await this.read()).lease;
      if (current !== undefined && current.token === lease.token && current.owner === lease.owner && Date.parse(current.expiresAt) === expiresAt.getTime()) return { held: true, lease: leaseOf(current) };
      const check = checkAgainst(current, lease, now);
      // Refused, or no longer current: the store's answer. Still current after an unknown write: again.
      if (out.status === 'refused' || !check.held) return check;
    }
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst((await this.read()).lease, lease, now);
  }

  async save(state: StoredState, lease: Lease, now: Date): Promise<FencedWrite> {
    const text = stateToText(state);
    const rounds = new WriteRounds(this.retry, this.location);
    for (;;) {
      rounds.mayWrite();
      const out = await this.update('save', {
        UpdateExpression: 'SET #state = :state, #savedAt = :savedAt, #savedBy = :token',
        ConditionExpression: CURRENT,
        ExpressionAttributeValues: { ...currentValues(lease, now), ':state': { S: text }, ':savedAt': { S: now.toISOString() } },
      });
      if (out.status === 'written') return { written: true };
      await rounds.after(out);
      const current = await this.read();
      const check = checkAgainst(current.lease, lease, now);
      if (check.held && current.stateText === text) return { written: true };
      if (!check.held) return refusalOf(check);
      if (out.status === 'refused') return refusalOf({ held: false, reason: `${this.location} refused the save` });
      // Still current after an unknown write that did not land: again.
    }
  }

  async releaseLease(lease: Lease): Promise<void> {
    const rounds = new WriteRounds(this.retry, this.location);
    for (;;) {
      rounds.mayWrite();
      const out = await this.update('release', {
        UpdateExpression: 'SET #exp = :released',
        ConditionExpression: '#token = :token AND #owner = :owner',
        ExpressionAttributeValues: { ':token': { N: String(lease.token) }, ':owner': { S: lease.owner }, ':released': { N: String(RELEASED_AT.getTime()) } },
      });
      // Released, or refused: no longer this holder's to release.
      if (out.status !== 'unknown') return;
      await rounds.after(out);
      const current = (await this.read()).lease;
      if (current === undefined || current.token !== lease.token || current.owner !== lease.owner || Date.parse(current.expiresAt) === RELEASED_AT.getTime()) return;
    }
  }

  private async read(): Promise<LeaseItem> {
    const out = await callWithRetry(
      'DynamoDB',
      'GetItem',
      this.retry,
      (abortSignal) => this.client.send(new GetItemCommand({ TableName: this.table, Key: { [KEY_ATTRIBUTE]: { S: this.key } }, ConsistentRead: true }), { abortSignal }),
      await this.region(),
    );
    return parseLeaseItem(out.Item, this.location);
  }

  /** One conditional UpdateItem: written (with the attributes asked for), refused by its condition, or unknown. */
  private async update(purpose: string, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key' | 'ExpressionAttributeNames'>): Promise<WriteOutcome<Item | undefined>> {
    const names = Object.fromEntries(Object.entries(NAMES).filter(([n]) => `${input.UpdateExpression ?? ''} ${input.ConditionExpression ?? ''}`.includes(n)));
    const command = new UpdateItemCommand({ ...input, TableName: this.table, Key: { [KEY_ATTRIBUTE]: { S: this.key } }, ExpressionAttributeNames: names });
    const label = { service: 'DynamoDB', operation: `UpdateItem (${purpose})`, target: await this.region() };
    return writeOnce(label, this.retry, isConditionFailure, async (abortSignal) => (await this.client.send(command, { abortSignal })).Attributes);
  }

  private region(): Promise<string> {
    this.#region ??= this.client.config.region().catch(() => '');
    return this.#region;
  }
}

function isConditionFailure(e: AwsCallError): boolean {
  return e.code === 'ConditionalCheckFailedException';
}

function currentValues(lease: Lease, now: Date): Item {
  return { ':token': { N: String(lease.token) }, ':owner': { S: lease.owner }, ':now': { N: String(now.getTime()) } };
}
