// What only the file store does, beyond the contract: its lock files, contenders in separate
// processes, the lock of a crashed process, a lock file that is not a lease, and a state file over the
// state size cap.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateCorruptError } from '../../../src/adapters/state/errors.js';
import { FileStateStore } from '../../../src/adapters/state/file-state-store.js';
import { REPO_ROOT } from '../../support/repo-data.js';

const run = promisify(execFile);
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-file-lease-'));
  file = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file state store', () => {
  it('keeps the lease in STATE.lease.N beside the state (owner, token, expiry), and only the newest one', async () => {
    const now = new Date('2026-12-01T18:00:00Z');
    const a = await new FileStateStore(file).acquireLease('a', 1000, now);
    expect(a.acquired).toBe(true);
    expect(JSON.parse(readFileSync(`${file}.lease.1`, 'utf8'))).toEqual({ owner: 'a', token: 1, expiresAt: '2026-12-01T18:00:01.000Z', acquiredAt: '2026-12-01T18:00:00.000Z' });
    await new FileStateStore(file).acquireLease('b', 1000, new Date('2026-12-01T18:00:05Z'));
    expect(readdirSync(dir).sort()).toEqual(['state.json.lease.2']);
  });

  it('contenders in separate processes never share a token: each grant is exclusive', async () => {
    // Four processes take, check and release the lease in a loop at the same time. Two winners of one
    // token would show as a duplicate; a lost grant as a gap.
    // They start together once all four are loaded (a ready file each), however busy the machine.
    const startAt = Date.now() + 2000;
    const script = join(REPO_ROOT, 'test/support/acquire-file-lease.ts');
    const outs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => run(process.execPath, ['--import', 'tsx', script, file, `process-${i}`, String(startAt), '150', '4'], { cwd: REPO_ROOT, timeout: 60_000 })),
    );
    const won = outs.map((o) => JSON.parse(o.stdout) as number[]);
    const all = won.flat().sort((a, b) => a - b);
    expect(all.length).toBeGreaterThan(0);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    // They did contend: more than one process won some rounds.
    expect(won.filter((w) => w.length > 0).length).toBeGreaterThan(1);
  }, 90_000);

  it('takes over the lock of a crashed process once it has expired, never before', async () => {
    writeFileSync(`${file}.lease.7`, JSON.stringify({ owner: 'ga-steer on old-host pid 9', token: 7, expiresAt: '2026-12-01T18:02:00.000Z', acquiredAt: '2026-12-01T18:00:00.000Z' }));
    const store = new FileStateStore(file);
    expect(await store.acquireLease('new', 60_000, new Date('2026-12-01T18:01:59Z'))).toMatchObject({ acquired: false, holder: { owner: 'ga-steer on old-host pid 9', token: 7 } });
    expect(await store.acquireLease('new', 60_000, new Date('2026-12-01T18:02:00Z'))).toMatchObject({ acquired: true, lease: { token: 8 }, tookOverFrom: { token: 7 } });
  });

  it('a lock file that is not a lease is an error naming it, and nothing is taken over', async () => {
    writeFileSync(`${file}.lease.3`, 'garbage');
    const error = await new FileStateStore(file).acquireLease('a', 1000, new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateCorruptError);
    expect((error as Error).message).toBe(`${file}.lease.3: the stored lease is not valid (${file}.lease.3:1:1 not valid JSON: Unexpected token 'g'); refusing to reset it`);
    expect(readdirSync(dir)).toEqual(['state.json.lease.3']);
  });

  it('a lock file is read through the guarded state reader: its issues at their places, its size capped', async () => {
    writeFileSync(`${file}.lease.4`, '{\n  "owner": "a",\n  "token": "4",\n  "expiresAt": "2026-12-01T18:00:01.000Z",\n  "acquiredAt": "2026-12-01T18:00:00.000Z"\n}\n');
    const wrongType = await new FileStateStore(file).acquireLease('b', 1000, new Date()).catch((e: unknown) => e);
    expect((wrongType as Error).message).toBe(`${file}.lease.4: the stored lease is not valid (${file}.lease.4:3:12 token: expected a number, got the string '4'); refusing to reset it`);
    writeFileSync(`${file}.lease.5`, '');
    truncateSync(`${file}.lease.5`, 1024 * 1024 + 1);
    const huge = await new FileStateStore(file).acquireLease('b', 1000, new Date()).catch((e: unknown) => e);
    expect(huge).toBeInstanceOf(StateCorruptError);
    expect((huge as Error).message).toBe(
      `${file}.lease.5: the stored lease is not valid (${file}.lease.5 the lease is 1,048,577 bytes; a lease may be at most 1 MiB (1,048,576 bytes)); refusing to reset it`,
    );
    expect(readdirSync(dir).sort()).toEqual(['state.json.lease.4', 'state.json.lease.5']);
  });

  it('refuses a state file over the state size cap, naming the file and the sizes', async () => {
    writeFileSync(file, '');
    truncateSync(file, 8 * 1024 * 1024 + 1);
    const error = await new FileStateStore(file).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateCorruptError);
    expect((error as Error).message).toBe(
      `${file}: the stored state is not valid (${file} the state is 8,388,609 bytes; a state may be at most 8 MiB (8,388,608 bytes)); refusing to reset it`,
    );
  });
});
