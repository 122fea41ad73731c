// Keeps a cycle's lease while it works: renews it in the background (a cycle waiting minutes for
// DEPLOYED outlives a short lease), confirms it with the store before every write, and saves the state
// under it. Once the store says the lease is gone, it stays gone: nothing more is written. The store's
// calls run under the cycle's deadline: one the deadline cut off stops the writes without counting the
// lease lost, so the state is still saved under it in the time the cycle keeps for that.

import { DeadlineExceededError } from '../adapters/deadline/errors.js';
import type { WriteGuard, WritePermit } from '../ports/accelerator-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { Lease, LeaseCheck } from '../ports/lease.js';
import type { StateStore, StoredState } from '../ports/state-store.js';

export type LeaseLoss = Extract<LeaseCheck, { held: false }>;

export class LeaseKeeper implements WriteGuard {
  #lease: Lease;
  #lost: LeaseLoss | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Store calls one at a time: a background renewal never races a check or a save. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    lease: Lease,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {
    this.#lease = lease;
  }

  get lease(): Lease {
    return this.#lease;
  }

  get lost(): LeaseLoss | undefined {
    return this.#lost;
  }

  /** Renews every third of the lease's life (in real time) until stopped. */
  start(): void {
    this.#timer = setInterval(() => void this.#serially(() => this.#renew()), Math.max(1, this.ttlMs / 3));
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#queue;
  }

  /** Before a write: the store confirms the lease (renewed first once half of it is spent). */
  async beforeWrite(): Promise<WritePermit> {
    let check: LeaseCheck;
    try {
      check = await this.#serially(() => this.#confirm());
    } catch (e) {
      return { allowed: false, reason: `${this.store.location}: the lease could not be confirmed before the deadline (${errorText(e)}); stopped, nothing more is written` };
    }
    return check.held ? { allowed: true } : { allowed: false, reason: `${this.store.location}: ${check.reason}; stopped, nothing more is written` };
  }

  /** Saves the state under the lease; false (and the lease counted lost) when the store refused; throws when the cycle's deadline cut it off. */
  async save(state: StoredState): Promise<boolean> {
    return this.#serially(async () => {
      const check = await this.#confirm();
      if (!check.held) return false;
      const write = await this.store.save(state, this.#lease, this.clock.now());
      if (!write.written) this.#lose({ held: false, reason: write.reason, ...(write.holder !== undefined ? { holder: write.holder } : {}) });
      return write.written;
    });
  }

  /** Gives the lease back unless it was lost; a failure only delays the next writer until expiry. */
  async release(): Promise<void> {
    await this.stop();
    if (this.#lost !== undefined) return;
    try {
      await this.store.releaseLease(this.#lease);
    } catch (e) {
      this.log(`lease: could not release token ${this.#lease.token} on ${this.store.location} (it expires at ${this.#lease.expiresAt.toISOString()}): ${errorText(e)}`);
    }
  }

  async #confirm(): Promise<LeaseCheck> {
    if (this.#lost !== undefined) return this.#lost;
    const now = this.clock.now();
    const halfSpent = this.#lease.expiresAt.getTime() - now.getTime() < this.ttlMs / 2;
    let check: LeaseCheck;
    try {
      check = halfSpent ? await this.store.renewLease(this.#lease, this.ttlMs, now) : await this.store.checkLease(this.#lease, now);
    } catch (e) {
      // Out of time is not out of lease: the caller stops writing, and the state can still be saved.
      if (e instanceof DeadlineExceededError && e.limit === 'cycle') throw e;
      // A lease that cannot be confirmed is not written under.
      check = { held: false, reason: `the lease could not be confirmed: ${errorText(e)}` };
    }
    if (check.held) this.#lease = check.lease;
    else this.#lose(check);
    return check;
  }

  async #renew(): Promise<void> {
    if (this.#lost !== undefined) return;
    try {
      const check = await this.store.renewLease(this.#lease, this.ttlMs, this.clock.now());
      if (check.held) this.#lease = check.lease;
      else this.#lose(check);
    } catch (e) {
      // Still ours until it expires: the next renewal or check decides.
      this.log(`lease: renewal of token ${this.#lease.token} on ${this.store.location} failed: ${errorText(e)}`);
    }
  }

  #lose(loss: LeaseLoss): void {
    if (this.#lost !== undefined) return;
    this.#lost = loss;
    this.log(`lease: lost token ${this.#lease.token} on ${this.store.location}: ${loss.reason}`);
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
