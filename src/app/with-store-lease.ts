// A one-off writer (pause, resume, restore, apply --plan) takes the accelerator's lease like a cycle:
// it waits for a running cycle to finish (the lease is released at the end of every cycle), works
// under the lease, and gives it back. So a cycle and a command never overwrite each other's state.

import type { Clock } from '../ports/clock.js';
import { describeHolder, type LeaseHolder } from '../ports/lease.js';
import type { StateStore } from '../ports/state-store.js';
import { GaSteerError } from './errors.js';
import { LeaseKeeper } from './lease-keeper.js';

export class LeaseBusyError extends GaSteerError {
  override readonly name = 'LeaseBusyError';
  constructor(
    readonly location: string,
    readonly holder: LeaseHolder,
    waitedMs: number,
  ) {
    super(`${location}: the lease is held by ${describeHolder(holder)}; waited ${Math.round(waitedMs / 1000)} s. Nothing was changed; try again, or wait longer with --wait`);
  }
}

export interface StoreLeaseOptions {
  readonly owner: string;
  readonly ttlMs: number;
  /** How long to wait for another holder to let go. */
  readonly waitMs: number;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function withStoreLease<T>(store: StateStore, options: StoreLeaseOptions, work: (keeper: LeaseKeeper) => Promise<T>): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = options.clock.now().getTime();
  for (;;) {
    const attempt = await store.acquireLease(options.owner, options.ttlMs, options.clock.now());
    if (attempt.acquired) {
      const keeper = new LeaseKeeper(store, attempt.lease, options.ttlMs, options.clock, options.log);
      keeper.start();
      try {
        return await work(keeper);
      } finally {
        await keeper.release();
      }
    }
    const waited = options.clock.now().getTime() - started;
    if (waited >= options.waitMs) throw new LeaseBusyError(store.location, attempt.holder, waited);
    await sleep(Math.min(1000, options.waitMs - waited));
  }
}
