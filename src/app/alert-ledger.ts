// Deduplication of alerts against what was already posted (the alert memory in the stored state): a
// condition posts when it is new, again when a reminder is due, and "resolved" once it is gone. Pure:
// the memory and the time come in, the memory to keep goes out.
//
// A hold or a proposal is gone when a cycle completed without it; a failure only when a cycle
// succeeded (a failed cycle says nothing about the holds it could not see, nor whether an earlier
// failure cleared). Proposals (changes planned but not applied) are dropped silently when gone:
// the next plan says what replaced them.

import { MAX_OPEN_ALERTS, type AlertMemory, type OpenAlert, type OpenAlertKind } from './alert-memory.js';

export interface AlertCondition {
  /** Stable across cycles while the condition lasts: kind, scope, reason; a failure's stage and fingerprint. */
  readonly key: string;
  readonly kind: OpenAlertKind;
  /** Short and secret-free: scope and reason, stage and error name. */
  readonly title: string;
}

export type CycleCompletion =
  /** The cycle planned and finished without a failure: every open condition not seen now is resolved. */
  | 'succeeded'
  /** The cycle planned, but a failure (apply, lease) stopped it: holds and proposals not seen are gone, failures stay open. */
  | 'planned-with-failure'
  /** The cycle failed before it planned: nothing is resolved. */
  | 'failed';

export interface PostedCondition {
  readonly condition: AlertCondition;
  /** Set when the condition was posted before: this post is a reminder. */
  readonly reminderOf?: OpenAlert;
}

export interface ResolvedCondition {
  readonly key: string;
  readonly entry: OpenAlert;
}

export interface LedgerOutcome {
  /** New conditions and those due a reminder, in the order given. */
  readonly post: readonly PostedCondition[];
  readonly resolved: readonly ResolvedCondition[];
  /** The memory as it will be once this post is delivered. */
  readonly memory: AlertMemory;
}

export function reconcileAlerts(memory: AlertMemory, conditions: readonly AlertCondition[], completion: CycleCompletion, now: Date, remindEveryMs: number): LedgerOutcome {
  const at = now.toISOString();
  const open: Record<string, OpenAlert> = {};
  const post: PostedCondition[] = [];
  const seen = new Set<string>();
  for (const condition of conditions) {
    if (seen.has(condition.key)) continue;
    seen.add(condition.key);
    const before = memory.open[condition.key];
    if (before === undefined) {
      post.push({ condition });
      open[condition.key] = { kind: condition.kind, title: condition.title, firstPostedAt: at, lastPostedAt: at, seenCount: 1 };
      continue;
    }
    const due = now.getTime() - Date.parse(before.lastPostedAt) >= remindEveryMs;
    const entry: OpenAlert = { ...before, seenCount: before.seenCount + 1, ...(due ? { lastPostedAt: at } : {}) };
    if (due) post.push({ condition, reminderOf: before });
    open[condition.key] = entry;
  }
  const resolved: ResolvedCondition[] = [];
  for (const [key, entry] of Object.entries(memory.open)) {
    if (seen.has(key)) continue;
    if (isGone(entry, completion)) {
      if (entry.kind !== 'proposal') resolved.push({ key, entry });
    } else {
      open[key] = entry;
    }
  }
  return { post, resolved, memory: { version: memory.version, open: bounded(open) } };
}

function isGone(entry: OpenAlert, completion: CycleCompletion): boolean {
  if (completion === 'failed') return false;
  if (entry.kind === 'failure') return completion === 'succeeded';
  return true;
}

/** The newest MAX_OPEN_ALERTS, so a storm of distinct conditions cannot grow the stored state without end. */
function bounded(open: Record<string, OpenAlert>): Record<string, OpenAlert> {
  const entries = Object.entries(open);
  if (entries.length <= MAX_OPEN_ALERTS) return open;
  entries.sort(([, a], [, b]) => Date.parse(b.firstPostedAt) - Date.parse(a.firstPostedAt));
  return Object.fromEntries(entries.slice(0, MAX_OPEN_ALERTS));
}
