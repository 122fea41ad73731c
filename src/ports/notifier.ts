// Where alerts go (Slack, a log). A failed notification is reported and never fails the cycle.
//
// An alert is what one cycle has to say, already deduplicated against what earlier cycles posted
// (src/app/cycle-alerts.ts): the changes made or newly proposed, the holds and failures that are new or
// due a reminder, and those that cleared. A notifier renders it; it decides nothing.

import type { ApplyReport, ChangeApplyOutcome } from './accelerator-gateway.js';
import type { Hold, Plan, PlannedChange } from '../plan/types.js';

/** `control`: ga-steer was paused or resumed (sent once per setting, whatever the policy's list). */
export type AlertEvent = 'changes' | 'holds' | 'apply-failed' | 'human-override' | 'stale-data' | 'dry-run' | 'error' | 'control';

/** When a line repeats something posted before: since when it has lasted, and how many cycles saw it. */
export interface Reminder {
  readonly firstPostedAt: string;
  readonly seenCount: number;
}

export interface ChangeLine {
  readonly change: PlannedChange;
  /** applied: written in this cycle (see `outcome`); proposed: planned, not applied (a dry-run rule, or plan mode). */
  readonly status: 'applied' | 'proposed';
  readonly outcome?: ChangeApplyOutcome;
  readonly reminder?: Reminder;
}

export interface HoldLine {
  readonly hold: Hold;
  readonly reminder?: Reminder;
}

/** A cycle that failed, or an apply that did not complete: what failed, and what was left as it was. */
export interface FailureLine {
  /** What the cycle was doing: `reading the accelerator`, `applying`, `saving the state`, ... */
  readonly stage: string;
  /** Which group, which call, the error (secrets are hidden by the notifier before it sends). */
  readonly what: string;
  readonly error: string;
  readonly leftAsItWas: string;
  readonly reminder?: Reminder;
}

export interface ResolvedLine {
  readonly kind: 'hold' | 'failure' | 'proposal';
  readonly title: string;
  readonly firstPostedAt: string;
}

export interface Alert {
  readonly events: readonly AlertEvent[];
  readonly policyName: string;
  readonly acceleratorArn: string;
  /** apply: changes are written; plan: planned and reported only (the kill switch). */
  readonly mode: 'apply' | 'plan';
  /** When the cycle ran (ISO-8601). */
  readonly at: string;
  /** The plan of a cycle that completed; absent when it failed before deciding. */
  readonly plan?: Plan;
  readonly report?: ApplyReport;
  readonly changes: readonly ChangeLine[];
  readonly holds: readonly HoldLine[];
  readonly failures: readonly FailureLine[];
  readonly resolved: readonly ResolvedLine[];
  /** Listener ARN -> `TCP 443`, from the topology read this cycle. */
  readonly listeners?: Readonly<Record<string, string>>;
  /** A pause or resume this alert announces (`paused by alice at ...: reason`). */
  readonly control?: string;
  /** Facts about the cycle beyond the plan and report (a lost lease): shown as they are. */
  readonly notes?: readonly string[];
}

export interface Notifier {
  notify(alert: Alert): Promise<void>;
}
