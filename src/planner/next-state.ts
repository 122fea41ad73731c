// The state to keep if the plan's non-dry-run changes land: per endpoint group what ga-steer set and
// when (dial and weights apart: a weight shift does not restart the dial's cooldown), per Region its
// health history and learnt load correction, and the demand history for the trend.

import type { RegionCode } from '../domain/traffic.js';
import type { PlannedChange } from '../plan/types.js';
import { CONTROLLER_STATE_VERSION, type ControllerState, type CyclePoint, type GroupState, type RegionState } from './controller-state.js';
import type { GovernedGroup } from './governed-topology.js';
import type { LoadBasis } from './load-basis.js';

export interface NextStateInput {
  readonly groupStates: Readonly<Record<string, GroupState>>;
  readonly groups: readonly GovernedGroup[];
  readonly changes: readonly PlannedChange[];
  readonly regionStates: Readonly<Record<RegionCode, RegionState>>;
  readonly basis: LoadBasis | undefined;
  readonly history: readonly CyclePoint[];
  readonly now: Date;
}

export function nextState(input: NextStateInput): ControllerState {
  const { now } = input;
  const groups: Record<string, GroupState> = { ...input.groupStates };
  for (const g of input.groups) {
    const arn = g.address.endpointGroupArn;
    const s = groups[arn] ?? {};
    if (s.humanOverrideSeenAt !== undefined) continue; // keep expecting our value until the back-off ends
    const applied = input.changes.filter((c) => c.address.endpointGroupArn === arn && !c.dryRun);
    const dial = applied.find((c) => c.kind === 'dial');
    const weights = applied.find((c) => c.kind === 'weights');
    groups[arn] = {
      ...s,
      expectedDialPercent: dial?.kind === 'dial' ? dial.after.trafficDialPercent : g.group.trafficDialPercent,
      expectedWeights: Object.fromEntries((weights?.kind === 'weights' ? weights.after.endpoints : g.group.endpoints).map((e) => [e.endpointId, e.weight])),
      ...(dial?.kind === 'dial' ? { lastChangeAt: now.toISOString(), lastDirection: dial.reason === 'DialReduced' ? ('down' as const) : ('up' as const) } : {}),
      ...(weights !== undefined ? { weightsChangedAt: now.toISOString() } : {}),
    };
  }
  const regions: Record<RegionCode, RegionState> = { ...input.regionStates };
  for (const b of input.basis?.regions.values() ?? []) {
    const r = regions[b.region];
    if (r === undefined || b.source === 'model') continue;
    regions[b.region] = { ...r, demandScale: round4(b.demandScale), ...(b.residualShare !== undefined ? { residualShare: round4(b.residualShare) } : {}) };
  }
  return {
    stateVersion: CONTROLLER_STATE_VERSION,
    groups,
    regions,
    ...(input.basis !== undefined ? { flowLifetimeSeconds: input.basis.flowLifetimeSeconds, spillMix: input.basis.spillMix } : {}),
    history: [...input.history],
  };
}

function round4(x: number): number {
  // `+ 0` turns -0 into 0: the state is JSON, which has no -0.
  return Math.round(x * 10_000) / 10_000 + 0;
}
