// A client group's proximity order: the Regions nearest first, as GA would try them.
// Derived from measured RTT to each Region's unicast addresses (nearest = lowest RTT); Regions without a
// measurement follow, by great-circle distance when the group's location is known. When every dial is
// at 100 and the group was observed landing mostly (> 50 %) in one Region through the anycast address,
// that Region goes first: what GA was seen doing beats what RTT suggests.

import type { RegionCode } from '../domain/traffic.js';
import { greatCircleKm } from './geo-distance.js';
import { REGION_COORDINATES } from './region-coordinates.js';

export interface ProximityInput {
  readonly rttMs: ReadonlyMap<RegionCode, number>;
  readonly landing: Readonly<Record<RegionCode, number>> | undefined;
  readonly latitude: number | undefined;
  readonly longitude: number | undefined;
}

export function deriveProximity(regions: readonly RegionCode[], input: ProximityInput, allDialsFull: boolean): RegionCode[] {
  const measured = regions.filter((r) => input.rttMs.has(r));
  measured.sort((a, b) => (input.rttMs.get(a) ?? 0) - (input.rttMs.get(b) ?? 0) || a.localeCompare(b));
  const rest = regions.filter((r) => !input.rttMs.has(r));
  rest.sort((a, b) => distanceKm(input, a) - distanceKm(input, b) || a.localeCompare(b));
  const order = [...measured, ...rest];

  if (allDialsFull && input.landing !== undefined) {
    const [observed, share] = Object.entries(input.landing).reduce<[string | undefined, number]>(
      (best, [r, s]) => (s > best[1] ? [r, s] : best),
      [undefined, 0],
    );
    if (observed !== undefined && share > 0.5 && order.includes(observed) && order[0] !== observed) {
      return [observed, ...order.filter((r) => r !== observed)];
    }
  }
  return order;
}

function distanceKm(input: ProximityInput, region: RegionCode): number {
  const c = REGION_COORDINATES[region];
  if (c === undefined || input.latitude === undefined || input.longitude === undefined) return Number.POSITIVE_INFINITY;
  return greatCircleKm(input.latitude, input.longitude, c.latitude, c.longitude);
}
