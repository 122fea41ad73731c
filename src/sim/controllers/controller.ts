// A controller in the simulated loop. Baselines act on dials (or, the oracle, on routing) directly;
// ga-steer acts through the AWS SDK against the emulator, exactly as in production.

import type { RegionCode } from '../../domain/traffic.js';
import type { Observatory } from '../measure/observatory.js';
import type { ServiceModel } from '../service-model.js';
import { truthRoutingShares, type RegionRoutingState } from '../truth/ga-routing.js';
import type { ScenarioTimeline } from '../truth/scenario-timeline.js';
import type { RoutingFn, TruthWorld } from '../truth/truth-world.js';

export interface ControllerContext {
  readonly tMs: number;
  readonly truth: TruthWorld;
  readonly observatory: Observatory;
  readonly service: ServiceModel;
}

export interface ChangeRecord {
  readonly t: string;
  readonly region: RegionCode;
  readonly kind: 'dial' | 'weights';
  readonly before: number;
  readonly after: number;
  readonly reason: string;
}

export interface SimController {
  readonly name: string;
  /** Every step, before the truth advances: keep the controller's view of health in step with the truth. */
  sync(tMs: number): void;
  /** Every controller interval. */
  decide(ctx: ControllerContext): Promise<void>;
  /** Where new flows go now. */
  routing(tMs: number): RoutingFn;
  /** Each Region's dial now (for the report; the oracle reports the share it keeps nearby). */
  dials(): Record<RegionCode, number>;
  readonly changes: ChangeRecord[];
  close(): Promise<void>;
}

/** GA's routing of new flows (the truth's) for given dials and the scenario's health at tMs, memoised per proximity order. */
export function gaRouting(service: ServiceModel, timeline: ScenarioTimeline, tMs: number, dials: Readonly<Record<RegionCode, number>>): RoutingFn {
  const state: Record<RegionCode, RegionRoutingState> = Object.fromEntries(
    service.regions.map((r) => [r.code, { dialPercent: dials[r.code] ?? 100, healthy: timeline.healthy(tMs, r.code) }]),
  );
  const cache = new Map<string, Readonly<Record<RegionCode, number>>>();
  return (metro) => {
    const key = metro.proximity.join(',');
    let shares = cache.get(key);
    if (shares === undefined) {
      shares = truthRoutingShares(metro.proximity, state);
      cache.set(key, shares);
    }
    return shares;
  };
}

/**
 * GA's routing of new flows for several listeners, each with its own dials: every listener carries an
 * equal share of each metro's flows (the same assumption ga-steer makes: demand per port is unknown).
 */
export function gaRoutingPerListener(
  service: ServiceModel,
  timeline: ScenarioTimeline,
  tMs: number,
  dialsPerListener: readonly Readonly<Record<RegionCode, number>>[],
): RoutingFn {
  if (dialsPerListener.length <= 1) return gaRouting(service, timeline, tMs, dialsPerListener[0] ?? {});
  const routings = dialsPerListener.map((d) => gaRouting(service, timeline, tMs, d));
  const cache = new Map<string, Readonly<Record<RegionCode, number>>>();
  return (metro, i) => {
    const key = metro.proximity.join(',');
    let shares = cache.get(key);
    if (shares === undefined) {
      const sum: Record<RegionCode, number> = {};
      for (const routing of routings) for (const [r, s] of Object.entries(routing(metro, i))) sum[r] = (sum[r] ?? 0) + s / routings.length;
      shares = sum;
      cache.set(key, shares);
    }
    return shares;
  };
}
