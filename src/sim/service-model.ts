// The simulated service, from the world file, a scenario and its policy: the Regions with capacity,
// the client metros with their demand share and true RTT to each Region.

import type { Policy } from '../policy/schema.js';
import type { Scenario } from './scenario/scenario-schema.js';
import type { ServiceMetro, ServiceRegion } from './types.js';
import type { World } from './world/world-schema.js';
import { edgeProximity } from './edge-proximity.js';
import { GaSteerError } from '../app/errors.js';

export interface ServiceModel {
  readonly regions: readonly (ServiceRegion & {
    readonly targetPercent: number;
    readonly drainAbovePercent: number;
    /** The policy's `capacity.full`: the load metric reads this much at 100 % utilization. */
    readonly policyCapacity: number;
  })[];
  readonly metros: readonly ServiceMetro[];
}

export class ScenarioServiceError extends GaSteerError {
  override readonly name = 'ScenarioServiceError';
}

export function buildServiceModel(world: World, scenario: Scenario, policy: Policy): ServiceModel {
  const codes = Object.keys(policy.regions).sort();
  const unknown = codes.filter((c) => !world.regions.some((r) => r.code === c));
  if (unknown.length > 0) throw new ScenarioServiceError(`the world has no RTT data for ${unknown.join(', ')}`);
  const regions = codes.map((code) => {
    const rp = policy.regions[code];
    if (rp === undefined) throw new ScenarioServiceError(`no policy for ${code}`);
    const capacity = scenario.service.capacity?.[code] ?? rp.capacity.full;
    if (capacity === undefined) throw new ScenarioServiceError(`${code}: the policy reads its capacity from a signal; the scenario must give service.capacity.${code}`);
    return { code, capacity, policyCapacity: rp.capacity.full ?? capacity, targetPercent: rp.targetPercent, drainAbovePercent: rp.drainAbovePercent };
  });
  const { countries, maxRttMs } = scenario.service.clients;
  const chosen = world.metros.filter((m) => {
    const nearest = Math.min(...codes.map((c) => m.rttMs[c] ?? Infinity));
    return (countries?.includes(m.countryCode) ?? false) || (maxRttMs !== undefined && nearest <= maxRttMs);
  });
  const total = chosen.reduce((s, m) => s + m.demandWeight, 0);
  if (chosen.length === 0 || total <= 0) throw new ScenarioServiceError(`scenario ${scenario.name}: no client metro matches service.clients`);
  const proximityOf = edgeProximity(world, codes);
  const metros: ServiceMetro[] = chosen.map((m) => {
    const rttMs = Object.fromEntries(codes.map((c) => [c, m.rttMs[c] as number]));
    return {
      id: m.id,
      countryCode: m.countryCode,
      clientGroup: m.countryCode,
      demandShare: m.demandWeight / total,
      utcOffsetHours: m.utcOffsetHours,
      rttMs,
      proximity: proximityOf(m.latitude, m.longitude, rttMs),
    };
  });
  return { regions, metros };
}
