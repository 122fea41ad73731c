// The one JSON line `ga-steer run` prints per control cycle: enough for a log search or an alert rule,
// never the plan itself and never a secret.

import type { CycleMode, CycleResult } from '../../app/control-cycle.js';
import type { RanOutCall } from '../../ports/ran-out-call.js';

/** How a cycle ended. Anything but `ok` counts as a failure for the health file. */
export type CycleOutcome =
  /** The cycle ran; if it applied, every change landed (or there was nothing to apply). */
  | 'ok'
  /** The apply stopped early: some changes were stale, failed or not attempted. */
  | 'apply-incomplete'
  /** The lease was lost mid-cycle (expired or taken over): it stopped writing and did not save the state. */
  | 'lease-lost'
  /** The policy file could not be read or is invalid: the cycle held and did nothing. */
  | 'policy-invalid'
  /** The cycle's deadline passed: it stopped at the call `ranOut` names, saving what it had applied. */
  | 'timed-out'
  /** The cycle threw (an AWS call failed for good, the state file is corrupt, ...). */
  | 'error';

export interface CycleLogLine {
  readonly event: 'cycle';
  /** When the cycle started (ISO-8601). */
  readonly time: string;
  /** The policy's name; `null` when the file could not be used this cycle. */
  readonly policy: string | null;
  readonly policyFile: string;
  readonly mode: CycleMode;
  readonly outcome: CycleOutcome;
  readonly verdict: 'changes' | 'no-changes' | 'hold' | null;
  readonly headline: string | null;
  readonly changes: number;
  /** Hold reason -> how many scopes held for it. */
  readonly holds: Readonly<Record<string, number>>;
  readonly applyOutcome: string | null;
  /** The accelerator's lease: kept, held-elsewhere (this cycle held), lost, not-taken (plan only). */
  readonly lease: CycleResult['lease']['status'] | null;
  readonly problems: number;
  readonly durationMs: number;
  /** Every policy issue, `file:line:col path: message`, when the outcome is `policy-invalid`. */
  readonly issues?: readonly string[];
  readonly error?: string;
  /** The call the cycle's deadline cut off: service, operation, Region or host, elapsed. */
  readonly ranOut?: RanOutCall;
}

export interface CycleStart {
  readonly startedAt: Date;
  readonly policyFile: string;
  readonly mode: CycleMode;
}

export function cycleOutcomeOf(result: CycleResult): CycleOutcome {
  // A lost lease is the graver news: nothing the cycle did is recorded in the state.
  if (result.lease.status === 'lost') return 'lease-lost';
  if (result.ranOut !== undefined) return 'timed-out';
  const outcome = result.report?.outcome;
  return outcome === 'partial' || outcome === 'failed' ? 'apply-incomplete' : 'ok';
}

export function completedCycleLine(start: CycleStart, policyName: string, result: CycleResult, finishedAt: Date): CycleLogLine {
  const holds: Record<string, number> = {};
  for (const h of result.plan.holds) holds[h.reason] = (holds[h.reason] ?? 0) + 1;
  return {
    ...common(start, finishedAt),
    policy: policyName,
    outcome: cycleOutcomeOf(result),
    verdict: result.plan.summary.verdict,
    headline: result.plan.summary.headline,
    changes: result.plan.changes.length,
    holds,
    applyOutcome: result.report?.outcome ?? null,
    lease: result.lease.status,
    problems: result.problems.length,
    ...(result.ranOut !== undefined ? { ranOut: result.ranOut } : {}),
  };
}

/** The policy could not be used: the cycle holds everything, as the planner does for `enabled: false`. */
export function policyInvalidLine(start: CycleStart, issues: readonly string[], finishedAt: Date): CycleLogLine {
  return {
    ...common(start, finishedAt),
    policy: null,
    outcome: 'policy-invalid',
    verdict: 'hold',
    headline: `Holding: ${start.policyFile} is not a valid policy (${issues.length} issue(s))`,
    changes: 0,
    holds: { PolicyInvalid: 1 },
    applyOutcome: null,
    lease: null,
    problems: 0,
    issues,
  };
}

/** The cycle threw; `deadline` when its deadline stopped it (with the call it cut off, if one was). */
export function failedCycleLine(start: CycleStart, policyName: string | null, error: string, finishedAt: Date, deadline?: { ranOut: RanOutCall | undefined }): CycleLogLine {
  return {
    ...common(start, finishedAt),
    policy: policyName,
    outcome: deadline !== undefined ? 'timed-out' : 'error',
    verdict: null,
    headline: null,
    changes: 0,
    holds: {},
    applyOutcome: null,
    lease: null,
    problems: 0,
    error,
    ...(deadline?.ranOut !== undefined ? { ranOut: deadline.ranOut } : {}),
  };
}

function common(start: CycleStart, finishedAt: Date) {
  return {
    event: 'cycle' as const,
    time: start.startedAt.toISOString(),
    policyFile: start.policyFile,
    mode: start.mode,
    durationMs: Math.max(0, finishedAt.getTime() - start.startedAt.getTime()),
  };
}
