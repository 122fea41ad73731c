// Where the controller state lives between cycles (a file, S3, DynamoDB, memory), with the lease that
// makes one process at a time its writer. Every implementation passes one contract suite
// (test/adapters/state/state-store.case.ts).

import type { ControlRecord } from '../app/control-record.js';
import type { Decision } from '../app/decision-history.js';
import type { AlertMemory } from '../app/alert-memory.js';
import type { ControllerState } from '../planner/controller-state.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from './lease.js';

/**
 * What a store keeps: the controller state and, beside it (optional, so older state loads as it was),
 * the control record on-call sets without a redeploy, the decision history `status` shows, and what
 * the alerts already said.
 */
export type StoredState = ControllerState & {
  readonly control?: ControlRecord;
  readonly decisions?: readonly Decision[];
  /** What the alerts already said: open holds and failures, when they were posted. */
  readonly alerts?: AlertMemory;
};

export interface StateStore {
  /** Where the state lives, for messages: a path, `s3://bucket/key`, `dynamodb://table/key`, `memory`. */
  readonly location: string;
  /** The state as stored; empty when there is none yet. A corrupt state throws StateCorruptError. */
  load(): Promise<StoredState>;
  /** Takes the lease for `owner` for `ttlMs` from `now`, unless another owner's lease is still valid. */
  acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt>;
  /** Extends a lease that is still current and unexpired at `now` to `now + ttlMs`. */
  renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck>;
  /** Asks the store whether `lease` is still the current, unexpired lease at `now`. */
  checkLease(lease: Lease, now: Date): Promise<LeaseCheck>;
  /** Writes the state if, and only if, `lease` is still current and unexpired at `now`. */
  save(state: StoredState, lease: Lease, now: Date): Promise<FencedWrite>;
  /** Gives the lease up so the next writer need not wait for it to expire; a no-op once it is not current. */
  releaseLease(lease: Lease): Promise<void>;
}
