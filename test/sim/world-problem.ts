// Builds an AssignmentProblem over the committed world for the bounds' tests: every metro, every
// Region, demand from the world's weights scaled to a total, capacity per Region as given.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { World } from '../../src/sim/world/world-schema.js';
import type { AssignmentProblem, ServiceMetro } from '../../src/sim/types.js';

export function serviceMetros(world: World): ServiceMetro[] {
  const codes = world.regions.map((r) => r.code);
  return world.metros.map((m) => ({
    id: m.id,
    countryCode: m.countryCode,
    clientGroup: m.countryCode,
    demandShare: m.demandWeight,
    utcOffsetHours: m.utcOffsetHours,
    rttMs: m.rttMs,
    proximity: [...codes].sort((a, b) => (m.rttMs[a] ?? Infinity) - (m.rttMs[b] ?? Infinity) || a.localeCompare(b)),
  }));
}

export function worldProblem(
  world: World,
  options: { totalDemand: number; capacity: (code: RegionCode) => number; capacityFraction?: number; unhealthy?: readonly RegionCode[] },
): AssignmentProblem {
  const metros = serviceMetros(world);
  return {
    regions: world.regions.map((r) => ({ code: r.code, capacity: options.capacity(r.code) })),
    metros,
    demand: metros.map((m) => m.demandShare * options.totalDemand),
    capacityFraction: options.capacityFraction ?? 1,
    unhealthy: new Set(options.unhealthy ?? []),
  };
}
