// Replays recorded snapshots through a policy, in time order, carrying the controller state from one
// to the next as if ga-steer had applied its plans: what the policy would have done, and at what cost.

import { evaluate } from '../planner/evaluate.js';
import { emptyControllerState, type ControllerState } from '../planner/controller-state.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { Snapshot } from '../snapshot/schema.js';

export interface BacktestStep {
  readonly takenAt: string;
  readonly verdict: Plan['summary']['verdict'];
  readonly headline: string;
  readonly changes: readonly { readonly region: string; readonly what: string; readonly reason: string }[];
  readonly holds: readonly string[];
  readonly predictedMeanAddedLatencyMs: number;
}

export interface BacktestResult {
  readonly steps: readonly BacktestStep[];
  readonly totalChanges: number;
  readonly holdsByReason: Readonly<Record<string, number>>;
  /** Mean over the steps with changes of the plans' predicted added latency for moved users. */
  readonly meanPredictedAddedLatencyMs: number;
}

export function backtest(policy: Policy, snapshots: readonly Snapshot[]): BacktestResult {
  const ordered = [...snapshots].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt));
  let state: ControllerState = emptyControllerState();
  const steps: BacktestStep[] = [];
  const holdsByReason: Record<string, number> = {};
  for (const snapshot of ordered) {
    const { plan, state: next } = evaluate(policy, snapshot, state, new Date(snapshot.takenAt));
    state = next;
    for (const h of plan.holds) holdsByReason[h.reason] = (holdsByReason[h.reason] ?? 0) + 1;
    steps.push({
      takenAt: snapshot.takenAt,
      verdict: plan.summary.verdict,
      headline: plan.summary.headline,
      changes: plan.changes.map((c) => ({
        region: c.address.region,
        what: c.kind === 'dial' ? `dial ${c.before.trafficDialPercent} -> ${c.after.trafficDialPercent}` : 'weights',
        reason: c.reason,
      })),
      holds: plan.holds.map((h) => `${h.reason}: ${h.message}`),
      predictedMeanAddedLatencyMs: plan.summary.predictedMeanAddedLatencyMs,
    });
  }
  const withChanges = steps.filter((s) => s.changes.length > 0);
  return {
    steps,
    totalChanges: steps.reduce((n, s) => n + s.changes.length, 0),
    holdsByReason,
    meanPredictedAddedLatencyMs: withChanges.length > 0 ? withChanges.reduce((s, x) => s + x.predictedMeanAddedLatencyMs, 0) / withChanges.length : 0,
  };
}
