// What a cycle (or `restore`, or `apply --plan`) stores: the controller state it decided, the control
// record carried over (with the baselines of groups ga-steer changed for the first time, and the
// setting marked announced once a cycle has alerted it), and its decision added to the history.

import type { ControllerState } from '../planner/controller-state.js';
import type { Plan } from '../plan/types.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';
import type { StoredState } from '../ports/state-store.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import { emptyControlRecord } from './control-record.js';
import { appendDecision, decisionOf, type DecisionKind } from './decision-history.js';
import { recordBaselines } from './record-baselines.js';

export interface CycleRecord {
  readonly previous: StoredState;
  readonly controller: ControllerState;
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  /** The accelerator as read before the apply: where baselines come from. */
  readonly topology: AcceleratorTopology | undefined;
  readonly kind: DecisionKind;
  /** This cycle alerted the current setting. */
  readonly announced: boolean;
  readonly now: Date;
  readonly by?: string;
}

export function storedAfterCycle(r: CycleRecord): StoredState {
  let control = r.previous.control;
  if (r.report !== undefined && r.topology !== undefined) {
    const withBaselines = recordBaselines(control ?? emptyControlRecord(), r.topology, r.report.changes, r.now);
    if (withBaselines !== control && (control !== undefined || Object.keys(withBaselines.baselines).length > 0)) control = withBaselines;
  }
  if (r.announced && control?.setting !== undefined) control = { ...control, setting: { ...control.setting, announcedAt: r.now.toISOString() } };
  const decisions = appendDecision(r.previous.decisions, decisionOf(r.plan, r.report, r.kind, r.now, r.by), r.now);
  return { ...r.controller, ...(control !== undefined ? { control } : {}), decisions };
}
