// Which alert events a cycle raised; the policy chooses which of them go to Slack.

import type { Plan } from '../plan/types.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';
import type { AlertEvent } from '../ports/notifier.js';

/** `leaseLost`: the cycle lost its lease, so what it did is not recorded: reported as a failed apply. */
export function alertEventsOf(plan: Plan, report: ApplyReport | undefined, leaseLost = false): AlertEvent[] {
  const events = new Set<AlertEvent>();
  if (plan.changes.some((c) => !c.dryRun) && (report === undefined || report.outcome === 'applied' || report.outcome === 'partial')) events.add('changes');
  if (plan.changes.some((c) => c.dryRun)) events.add('dry-run');
  if (plan.holds.length > 0) events.add('holds');
  if (plan.holds.some((h) => h.reason === 'HumanOverride')) events.add('human-override');
  if (plan.holds.some((h) => h.reason === 'StaleData' || h.reason === 'NoData')) events.add('stale-data');
  if (leaseLost || (report !== undefined && (report.outcome === 'failed' || report.outcome === 'partial'))) events.add('apply-failed');
  return [...events];
}
