// Which Regions a generated service runs in: a cluster around one Region (its nearest neighbours over
// the AWS backbone, as a service near its users is built), plus up to two far Regions (a second
// continent). Picked from the simulated world's 32 Regions.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { World } from '../../src/sim/world/world-schema.js';
import type { Draw } from './draw.js';

/** A far Region is at least this far from the cluster's centre over the backbone. */
const FAR_RTT_MS = 100;

export interface RegionPick {
  readonly centre: RegionCode;
  /** Every Region of the service, the cluster first (nearest to the centre first), then the far ones. */
  readonly regions: readonly RegionCode[];
  readonly far: readonly RegionCode[];
}

export function pickRegions(world: World, draw: Draw): RegionPick {
  const codes = world.regions.map((r) => r.code);
  const centre = draw.pick(codes);
  const rtt = (a: RegionCode, b: RegionCode): number => (a === b ? 0 : (world.interRegionRttMs[a]?.[b] ?? Infinity));
  const total = draw.int(3, 6);
  const farCount = Math.min(total - 2, draw.weighted<number>([[0, 3], [1, 2], [2, 1]]));
  const clusterSize = total - farCount;
  // The cluster: the centre and neighbours drawn from its nearest few (so two worlds on one centre differ).
  const neighbours = codes.filter((c) => c !== centre).sort((a, b) => rtt(centre, a) - rtt(centre, b) || a.localeCompare(b));
  const cluster = [centre, ...draw.sample(neighbours.slice(0, clusterSize + 2), clusterSize - 1).sort((a, b) => rtt(centre, a) - rtt(centre, b))];
  const farCandidates = codes.filter((c) => !cluster.includes(c) && rtt(centre, c) >= FAR_RTT_MS);
  const far = draw.sample(farCandidates, farCount);
  return { centre, regions: [...cluster, ...far], far };
}
