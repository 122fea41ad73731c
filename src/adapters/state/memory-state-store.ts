// Controller state and lease in memory: the simulator, `plan`, and tests. Handles on one storage
// behave like processes sharing a store; each operation runs to completion before another starts.

import { emptyControllerState } from '../../planner/controller-state.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore, StoredState } from '../../ports/state-store.js';
import { checkAgainst, decideAcquire, leaseOf, refusalOf, released, renewed, type LeaseRecord } from './lease-record.js';
import { parseStoredState, stateToText } from './stored-state.js';

export interface MemoryStorage {
  /** The state as stored text (parsed on every load, as other stores do); undefined: none yet. */
  stateText: string | undefined;
  lease: LeaseRecord | undefined;
}

export class MemoryStateStore implements StateStore {
  readonly location = 'memory';
  readonly storage: MemoryStorage;

  constructor(initial?: StoredState, storage?: MemoryStorage) {
    this.storage = storage ?? { stateText: initial !== undefined ? stateToText(initial) : undefined, lease: undefined };
  }

  async load(): Promise<StoredState> {
    const text = this.storage.stateText;
    return text === undefined ? emptyControllerState() : parseStoredState(text, this.location);
  }

  async acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    const decision = decideAcquire(this.storage.lease, 0, owner, ttlMs, now);
    if ('heldBy' in decision) return { acquired: false, holder: decision.heldBy };
    this.storage.lease = decision.grant;
    return { acquired: true, lease: leaseOf(decision.grant), ...(decision.tookOverFrom !== undefined ? { tookOverFrom: decision.tookOverFrom } : {}) };
  }

  async renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    const check = checkAgainst(this.storage.lease, lease, now);
    if (!check.held || this.storage.lease === undefined) return check;
    this.storage.lease = renewed(this.storage.lease, ttlMs, now);
    return { held: true, lease: leaseOf(this.storage.lease) };
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst(this.storage.lease, lease, now);
  }

  async save(state: StoredState, lease: Lease, now: Date): Promise<FencedWrite> {
    const check = checkAgainst(this.storage.lease, lease, now);
    if (!check.held) return refusalOf(check);
    this.storage.stateText = stateToText(state);
    return { written: true };
  }

  async releaseLease(lease: Lease): Promise<void> {
    const current = this.storage.lease;
    if (current !== undefined && current.token === lease.token && current.owner === lease.owner) this.storage.lease = released(current);
  }
}
