// A source of signals for the snapshot: CloudWatch load and demand, RIPE Atlas, synthetic feeds, or
// the simulator. A source that cannot be reached reports a problem and returns nothing; the planner
// then holds on missing data rather than guessing.

import type { Policy } from '../policy/schema.js';
import type { ClientGroup, DemandSample, LandingMeasurement, LatencyMeasurement, LoadSample } from '../snapshot/schema.js';

export interface SignalReadout {
  readonly load?: readonly LoadSample[];
  readonly latency?: readonly LatencyMeasurement[];
  readonly landing?: readonly LandingMeasurement[];
  readonly demand?: readonly DemandSample[];
  readonly clientGroups?: readonly ClientGroup[];
  /** Human-readable problems: gaps, unmatched answers, unreachable back ends. Secrets never appear. */
  readonly problems: readonly string[];
}

export interface SignalSource {
  readonly name: string;
  collect(policy: Policy, now: Date): Promise<SignalReadout>;
}
