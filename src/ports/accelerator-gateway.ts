// Reading and changing Global Accelerator. Implemented by adapters/global-accelerator (the AWS SDK) and
// by the simulator; the core never sees either.

import type { Plan, PlannedChange } from '../plan/types.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import type { RanOutCall } from './ran-out-call.js';

export interface AcceleratorGateway {
  /** The governed part of the accelerator (all listeners when `listenerArns` is empty). */
  readTopology(acceleratorArn: string, listenerArns: readonly string[]): Promise<AcceleratorTopology>;
  /**
   * Applies the plan's non-dry-run changes safely; never throws for a failed change, reports it.
   * `guard.beforeWrite` is asked before each change: a refusal stops the apply there (that change and
   * every later one `not-attempted`), as the lease requires of a writer that is no longer the holder.
   */
  applyPlan(plan: Plan, guard?: WriteGuard): Promise<ApplyReport>;
}

export type WritePermit = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface WriteGuard {
  beforeWrite(): Promise<WritePermit>;
}

export type ChangeApplyStatus =
  /** Written, read back and verified. */
  | 'applied'
  /** Live state already matched `after`: nothing written. */
  | 'already-applied'
  | 'dry-run'
  /** Live state no longer matched `before`: refused, nothing written. */
  | 'stale'
  | 'failed'
  /** Not tried because an earlier change failed or was stale. */
  | 'not-attempted';

export interface ChangeApplyOutcome {
  readonly change: PlannedChange;
  readonly status: ChangeApplyStatus;
  readonly message?: string;
}

export interface ApplyReport {
  readonly outcome: 'applied' | 'partial' | 'failed' | 'nothing-to-do';
  readonly changes: readonly ChangeApplyOutcome[];
  /** Whether the accelerator reached DEPLOYED after the writes (undefined when nothing was written). */
  readonly deployed?: boolean;
  /** The call the cycle's deadline cut off, when it stopped the apply. */
  readonly ranOut?: RanOutCall;
}
