// A model of where Global Accelerator sends a client group's new connections, for given dials and
// health. Assumptions (DESIGN.md section 1, and the README's "Routing model"):
//  1. A group enters at its nearest edge and is sent to the nearest endpoint group (by proximity order)
//     that has a healthy endpoint with weight > 0.
//  2. If its nearest group is unhealthy, GA fails over to the nearest healthy group, ignoring dials.
//  3. Otherwise the nearest healthy group keeps `dial` of the traffic. The rest ("spill") goes to the
//     next healthy group in proximity order whose dial is above 0, and is not turned away a second
//     time: a dial applies to the traffic already headed to its group ("the percentage is applied only
//     to traffic that is already directed to the endpoint group", AWS's traffic-dial page). With two
//     Regions this reproduces AWS's worked example (both dials at 50: 25 served nearby, 25 by the
//     other Region); with the RIPE Atlas experiment it sends Frankfurt's spill to us-east-1, the next
//     group over the backbone. A receiver is passed over only when its dial is 0.
//  4. Spill that no other group accepts (every other dial at 0) stays with the nearest group.
//  5. Nothing healthy: GA fails open to the nearest group.
//
// One implementation, on typed arrays (the planner evaluates thousands of dial settings per decision);
// `predictLanding` is the readable entry point over Region codes.

import type { RegionCode } from '../domain/traffic.js';

export interface RoutingGroupState {
  readonly dialPercent: number;
  /** Has at least one healthy endpoint with weight > 0. */
  readonly healthy: boolean;
}

export type LandingShares = Record<RegionCode, number>;

/**
 * Writes into `out` (indexed by Region, zeroed by the caller) the shares, summing to 1, of a client
 * group's new connections. `order` lists the indices of the Regions present on the listener, nearest
 * first; `dialFraction[i]` is Region i's dial in [0, 1] and `healthy[i]` its health.
 */
export function landInto(order: ArrayLike<number>, dialFraction: ArrayLike<number>, healthy: ArrayLike<number>, out: Float64Array): void {
  const n = order.length;
  if (n === 0) return;
  const nearest = order[0] as number;
  if (healthy[nearest] === 1 && (dialFraction[nearest] as number) >= 1) {
    out[nearest] = 1;
    return;
  }
  let first = -1;
  let firstPos = -1;
  let healthyCount = 0;
  for (let k = 0; k < n; k += 1) {
    if (healthy[order[k] as number] === 1) {
      if (first < 0) {
        first = order[k] as number;
        firstPos = k;
      }
      healthyCount += 1;
    }
  }
  if (first < 0) {
    out[nearest] = 1;
    return;
  }
  if (firstPos !== 0 || healthyCount === 1) {
    out[first] = 1;
    return;
  }
  const keepFirst = clamp01(dialFraction[first] as number);
  for (let k = firstPos + 1; k < n; k += 1) {
    const r = order[k] as number;
    if (healthy[r] !== 1 || (dialFraction[r] as number) <= 0) continue;
    out[first] = keepFirst;
    out[r] = 1 - keepFirst;
    return;
  }
  out[first] = 1;
}

/**
 * Shares (summing to 1) of a client group's new connections per Region. `proximity` lists the Regions
 * nearest first; Regions missing from `groups` are ignored.
 */
export function predictLanding(proximity: readonly RegionCode[], groups: ReadonlyMap<RegionCode, RoutingGroupState>): LandingShares {
  const present = proximity.filter((r) => groups.has(r));
  const dial = present.map((r) => (groups.get(r)?.dialPercent ?? 0) / 100);
  const healthy = present.map((r) => (groups.get(r)?.healthy === true ? 1 : 0));
  const out = new Float64Array(present.length);
  landInto(
    present.map((_, i) => i),
    dial,
    healthy,
    out,
  );
  const shares: LandingShares = {};
  present.forEach((r, i) => {
    if ((out[i] as number) > 0) shares[r] = out[i] as number;
  });
  return shares;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
