// A model of where Global Accelerator sends a client group's new connections, for given dials and
// health. Assumptions (DESIGN.md section 1, and the README's "Routing model"):
//  1. A group enters at its nearest edge and is sent to the nearest endpoint group (by proximity order)
//     that has a healthy endpoint with weight > 0.
//  2. If its nearest group is unhealthy, GA fails over to the nearest healthy group, ignoring dials.
//  3. Otherwise the nearest healthy group keeps `dial` of the traffic. The rest ("spill") passes down the
//     remaining healthy groups in proximity order; each keeps its own dial's share of what reaches it.
//     What passes the last group goes round again, which is the same as sharing it among the receivers
//     in proportion to what they kept. With two Regions this reproduces AWS's worked example (both dials
//     at 50: 25 served nearby, 25 by the other Region); with the RIPE Atlas experiment it sends
//     Frankfurt's spill to us-east-1, the next group over the backbone.
//  4. Spill that no other group accepts (every other dial at 0) stays with the nearest group.
//  5. Nothing healthy: GA fails open to the nearest group.

import type { RegionCode } from '../domain/traffic.js';

export interface RoutingGroupState {
  readonly dialPercent: number;
  /** Has at least one healthy endpoint with weight > 0. */
  readonly healthy: boolean;
}

export type LandingShares = Record<RegionCode, number>;

/**
 * Shares (summing to 1) of a client group's new connections per Region. `proximity` lists the Regions
 * nearest first; Regions missing from `groups` are ignored.
 */
export function predictLanding(
  proximity: readonly RegionCode[],
  groups: ReadonlyMap<RegionCode, RoutingGroupState>,
): LandingShares {
  // Fast path, the common case: the nearest governed group is healthy with its dial at 100.
  for (const r of proximity) {
    const g = groups.get(r);
    if (g === undefined) continue;
    if (g.healthy && g.dialPercent >= 100) return { [r]: 1 };
    break;
  }
  const present = proximity.filter((r) => groups.has(r));
  const nearest = present[0];
  if (nearest === undefined) return {};
  const healthy = present.filter((r) => groups.get(r)?.healthy === true);
  const first = healthy[0];
  if (first === undefined) return { [nearest]: 1 };
  if (first !== nearest || healthy.length === 1) return { [first]: 1 };

  const shares: LandingShares = {};
  const firstDial = dialFraction(groups.get(first));
  shares[first] = firstDial;
  const spill = 1 - firstDial;
  if (spill <= 0) return shares;

  let remaining = spill;
  let kept = 0;
  const receivers = healthy.slice(1);
  for (const r of receivers) {
    const keep = remaining * dialFraction(groups.get(r));
    if (keep > 0) shares[r] = keep;
    kept += keep;
    remaining -= keep;
  }
  if (kept <= 0) {
    shares[first] = 1;
    return shares;
  }
  // The leftover goes round again: proportional to what each receiver kept.
  for (const r of receivers) {
    const s = shares[r];
    if (s !== undefined) shares[r] = s + (remaining * s) / kept;
  }
  return shares;
}

function dialFraction(state: RoutingGroupState | undefined): number {
  if (state === undefined) return 0;
  return Math.min(1, Math.max(0, state.dialPercent / 100));
}
