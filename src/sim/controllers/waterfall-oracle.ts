// The waterfall oracle: knows every metro's true demand and every Region's true capacity, and assigns
// demand directly (no dials): fill each metro's nearest Region up to its target, spill the rest to
// the next nearest with room, as Google's waterfall-by-region does; when the targets cannot carry
// everyone, the same up to capacity. Closest users keep their Region.

import type { RegionCode } from '../../domain/traffic.js';
import type { ServiceModel } from '../service-model.js';
import type { ServiceMetro } from '../types.js';
import type { ScenarioTimeline } from '../truth/scenario-timeline.js';
import type { RoutingFn } from '../truth/truth-world.js';
import type { ChangeRecord, ControllerContext, SimController } from './controller.js';

export function waterfallAssignment(
  metros: readonly ServiceMetro[],
  demand: readonly number[],
  room: Readonly<Record<RegionCode, number>>,
): Record<RegionCode, number>[] {
  const left: Record<RegionCode, number> = { ...room };
  const assignment: Record<RegionCode, number>[] = metros.map(() => ({}));
  // Users nearest to a Region are served first, so the spill comes from those who lose least by moving.
  const order = metros.map((m, i) => i).sort((a, b) => {
    const ma = metros[a] as ServiceMetro;
    const mb = metros[b] as ServiceMetro;
    const gapA = (ma.rttMs[ma.proximity[1] ?? ''] ?? Infinity) - (ma.rttMs[ma.proximity[0] ?? ''] ?? 0);
    const gapB = (mb.rttMs[mb.proximity[1] ?? ''] ?? Infinity) - (mb.rttMs[mb.proximity[0] ?? ''] ?? 0);
    return gapB - gapA || a - b;
  });
  for (const i of order) {
    const m = metros[i] as ServiceMetro;
    let rest = demand[i] ?? 0;
    const total = rest;
    if (total <= 0) {
      assignment[i] = { [m.proximity[0] ?? '']: 1 };
      continue;
    }
    for (const r of m.proximity) {
      if (rest <= 0) break;
      const take = Math.min(rest, Math.max(0, left[r] ?? 0));
      if (take <= 0) continue;
      (assignment[i] as Record<RegionCode, number>)[r] = take / total;
      left[r] = (left[r] ?? 0) - take;
      rest -= take;
    }
    // No room anywhere: the rest stays nearest (overload is measured, not hidden).
    const nearest = m.proximity.find((r) => (room[r] ?? 0) > 0) ?? m.proximity[0] ?? '';
    if (rest > 0) (assignment[i] as Record<RegionCode, number>)[nearest] = ((assignment[i] as Record<RegionCode, number>)[nearest] ?? 0) + rest / total;
  }
  return assignment;
}

/** Whether an assignment keeps every Region within its room. */
function fits(assignment: readonly Record<RegionCode, number>[], demand: readonly number[], room: Readonly<Record<RegionCode, number>>): boolean {
  const load: Record<RegionCode, number> = {};
  assignment.forEach((shares, i) => {
    for (const [r, s] of Object.entries(shares)) load[r] = (load[r] ?? 0) + s * (demand[i] ?? 0);
  });
  return Object.entries(load).every(([r, l]) => l <= (room[r] ?? 0) * (1 + 1e-9) + 1e-9);
}

export class WaterfallOracle implements SimController {
  readonly name = 'waterfall-oracle';
  readonly changes: ChangeRecord[] = [];
  private assignment: Record<RegionCode, number>[] | undefined;
  private kept: Record<RegionCode, number>;

  constructor(
    private readonly service: ServiceModel,
    private readonly timeline: ScenarioTimeline,
  ) {
    this.kept = Object.fromEntries(service.regions.map((r) => [r.code, 100]));
  }

  sync(): void {}

  async decide(ctx: ControllerContext): Promise<void> {
    const demand = ctx.truth.demand();
    const roomAt = (percent: (r: (typeof this.service.regions)[number]) => number): Record<RegionCode, number> =>
      Object.fromEntries(this.service.regions.map((r) => [r.code, this.timeline.healthy(ctx.tMs, r.code) ? (ctx.truth.capacity(ctx.tMs, r.code) * percent(r)) / 100 : 0]));
    // Up to each Region's target when that carries everyone; otherwise up to capacity: over target is
    // better than over capacity.
    const atTarget = waterfallAssignment(this.service.metros, demand, roomAt((r) => r.targetPercent));
    this.assignment = fits(atTarget, demand, roomAt((r) => r.targetPercent)) ? atTarget : waterfallAssignment(this.service.metros, demand, roomAt(() => 100));
    // Its "dial": the share of the demand nearest to each Region that the Region keeps.
    for (const r of this.service.regions) {
      let near = 0;
      let keptHere = 0;
      this.service.metros.forEach((m, i) => {
        if (m.proximity[0] !== r.code) return;
        near += demand[i] ?? 0;
        keptHere += (demand[i] ?? 0) * (this.assignment?.[i]?.[r.code] ?? 0);
      });
      const dial = near > 0 ? Math.round((keptHere / near) * 100) : 100;
      const before = this.kept[r.code] ?? 100;
      if (Math.abs(dial - before) >= 1) {
        this.changes.push({ t: new Date(ctx.tMs).toISOString(), region: r.code, kind: 'dial', before, after: dial, reason: 'Waterfall' });
        this.kept[r.code] = dial;
      }
    }
  }

  routing(tMs: number): RoutingFn {
    const assignment = this.assignment;
    return (metro, i) => {
      const a = assignment?.[i];
      if (a !== undefined && Object.keys(a).length > 0) return a;
      const healthy = metro.proximity.find((r) => this.timeline.healthy(tMs, r)) ?? metro.proximity[0] ?? '';
      return { [healthy]: 1 };
    };
  }

  dials(): Record<RegionCode, number> {
    return { ...this.kept };
  }

  async close(): Promise<void> {}
}
