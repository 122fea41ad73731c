// Runs worlds in a small pool of worker processes (worlds are independent; each run is CPU-bound, so one
// process per core). A worker that dies takes only its world with it: that world is reported failed and
// a new worker takes the rest of the queue.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorldResult } from './run-world.js';
import { fromWorkerSchema, type ToWorker } from './worker-messages.js';

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** How long a stopped worker may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

export type WorldOutcome = { readonly seed: number; readonly ok: true; readonly result: WorldResult } | { readonly seed: number; readonly ok: false; readonly error: string };

export interface PoolEvents {
  readonly onStart?: (seed: number) => void;
  readonly onProgress?: (seed: number, controller: string) => void;
  readonly onDone?: (outcome: WorldOutcome) => void;
}

/** `intervalSeconds`: every world's controller interval, in place of the drawn one. */
export async function runWorldsInPool(seeds: readonly number[], jobs: number, events: PoolEvents = {}, intervalSeconds?: number): Promise<WorldOutcome[]> {
  const queue = [...seeds];
  const outcomes: WorldOutcome[] = [];
  const finish = (outcome: WorldOutcome): void => {
    outcomes.push(outcome);
    events.onDone?.(outcome);
  };

  const runWorker = (): Promise<void> =>
    new Promise<void>((resolveWorker) => {
      // execArgv is inherited: under tsx the worker loads TypeScript as the parent does.
      const child: ChildProcess = fork(WORKER_FILE, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let current: number | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const next = (): void => {
        current = queue.shift();
        const message: ToWorker = current === undefined ? { kind: 'stop' } : { kind: 'run', seed: current, ...(intervalSeconds !== undefined ? { intervalSeconds } : {}) };
        if (current !== undefined) events.onStart?.(current);
        child.send(message);
        if (current === undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      };
      child.on('message', (raw: unknown) => {
        const parsed = fromWorkerSchema.safeParse(raw);
        if (!parsed.success) {
          if (current !== undefined) finish({ seed: current, ok: false, error: `unreadable worker message: ${parsed.error.issues[0]?.message ?? ''}` });
          next();
          return;
        }
        const m = parsed.data;
        if (m.kind === 'progress') events.onProgress?.(m.seed, m.controller);
        else {
          finish(m.kind === 'done' ? { seed: m.seed, ok: true, result: m.result } : { seed: m.seed, ok: false, error: m.error });
          next();
        }
      });
      child.on('exit', (code, signal) => {
        if (killTimer !== undefined) clearTimeout(killTimer);
        if (current !== undefined) {
          finish({ seed: current, ok: false, error: `worker exited (${signal ?? `code ${code}`}) while running it` });
          current = undefined;
          // The rest of the queue goes to a fresh worker.
          if (queue.length > 0) {
            void runWorker().then(resolveWorker);
            return;
          }
        }
        resolveWorker();
      });
      next();
    });

  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, seeds.length)) }, runWorker));
  const order = new Map(seeds.map((s, i) => [s, i]));
  return outcomes.sort((a, b) => (order.get(a.seed) ?? 0) - (order.get(b.seed) ?? 0));
}
