// Controller state in a JSON file (`ga-steer apply` and `run`), with its lease in lock files beside it
// (file-lease.ts). The state is written atomically (temporary file + rename), and only after the
// lease files confirm that the writer's lease is still the current one.

import { randomUUID } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { emptyControllerState } from '../../planner/controller-state.js';
import type { FencedWrite, Lease, LeaseAttempt, LeaseCheck } from '../../ports/lease.js';
import type { StateStore, StoredState } from '../../ports/state-store.js';
import { FileLease } from './file-lease.js';
import { LeaseContendedError, MAX_ACQUIRE_ATTEMPTS } from './errors.js';
import { checkAgainst, decideAcquire, holderOf, leaseOf, refusalOf, released, renewed } from './lease-record.js';
import { readStateFile } from './read-state-file.js';
import { parseStoredState, stateToText } from './stored-state.js';

export class FileStateStore implements StateStore {
  private readonly lease: FileLease;

  constructor(private readonly file: string) {
    this.lease = new FileLease(file);
  }

  get location(): string {
    return this.file;
  }

  async load(): Promise<StoredState> {
    const text = await readStateFile(this.file, 'state');
    return text === undefined ? emptyControllerState() : parseStoredState(text, this.file);
  }

  async acquireLease(owner: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
    for (let attempt = 1; attempt <= MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
      const current = await this.lease.current();
      const decision = decideAcquire(current.record, current.token, owner, ttlMs, now);
      if ('heldBy' in decision) return { acquired: false, holder: decision.heldBy };
      if (await this.lease.create(decision.grant)) {
        // The name may have been free only because a newer holder already removed it as old: the
        // lease is this one only if no newer one exists.
        const after = await this.lease.current();
        if (after.token === decision.grant.token) {
          await this.lease.removeOlderThan(decision.grant.token);
          return { acquired: true, lease: leaseOf(decision.grant), ...(decision.tookOverFrom !== undefined ? { tookOverFrom: decision.tookOverFrom } : {}) };
        }
        await this.lease.remove(decision.grant.token);
        continue;
      }
      // Another process created this token first: it holds the lease (unless it is gone already).
      const winner = await this.lease.read(decision.grant.token);
      if (winner !== undefined) return { acquired: false, holder: holderOf(winner) };
    }
    throw new LeaseContendedError(this.location, MAX_ACQUIRE_ATTEMPTS);
  }

  async renewLease(lease: Lease, ttlMs: number, now: Date): Promise<LeaseCheck> {
    const before = await this.lease.current();
    const check = checkAgainst(before.record, lease, now);
    if (!check.held || before.record === undefined) return check;
    const record = renewed(before.record, ttlMs, now);
    await this.lease.replace(record);
    // A process that read the lease as expired just before the renewal may have taken it over.
    const after = await this.lease.current();
    if (after.token !== lease.token) return checkAgainst(after.record, lease, now);
    return { held: true, lease: leaseOf(record) };
  }

  async checkLease(lease: Lease, now: Date): Promise<LeaseCheck> {
    return checkAgainst((await this.lease.current()).record, lease, now);
  }

  async save(state: StoredState, lease: Lease, now: Date): Promise<FencedWrite> {
    const check = await this.checkLease(lease, now);
    if (!check.held) return refusalOf(check);
    const tmp = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, stateToText(state));
      await rename(tmp, this.file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return { written: true };
  }

  async releaseLease(lease: Lease): Promise<void> {
    const current = await this.lease.current();
    if (current.record !== undefined && current.token === lease.token && current.record.owner === lease.owner) await this.lease.replace(released(current.record));
  }
}
