// The whole-cycle deadline of the live commands: `--cycle-timeout S`, or a default that suits how the
// command runs. `run` defaults to 90 % of the shortest gap between its scheduled cycles (so a cycle
// ends before the next is due), at most 10 minutes; `plan` and `apply`, run by hand or by CI, to 10
// minutes, enough for the 5-minute default wait for DEPLOYED.

import cron from 'node-cron';
import { secondsOption } from './args.js';

export const MAX_DEFAULT_CYCLE_TIMEOUT_MS = 600_000;

export function cycleTimeoutMs(value: string | undefined, fallbackMs = MAX_DEFAULT_CYCLE_TIMEOUT_MS): number {
  return secondsOption(value, '--cycle-timeout', fallbackMs / 1000, { positive: true });
}

/** The default for a schedule: 90 % of the shortest gap between its next runs, at most 10 minutes. */
export function defaultCycleTimeoutMsFor(expression: string): number {
  const task = cron.createTask(expression, () => undefined, { timezone: 'UTC' });
  try {
    const runs = task.getNextRuns(32).map((d) => d.getTime());
    const gaps = runs.slice(1).map((t, i) => t - (runs[i] ?? t));
    const shortest = gaps.length > 0 ? Math.min(...gaps) : MAX_DEFAULT_CYCLE_TIMEOUT_MS;
    return Math.min(MAX_DEFAULT_CYCLE_TIMEOUT_MS, Math.floor(shortest * 0.9));
  } finally {
    void task.destroy();
  }
}
