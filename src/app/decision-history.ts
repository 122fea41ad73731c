// The decisions of the last cycles, kept in the stored state for `ga-steer status`: what each cycle
// decided (changes with before and after, holds with their reasons) and what became of it. Bounded by
// a retention (entries, age, and serialized size, so a DynamoDB item stays far below its 400 KB).

import * as z from 'zod';
import { describeAddress, describeChangeValues, describeHoldScope } from '../plan/describe.js';
import type { Plan } from '../plan/types.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });

/** How the decision was made: a cycle that applied, a paused or plan-only cycle, `restore`, `apply --plan`. */
export const DECISION_KINDS = ['apply', 'paused', 'restore', 'apply-plan'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

const decisionChangeSchema = z.strictObject({
  endpointGroupArn: z.string().min(1),
  where: z.string().max(300),
  kind: z.enum(['dial', 'weights']),
  values: z.string().max(600),
  reason: z.string().max(60),
  dryRun: z.boolean(),
  /** What the apply made of it; absent when nothing was applied. */
  status: z.string().max(40).optional(),
});

const decisionHoldSchema = z.strictObject({ scope: z.string().max(300), reason: z.string().max(60), message: z.string().max(400) });

export const decisionSchema = z.strictObject({
  at: isoTime,
  kind: z.enum(DECISION_KINDS),
  verdict: z.enum(['changes', 'no-changes', 'hold']),
  headline: z.string().max(500),
  changes: z.array(decisionChangeSchema).max(64),
  holds: z.array(decisionHoldSchema).max(64),
  applyOutcome: z.enum(['applied', 'partial', 'failed', 'nothing-to-do']).optional(),
  /** Who asked, for `restore` and `apply --plan`. */
  by: z.string().max(200).optional(),
});

export const decisionHistorySchema = z.array(decisionSchema).max(1000);

export type Decision = z.output<typeof decisionSchema>;

export interface Retention {
  readonly maxEntries: number;
  readonly maxAgeDays: number;
  /** Of the whole history as JSON. */
  readonly maxBytes: number;
}

export const DEFAULT_RETENTION: Retention = { maxEntries: 200, maxAgeDays: 14, maxBytes: 128 * 1024 };

/** The plan and its outcome as one history entry; long texts are cut so one entry stays small. */
export function decisionOf(plan: Plan, report: ApplyReport | undefined, kind: DecisionKind, at: Date, by?: string): Decision {
  const statusOf = (i: number): string | undefined => report?.changes.find((o) => o.change === plan.changes[i])?.status ?? report?.changes[i]?.status;
  return {
    at: at.toISOString(),
    kind,
    verdict: plan.summary.verdict,
    headline: cut(plan.summary.headline, 500),
    changes: plan.changes.slice(0, 64).map((c, i) => {
      const status = statusOf(i);
      return {
        endpointGroupArn: c.address.endpointGroupArn,
        where: cut(describeAddress(c.address), 300),
        kind: c.kind,
        values: cut(describeChangeValues(c), 600),
        reason: c.reason,
        dryRun: c.dryRun,
        ...(status !== undefined ? { status } : {}),
      };
    }),
    holds: plan.holds.slice(0, 64).map((h) => ({ scope: cut(describeHoldScope(h), 300), reason: h.reason, message: cut(h.message, 400) })),
    ...(report !== undefined ? { applyOutcome: report.outcome } : {}),
    ...(by !== undefined ? { by: cut(by, 200) } : {}),
  };
}

/** The history with `entry` added, then trimmed, oldest first, to the retention. */
export function appendDecision(history: readonly Decision[] | undefined, entry: Decision, now: Date, retention: Retention = DEFAULT_RETENTION): Decision[] {
  const oldest = now.getTime() - retention.maxAgeDays * 86_400_000;
  let kept = [...(history ?? []), entry].filter((d) => Date.parse(d.at) >= oldest).slice(-retention.maxEntries);
  while (kept.length > 1 && JSON.stringify(kept).length > retention.maxBytes) kept = kept.slice(Math.max(1, Math.floor(kept.length / 10)));
  return kept;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
