// The deadline of the cycle in progress, carried along the cycle's asynchronous calls, so every
// adapter's outbound call is bounded by it without each port passing it on. Outside a cycle (tests,
// the simulator) there is none and only the calls' own deadlines apply.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { CycleDeadline } from './cycle-deadline.js';

const storage = new AsyncLocalStorage<CycleDeadline | undefined>();

/** Runs `work` with `deadline` as the current one (none: the current one, if any, stays). */
export function withinDeadline<T>(deadline: CycleDeadline | undefined, work: () => Promise<T>): Promise<T> {
  return deadline === undefined ? work() : storage.run(deadline, work);
}

export function currentDeadline(): CycleDeadline | undefined {
  return storage.getStore();
}
