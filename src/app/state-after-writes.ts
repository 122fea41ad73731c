// The controller state after writes made outside a planned cycle (`restore`, `apply --plan`): for
// every change that landed, ga-steer now expects its `after` values and counts it as its own change
// (the cooldown starts), so the next cycle neither mistakes it for a human's edit nor fights it at once.

import type { ControllerState, GroupState } from '../planner/controller-state.js';
import type { ApplyReport } from '../ports/accelerator-gateway.js';

export function stateAfterWrites(state: ControllerState, report: ApplyReport, now: Date): ControllerState {
  const groups: Record<string, GroupState> = { ...state.groups };
  for (const o of report.changes) {
    if (o.status !== 'applied' && o.status !== 'already-applied') continue;
    const c = o.change;
    const arn = c.address.endpointGroupArn;
    // Written on purpose: any back-off from an earlier human edit ends here.
    const { humanOverrideSeenAt: _seen, humanOverrideDialPercent: _dial, humanOverrideWeights: _weights, ...kept } = groups[arn] ?? {};
    groups[arn] =
      c.kind === 'dial'
        ? { ...kept, expectedDialPercent: c.after.trafficDialPercent, lastChangeAt: now.toISOString(), lastDirection: c.after.trafficDialPercent < c.before.trafficDialPercent ? 'down' : 'up' }
        : { ...kept, expectedWeights: Object.fromEntries(c.after.endpoints.map((e) => [e.endpointId, e.weight])), weightsChangedAt: now.toISOString() };
  }
  return { ...state, groups };
}
