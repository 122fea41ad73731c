// Baselines that turn dials: GA with no controller, a fixed manual dial, and a naive threshold
// controller (drop a hot Region's dial by a fixed step, raise it when cool).

import type { RegionCode } from '../../domain/traffic.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { ServiceModel } from '../service-model.js';
import type { ScenarioTimeline } from '../truth/scenario-timeline.js';
import type { RoutingFn } from '../truth/truth-world.js';
import { gaRouting, type ChangeRecord, type ControllerContext, type SimController } from './controller.js';

abstract class DialController implements SimController {
  abstract readonly name: string;
  readonly changes: ChangeRecord[] = [];
  protected readonly dialsNow: Record<RegionCode, number>;

  constructor(
    protected readonly service: ServiceModel,
    private readonly timeline: ScenarioTimeline,
    initial: Readonly<Record<RegionCode, number>> = {},
  ) {
    this.dialsNow = Object.fromEntries(service.regions.map((r) => [r.code, initial[r.code] ?? 100]));
  }

  sync(): void {}

  abstract decide(ctx: ControllerContext): Promise<void>;

  routing(tMs: number): RoutingFn {
    return gaRouting(this.service, this.timeline, tMs, this.dialsNow);
  }

  dials(): Record<RegionCode, number> {
    return { ...this.dialsNow };
  }

  protected set(tMs: number, region: RegionCode, dial: number, reason: string): void {
    const before = this.dialsNow[region] ?? 100;
    if (Math.abs(before - dial) < 1e-9) return;
    this.dialsNow[region] = dial;
    this.changes.push({ t: new Date(tMs).toISOString(), region, kind: 'dial', before, after: dial, reason });
  }

  async close(): Promise<void> {}
}

export class NoController extends DialController {
  readonly name = 'ga-alone';
  async decide(): Promise<void> {}
}

export class FixedDialController extends DialController {
  readonly name = 'fixed-dial';
  private applied = false;
  constructor(service: ServiceModel, timeline: ScenarioTimeline, private readonly fixed: Readonly<Record<RegionCode, number>>, initial: Readonly<Record<RegionCode, number>> = {}) {
    super(service, timeline, initial);
  }
  async decide(ctx: ControllerContext): Promise<void> {
    if (this.applied) return;
    this.applied = true;
    for (const [region, dial] of Object.entries(this.fixed)) this.set(ctx.tMs, region, dial, 'FixedSetting');
  }
}

/** Reads the same lagged load as ga-steer (CloudWatch) and steps dials on thresholds, nothing more. */
export class ThresholdController extends DialController {
  readonly name = 'threshold';
  constructor(
    service: ServiceModel,
    timeline: ScenarioTimeline,
    private readonly settings: Scenario['baselines']['threshold'],
    private readonly loadLagMs: number,
    initial: Readonly<Record<RegionCode, number>> = {},
  ) {
    super(service, timeline, initial);
  }
  async decide(ctx: ControllerContext): Promise<void> {
    const observed = ctx.observatory.at(ctx.tMs - this.loadLagMs);
    if (observed === undefined) return;
    for (const r of this.service.regions) {
      // It sees capacity as ga-steer would through a capacity signal: the baseline is naive, not blind.
      const util = ((observed.loadByRegion[r.code] ?? 0) / Math.max(1e-9, observed.capacityByRegion[r.code] ?? r.capacity)) * 100;
      const dial = this.dialsNow[r.code] ?? 100;
      if (util > this.settings.drainAbovePercent && dial > 0) this.set(ctx.tMs, r.code, Math.max(0, dial - this.settings.stepPercent), 'AboveThreshold');
      else if (util < this.settings.restoreBelowPercent && dial < 100) this.set(ctx.tMs, r.code, Math.min(100, dial + this.settings.stepPercent), 'BelowThreshold');
    }
  }
}
