// What the simulation report shows: one simulated world, run once per controller, side by side.

import { GaSteerError } from '../app/errors.js';

export interface SimulationRegion {
  readonly code: string;
  /** Active flows at 100 % utilization. */
  readonly capacity: number;
  /** The policy's utilization target, in % of capacity. */
  readonly targetPercent: number;
}

/** One simulation step of one controller's run. */
export interface SimulationStep {
  /** ISO-8601 simulated time. */
  readonly t: string;
  /** Traffic dial per Region, 0..100. */
  readonly dials: Readonly<Record<string, number>>;
  readonly utilizationPercent: Readonly<Record<string, number>>;
  /** Demand-weighted latency over all users at this step. */
  readonly meanLatencyMs: number;
  readonly p95LatencyMs: number;
  /** Linear-programming lower bound on the mean latency under capacity. */
  readonly lpBoundMeanMs?: number;
  /** Best mean latency reachable with traffic dials alone. */
  readonly bestDialMeanMs?: number;
}

export interface SimulationChange {
  readonly t: string;
  readonly region: string;
  readonly kind: 'dial' | 'weights';
  readonly before: number;
  readonly after: number;
  readonly reason: string;
}

/** The figures a run is judged by; `null` where a figure does not apply (no LP bound, nothing to relieve). */
export interface SimulationFigures {
  readonly regionMinutesOverCapacity: number;
  readonly meanLatencyMs: number;
  readonly p95LatencyMs: number;
  readonly ratioToLp: number | null;
  readonly changes: number;
  readonly timeToRelieveMinutes: number | null;
  readonly oscillations: number;
}

export interface SimulationControllerRun {
  /** e.g. "none", "threshold", "ga-steer". */
  readonly name: string;
  readonly series: readonly SimulationStep[];
  readonly changes: readonly SimulationChange[];
  readonly figures: SimulationFigures;
}

export interface SimulationRunReport {
  readonly title: string;
  readonly scenario: { readonly name: string; readonly description: string };
  /** ISO-8601 time the report was produced. */
  readonly generatedAt: string;
  readonly seed: number;
  readonly stepSeconds: number;
  readonly regions: readonly SimulationRegion[];
  /** Every controller run on the same world; the last one is the main one, shown first. */
  readonly controllers: readonly SimulationControllerRun[];
  /** Scenario events, marked on the time axes. */
  readonly events: readonly { readonly t: string; readonly label: string }[];
}

/** A run the report cannot show (no controller, a time that does not parse...). */
export class SimulationReportError extends GaSteerError {
  override readonly name = 'SimulationReportError';
  constructor(
    message: string,
    /** Where in the run the problem is, e.g. `controllers[1].series[4].t`. */
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
  }
}
