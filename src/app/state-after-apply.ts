// The state to keep after an apply. `evaluate` returns the state for a fully applied plan; for changes
// that were not applied, ga-steer expects the old value and keeps the old change time. If a failed
// write did land after all, the next cycle sees a value it did not expect and backs off as for a
// human's change: the safe side.

import type { ControllerState } from '../planner/controller-state.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';

export function stateAfterApply(previous: ControllerState, planned: ControllerState, report: ApplyReport): ControllerState {
  const groups = { ...planned.groups };
  for (const outcome of report.changes) {
    if (outcome.status === 'applied' || outcome.status === 'already-applied' || outcome.status === 'dry-run') continue;
    const c = outcome.change;
    const arn = c.address.endpointGroupArn;
    const before = previous.groups[arn] ?? {};
    const current = groups[arn] ?? {};
    groups[arn] = {
      ...current,
      lastChangeAt: before.lastChangeAt,
      lastDirection: before.lastDirection,
      ...(c.kind === 'dial'
        ? { expectedDialPercent: c.before.trafficDialPercent }
        : { expectedWeights: Object.fromEntries(c.before.endpoints.map((e) => [e.endpointId, e.weight])) }),
    };
  }
  return { ...planned, groups };
}
