// The baseline `ga-steer restore` returns to: a group's dial and every endpoint's weight from just
// before ga-steer first changed it. Recorded once per group, from the topology read before the
// change; later changes never overwrite it, so the first values are never lost.

import type { ChangeApplyOutcome } from '../ports/accelerator-gateway.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import type { ControlRecord, GroupBaseline } from './control-record.js';

/** Statuses after which the group holds a value ga-steer wrote (already-applied: written by an earlier try). */
const LANDED = new Set<ChangeApplyOutcome['status']>(['applied', 'already-applied']);

export function recordBaselines(control: ControlRecord, topology: AcceleratorTopology, outcomes: readonly ChangeApplyOutcome[], now: Date): ControlRecord {
  const baselines: Record<string, GroupBaseline> = { ...control.baselines };
  let added = false;
  for (const outcome of outcomes) {
    const arn = outcome.change.address.endpointGroupArn;
    if (!LANDED.has(outcome.status) || baselines[arn] !== undefined) continue;
    const found = findGroup(topology, arn);
    if (found === undefined) continue;
    baselines[arn] = {
      region: found.group.region,
      listenerArn: found.listenerArn,
      recordedAt: now.toISOString(),
      trafficDialPercent: found.group.trafficDialPercent,
      endpoints: found.group.endpoints.map((e) => ({ endpointId: e.endpointId, weight: e.weight })),
    };
    added = true;
  }
  return added ? { ...control, baselines } : control;
}

export function findGroup(topology: AcceleratorTopology, arn: string): { readonly listenerArn: string; readonly group: AcceleratorTopology['listeners'][number]['endpointGroups'][number] } | undefined {
  for (const l of topology.listeners) {
    const group = l.endpointGroups.find((g) => g.arn === arn);
    if (group !== undefined) return { listenerArn: l.arn, group };
  }
  return undefined;
}
