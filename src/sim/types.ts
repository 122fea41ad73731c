// The simulated service: which metros use it, how much they demand, where its Regions are and what
// they can carry. Built from the world file and a scenario; shared by the ground truth, the bounds,
// the baselines and the report.

import type { RegionCode } from '../domain/traffic.js';

export interface ServiceRegion {
  readonly code: RegionCode;
  /** Active flows at 100 % utilization (the policy's `capacity.full` in the same units). */
  readonly capacity: number;
}

export interface ServiceMetro {
  readonly id: string;
  readonly countryCode: string;
  /** The controller's client group this metro's users belong to (the country, as RIPE Atlas groups). */
  readonly clientGroup: string;
  /** Share of the service's users in this metro; sums to 1 over the service's metros. */
  readonly demandShare: number;
  readonly utcOffsetHours: number;
  /** True RTT (ms) from the metro to each of the service's Regions. */
  readonly rttMs: Readonly<Record<RegionCode, number>>;
  /** The service's Regions in the order GA reaches them from this metro (nearest edge, then the AWS backbone). */
  readonly proximity: readonly RegionCode[];
}

/** One instant's steady-state problem: demand (active flows) per metro and each Region's capacity. */
export interface AssignmentProblem {
  readonly regions: readonly ServiceRegion[];
  readonly metros: readonly ServiceMetro[];
  /** Active flows each metro would have at this instant (same order as `metros`). */
  readonly demand: readonly number[];
  /** Usable fraction of each Region's capacity (the policy's target, e.g. 0.75, or 1 for "capacity"). */
  readonly capacityFraction: number;
  /** Regions whose health checks fail: they serve nothing. */
  readonly unhealthy: ReadonlySet<RegionCode>;
}

/** Demand-weighted latency figures of one assignment. */
export interface LatencyFigures {
  readonly meanMs: number;
  readonly p95Ms: number;
}
