// The simulator's ground truth for Global Accelerator's routing of new flows: written apart from the
// planner's model (src/model/routing.ts) so the controller is not graded by its own assumptions.
//
// What the truth assumes (DESIGN.md section 1):
//  - a flow goes to the nearest endpoint group (by the metro's own RTT order) with a healthy endpoint;
//  - that group keeps `dial` of its flows; a flow it turns away goes to the next nearest healthy group
//    whose dial is above 0, and is not turned away a second time (AWS's two-Region worked example);
//  - when the nearest group has no healthy endpoint, its flows go to the nearest healthy group whatever
//    that group's dial (failover ignores dials);
//  - when every other healthy group has dial 0, turned-away flows stay (GA has nowhere to send them);
//  - when nothing is healthy, GA fails open to the nearest group.
// The planner's model (src/model/routing.ts) makes the same assumptions for one user; for a client
// group it spreads the spill over weighted receivers (a country's users sit behind several edges),
// where the truth sends each metro's spill to its one next Region.

import type { RegionCode } from '../../domain/traffic.js';

export interface RegionRoutingState {
  readonly dialPercent: number;
  readonly healthy: boolean;
}

/** Share of a metro's new flows per Region (sums to 1). `proximity`: the metro's Regions, nearest first. */
export function truthRoutingShares(proximity: readonly RegionCode[], state: Readonly<Record<RegionCode, RegionRoutingState>>): Record<RegionCode, number> {
  const healthy = proximity.filter((r) => state[r]?.healthy === true);
  const first = healthy[0];
  if (first === undefined) {
    const nearest = proximity[0];
    return nearest === undefined ? {} : { [nearest]: 1 };
  }
  // The nearest group is down: GA fails over to the nearest healthy group, whatever its dial.
  if (first !== proximity[0]) return { [first]: 1 };
  const keep = Math.min(1, Math.max(0, (state[first]?.dialPercent ?? 100) / 100));
  const receiver = healthy.slice(1).find((r) => (state[r]?.dialPercent ?? 0) > 0);
  if (keep >= 1 || receiver === undefined) return { [first]: 1 };
  return keep <= 0 ? { [receiver]: 1 } : { [first]: keep, [receiver]: 1 - keep };
}
