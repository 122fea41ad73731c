// Endpoint weights within a Region, by headroom: when endpoints of one group run at clearly different
// utilizations, shift new connections toward the ones with room. Proportional and damped: each weight
// moves at most by a factor of two per cycle. Endpoints that are unhealthy, at weight 0 (someone took
// them out) or without a load reading keep their weight; no endpoint is ever added or removed.

import { WEIGHT_MAX } from '../domain/traffic.js';
import type { EndpointWeightSetting } from '../plan/types.js';
import type { RegionPolicy } from '../policy/schema.js';
import type { EndpointGroupTopology } from '../snapshot/schema.js';
import { utilization as utilizationPercent } from './signal-view.js';

const MAX_FACTOR_PER_CYCLE = 2;

export interface WeightDecision {
  readonly before: readonly EndpointWeightSetting[];
  readonly after: readonly EndpointWeightSetting[];
  readonly endpointUtilizationPercent: Readonly<Record<string, number>>;
  readonly imbalancePercent: number;
}

export function chooseWeights(
  regionPolicy: RegionPolicy,
  regionCapacity: number,
  group: EndpointGroupTopology,
  endpointLoad: ReadonlyMap<string, number>,
  imbalanceThresholdPercent: number,
): WeightDecision | undefined {
  const eligible = group.endpoints.filter((e) => e.healthState === 'HEALTHY' && e.weight > 0 && endpointLoad.has(e.endpointId));
  if (eligible.length < 2) return undefined;
  const shares = regionPolicy.endpointCapacityShares ?? {};
  const shareSum = eligible.reduce((a, e) => a + (shares[e.endpointId] ?? 1), 0);
  const utilization = new Map<string, number>();
  let loadSum = 0;
  for (const e of eligible) {
    const capacity = (regionCapacity * (shares[e.endpointId] ?? 1)) / shareSum;
    const load = endpointLoad.get(e.endpointId) ?? 0;
    loadSum += load;
    utilization.set(e.endpointId, utilizationPercent(load, capacity));
  }
  const values = [...utilization.values()];
  const imbalance = Math.max(...values) - Math.min(...values);
  const busiest = Math.max(...values);
  if (imbalance <= imbalanceThresholdPercent || busiest < regionPolicy.restoreBelowPercent) return undefined;
  const meanUtilization = utilizationPercent(loadSum, regionCapacity);

  const raw = new Map<string, number>();
  for (const e of eligible) {
    const u = utilization.get(e.endpointId) ?? meanUtilization;
    const factor = u <= 0 ? MAX_FACTOR_PER_CYCLE : Math.min(MAX_FACTOR_PER_CYCLE, Math.max(1 / MAX_FACTOR_PER_CYCLE, meanUtilization / u));
    raw.set(e.endpointId, e.weight * factor);
  }
  // Keep the largest weight where it was, so numbers stay familiar to whoever reads the console.
  const scale = Math.max(...eligible.map((e) => e.weight)) / Math.max(...raw.values());
  const after = group.endpoints.map((e) => {
    const r = raw.get(e.endpointId);
    const weight = r === undefined ? e.weight : Math.min(WEIGHT_MAX, Math.max(1, Math.round(r * scale)));
    return { endpointId: e.endpointId, weight };
  });
  const before = group.endpoints.map((e) => ({ endpointId: e.endpointId, weight: e.weight }));
  if (after.every((a, i) => a.weight === before[i]?.weight)) return undefined;
  return {
    before,
    after,
    endpointUtilizationPercent: Object.fromEntries([...utilization].map(([k, v]) => [k, Math.round(v * 10) / 10])),
    imbalancePercent: Math.round(imbalance * 10) / 10,
  };
}
