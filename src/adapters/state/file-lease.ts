// The lease of a state file, as lock files beside it: `STATE.lease.N` holds the lease with token N
// (owner, token, expiry, as JSON). A new lease is created with link(2) from a complete temporary file,
// which fails if the name exists, so of any number of processes taking over lease N exactly one creates
// N+1 and tokens only grow. The current lease is the highest N; older files are removed by the winner
// (a slow contender can then create an old name again, so a new file counts only while it is the highest).
// The holder renews or releases its own file by rename, which readers see whole or not at all.

import { randomUUID } from 'node:crypto';
import { link, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LeaseContendedError, MAX_ACQUIRE_ATTEMPTS, StateCorruptError } from './errors.js';
import { leaseRecordSchema, type LeaseRecord } from './lease-record.js';
import { checkStored, readStoredJson } from './parse-state-text.js';
import { readStateFile } from './read-state-file.js';
import { corruptError } from './stored-state.js';

export interface CurrentLease {
  /** The highest token granted so far (0: never). */
  readonly token: number;
  readonly record: LeaseRecord | undefined;
}

export class FileLease {
  private readonly dir: string;
  private readonly prefix: string;

  constructor(private readonly stateFile: string) {
    this.dir = dirname(stateFile);
    this.prefix = `${basename(stateFile)}.lease.`;
  }

  pathOf(token: number): string {
    return join(this.dir, `${this.prefix}${token}`);
  }

  async current(): Promise<CurrentLease> {
    // A file listed may be removed by a newer holder before it is read: list again.
    for (let attempt = 0; attempt < MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
      const token = Math.max(0, ...(await this.tokens()));
      if (token === 0) return { token, record: undefined };
      const record = await this.read(token);
      if (record !== undefined) return { token, record };
    }
    throw new LeaseContendedError(join(this.dir, `${this.prefix}*`), MAX_ACQUIRE_ATTEMPTS);
  }

  /** Creates the lease file for `record.token`; false when another process created it first. */
  async create(record: LeaseRecord): Promise<boolean> {
    const tmp = await this.writeTemp(record);
    try {
      await link(tmp, this.pathOf(record.token));
      return true;
    } catch (e) {
      if (codeOf(e) === 'EEXIST') return false;
      throw e;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Rewrites the holder's own lease file (renewal, release). */
  async replace(record: LeaseRecord): Promise<void> {
    await rename(await this.writeTemp(record), this.pathOf(record.token));
  }

  /** Removes one lease file (a stale one this process created). */
  async remove(token: number): Promise<void> {
    await unlink(this.pathOf(token)).catch(() => undefined);
  }

  /** Removes the files of leases older than `token`. */
  async removeOlderThan(token: number): Promise<void> {
    for (const t of await this.tokens()) if (t < token) await unlink(this.pathOf(t)).catch(() => undefined);
  }

  async read(token: number): Promise<LeaseRecord | undefined> {
    const file = this.pathOf(token);
    const text = await readStateFile(file, 'lease');
    if (text === undefined) return undefined;
    // Through the same guarded reader as the state: a lock file is text another process left.
    const read = readStoredJson(text, file, 'lease');
    if (!read.ok) throw corruptError(file, read.issues, 'lease');
    const parsed = checkStored(leaseRecordSchema, read, file);
    if (!parsed.ok) throw corruptError(file, parsed.issues, 'lease');
    if (parsed.value.token !== token) throw new StateCorruptError(file, `token ${parsed.value.token} in a file named for ${token}`, 'lease');
    return parsed.value;
  }

  private async tokens(): Promise<number[]> {
    const names = await readdir(this.dir);
    return names.filter((n) => n.startsWith(this.prefix) && /^\d+$/.test(n.slice(this.prefix.length))).map((n) => Number(n.slice(this.prefix.length)));
  }

  private async writeTemp(record: LeaseRecord): Promise<string> {
    const tmp = join(this.dir, `.${basename(this.stateFile)}.${process.pid}.${randomUUID()}.tmp`);
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
    return tmp;
  }
}

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string } | undefined)?.code;
}
