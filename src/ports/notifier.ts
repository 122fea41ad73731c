// Where alerts go (Slack, a log). A failed notification is reported and never fails the cycle.

import type { ApplyReport } from './accelerator-gateway.js';
import type { Plan } from '../plan/types.js';

/** `control`: ga-steer was paused or resumed (sent once per setting, whatever the policy's list). */
export type AlertEvent = 'changes' | 'holds' | 'apply-failed' | 'human-override' | 'stale-data' | 'dry-run' | 'control';

export interface Alert {
  readonly events: readonly AlertEvent[];
  readonly plan: Plan;
  readonly report?: ApplyReport;
  /** Facts about the cycle beyond the plan and report (a lost lease): shown as they are. */
  readonly notes?: readonly string[];
}

export interface Notifier {
  notify(alert: Alert): Promise<void>;
}
