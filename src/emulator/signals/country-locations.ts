// Where a country's emulated probes stand when the snapshot gives its client group no location: the
// country's metro with the most users in the simulated world.

import type { World } from '../../sim/world/world-schema.js';
import type { Location } from '../ripe-atlas/probe-fleet.js';

export function countryLocator(world: World): (countryCode: string) => Location | undefined {
  const best = new Map<string, { location: Location; weight: number }>();
  for (const m of world.metros) {
    const seen = best.get(m.countryCode);
    if (seen === undefined || m.demandWeight > seen.weight) best.set(m.countryCode, { location: { latitude: m.latitude, longitude: m.longitude }, weight: m.demandWeight });
  }
  return (countryCode) => best.get(countryCode.toUpperCase())?.location;
}
