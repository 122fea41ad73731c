// After the writes: polls the accelerator until it is DEPLOYED, the deploy timeout passes, or the
// cycle's deadline would pass during the next wait.

import { currentDeadline } from '../deadline/ambient-deadline.js';
import { fitsBeforeDeadline } from '../deadline/call-deadline.js';
import type { GaApi } from './ga-api.js';

export interface DeployWaitOptions {
  /** How long to wait for DEPLOYED after the writes (default 5 minutes). */
  readonly deployTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function waitForDeployed(api: GaApi, acceleratorArn: string, options: DeployWaitOptions): Promise<boolean> {
  const timeout = options.deployTimeoutMs ?? 300_000;
  const interval = options.pollIntervalMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  // As in the retries: waits count even when the sleep is simulated (the simulator passes no real time).
  let waited = 0;
  for (;;) {
    try {
      const a = await api.describeAccelerator(acceleratorArn);
      if (a.Status === 'DEPLOYED') return true;
    } catch {
      // A failed poll is not a failed apply: keep polling until the deadline.
    }
    if (Math.max(Date.now() - started, waited) + interval > timeout) return false;
    // Leave the rest of the cycle's time to persisting the state and reporting.
    if (currentDeadline()?.expired === true || !fitsBeforeDeadline(interval)) return false;
    await sleep(interval);
    waited += interval;
  }
}
