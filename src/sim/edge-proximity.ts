// Where GA sends a metro's users, in the simulator's ground truth: users enter at the nearest edge
// location, and the edge reaches the Regions over the AWS backbone, nearest first by the measured
// inter-Region RTT from the Region closest to that edge. The planner never sees this: it ranks Regions
// by the probes' measured RTT, so the controller is graded on a routing it has to learn.

import { greatCircleKm } from '../model/geo-distance.js';
import type { RegionCode } from '../domain/traffic.js';
import type { World } from './world/world-schema.js';

export type ProximityFn = (latitude: number, longitude: number, tieBreakRttMs: Readonly<Record<RegionCode, number>>) => RegionCode[];

export function edgeProximity(world: World, serviceRegions: readonly RegionCode[]): ProximityFn {
  const nearestOf = <T extends { latitude: number; longitude: number }>(items: readonly T[], lat: number, lon: number): T | undefined => {
    let best: T | undefined;
    let bestKm = Infinity;
    for (const item of items) {
      const km = greatCircleKm(lat, lon, item.latitude, item.longitude);
      if (km < bestKm) [best, bestKm] = [item, km];
    }
    return best;
  };
  return (lat, lon, tieBreak) => {
    const edge = nearestOf(world.edgeLocations, lat, lon) ?? { latitude: lat, longitude: lon };
    const hub = nearestOf(world.regions, edge.latitude, edge.longitude)?.code;
    const backbone = (r: RegionCode): number => (r === hub ? 0 : (hub !== undefined ? world.interRegionRttMs[hub]?.[r] : undefined) ?? Infinity);
    return [...serviceRegions].sort((a, b) => backbone(a) - backbone(b) || (tieBreak[a] ?? 0) - (tieBreak[b] ?? 0) || a.localeCompare(b));
  };
}
