// A separate process contending for the lease of a state file, for the tests across processes:
// node --import tsx acquire-file-lease.ts STATE_FILE NAME START_AT_MS ROUNDS [CONTENDERS]. It waits
// until START_AT_MS and, with CONTENDERS, until that many contenders are loaded and ready (a busy
// machine can take longer than any fixed delay to start them), so that all run at once; then ROUNDS
// times tries to take the lease and, when it gets it, checks it and gives it back. Prints the tokens it
// was granted, as JSON.

import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileStateStore } from '../../src/adapters/state/file-state-store.js';

const [file, name, startAt, rounds, contenders] = process.argv.slice(2);
if (file === undefined || name === undefined || startAt === undefined || rounds === undefined) throw new Error('usage: acquire-file-lease.ts STATE_FILE NAME START_AT_MS ROUNDS');
if (contenders !== undefined) {
  const ready = `${basename(file)}.ready.`;
  writeFileSync(join(dirname(file), `${ready}${name}`), '');
  const deadline = Date.now() + 60_000;
  while (readdirSync(dirname(file)).filter((f) => f.startsWith(ready)).length < Number(contenders) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const store = new FileStateStore(file);
const tokens: number[] = [];
for (let i = 0; i < Number(rounds); i++) {
  const attempt = await store.acquireLease(`${name}-${i}`, 60_000, new Date());
  if (!attempt.acquired) continue;
  tokens.push(attempt.lease.token);
  const check = await store.checkLease(attempt.lease, new Date());
  if (!check.held) throw new Error(`${name}: lease ${attempt.lease.token} lost at once: ${check.reason}`);
  await store.releaseLease(attempt.lease);
}
process.stdout.write(JSON.stringify(tokens));
