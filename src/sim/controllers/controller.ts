// A controller in the simulated loop. Baselines act on dials (or, the oracle, on routing) directly;
// ga-steer acts through the AWS SDK against the emulator, exactly as in production.

import type { RegionCode } from '../../domain/traffic.js';
import type { Observatory } from '../measure/observatory.js';
import type { ServiceModel } from '../service-model.js';
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
