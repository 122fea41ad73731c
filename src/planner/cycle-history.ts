// The cycles the controller state remembers: what each one saw (live dials, health, the load readings
// it used, demand). The load fit and the demand trend read them; old ones drop out.

import type { RegionCode } from '../domain/traffic.js';
import type { CyclePoint } from './controller-state.js';
import type { GovernedGroup } from './governed-topology.js';

/** Cycles older than this are forgotten (the fit and the trend look back less far). */
export const HISTORY_SECONDS = 30 * 60;
export const HISTORY_MAX_CYCLES = 16;

export interface CycleSeen {
  readonly now: Date;
  readonly groups: readonly GovernedGroup[];
  readonly regionHealth: ReadonlyMap<RegionCode, boolean>;
  readonly readings: Readonly<Record<RegionCode, { value: number; at: string }>>;
  readonly demand: ReadonlyMap<string, number>;
  readonly demandAt: string | undefined;
}

export function appendCycle(history: readonly CyclePoint[], seen: CycleSeen): CyclePoint[] {
  const nowMs = seen.now.getTime();
  const kept = history.filter((p) => Date.parse(p.at) < nowMs && nowMs - Date.parse(p.at) <= HISTORY_SECONDS * 1000);
  const point: CyclePoint = {
    at: seen.now.toISOString(),
    dials: Object.fromEntries(seen.groups.map((g) => [g.address.endpointGroupArn, g.group.trafficDialPercent])),
    healthy: Object.fromEntries(seen.regionHealth),
    load: { ...seen.readings },
    ...(seen.demandAt !== undefined ? { demandAt: seen.demandAt } : {}),
    demand: Object.fromEntries([...seen.demand].map(([id, v]) => [id, Math.round(v * 1000) / 1000])),
  };
  return [...kept, point].slice(-HISTORY_MAX_CYCLES);
}
