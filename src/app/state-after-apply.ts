// The state to keep after an apply. `evaluate` returns the state for a fully applied plan; for each
// change that did not land, ga-steer expects the old value and keeps that change kind's old clock: a
// dial change that failed keeps the dial's last change time and direction, a weights change that
// failed keeps the weights' last change time, and a change of the other kind that landed on the same
// group keeps its new clock. If a failed write did land after all, the next cycle sees a value it did
// not expect and backs off as for a human's change: the safe side.

import type { ControllerState, GroupState } from '../planner/controller-state.js';
import type { PlannedChange } from '../plan/types.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';

export function stateAfterApply(previous: ControllerState, planned: ControllerState, report: ApplyReport): ControllerState {
  const groups = { ...planned.groups };
  for (const outcome of report.changes) {
    if (outcome.status === 'applied' || outcome.status === 'already-applied' || outcome.status === 'dry-run') continue;
    const arn = outcome.change.address.endpointGroupArn;
    groups[arn] = withoutChange(groups[arn] ?? {}, previous.groups[arn] ?? {}, outcome.change);
  }
  return { ...planned, groups };
}

/** `planned` with one change kind taken back to what `before` (the state before the cycle) held. */
function withoutChange(planned: GroupState, before: GroupState, change: PlannedChange): GroupState {
  if (change.kind === 'dial') {
    const { lastChangeAt: _at, lastDirection: _direction, ...rest } = planned;
    return {
      ...rest,
      ...(before.lastChangeAt !== undefined ? { lastChangeAt: before.lastChangeAt } : {}),
      ...(before.lastDirection !== undefined ? { lastDirection: before.lastDirection } : {}),
      expectedDialPercent: change.before.trafficDialPercent,
    };
  }
  const { weightsChangedAt: _at, ...rest } = planned;
  return {
    ...rest,
    ...(before.weightsChangedAt !== undefined ? { weightsChangedAt: before.weightsChangedAt } : {}),
    expectedWeights: Object.fromEntries(change.before.endpoints.map((e) => [e.endpointId, e.weight])),
  };
}
