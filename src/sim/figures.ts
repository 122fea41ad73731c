// The benchmark's figures for one run, from its per-step series and its changes.

import type { ChangeRecord } from './controllers/controller.js';
import type { SeriesPoint } from './run-simulation.js';
import type { Scenario } from './scenario/scenario-schema.js';
import type { ServiceModel } from './service-model.js';

export interface RunFigures {
  /** Region-minutes with utilization above 100 % of true capacity. */
  readonly regionMinutesOverCapacity: number;
  /**
   * The same, counted only from the third controller cycle after each stress began: a scenario event,
   * or a Region rising above its drain threshold (an evening peak has no event but is a stress).
   */
  readonly overCapacityAfterThirdCycleMinutes: number;
  /** Mean over the run of the demand-weighted mean RTT. */
  readonly meanLatencyMs: number;
  /** Mean over the run of the demand-weighted 95th-percentile RTT. */
  readonly p95LatencyMs: number;
  /** Bounds with every Region usable up to its capacity (the constraint the overload figures score). */
  readonly lpBoundMeanMs: number | null;
  readonly bestDialMeanMs: number | null;
  readonly ratioToLp: number | null;
  /** (mean - best-dial) / best-dial, in percent. */
  readonly gapToBestDialPercent: number | null;
  /** The same bounds with every Region usable only up to its target. */
  readonly lpTargetMeanMs: number | null;
  readonly bestDialTargetMeanMs: number | null;
  readonly gapToBestDialTargetPercent: number | null;
  readonly changes: number;
  /** Longest time from a Region going above its drain threshold to being back under its target. */
  readonly timeToRelieveMinutes: number | null;
  /** Direction reversals of a Region's dial within 30 minutes of its previous change (flapping). */
  readonly oscillations: number;
}

const FLAP_WINDOW_MS = 30 * 60_000;

/** One Region over 100 % of its true capacity at one instant of a run's series. */
export interface OverCapacityInstant {
  /** Index into the series. */
  readonly index: number;
  readonly region: string;
  /** At least three controller cycles after the Region's current stress began (what `overCapacityAfterThirdCycleMinutes` counts). */
  readonly late: boolean;
}

/** Every instant a Region is over capacity, each marked late or not as the figures count it. */
export function overCapacityInstants(series: readonly SeriesPoint[], service: ServiceModel, scenario: Scenario): OverCapacityInstant[] {
  const startMs = Date.parse(scenario.start);
  // Events start stress; their end (a Region's recovery, the capacity's return) starts it again.
  const stressStarts = scenario.events
    .filter((e) => e.kind === 'demand-spike' || e.kind === 'capacity-change' || e.kind === 'region-failure')
    .flatMap((e) => [{ startMs: startMs + e.at * 60_000 }, { startMs: startMs + (e.at + e.durationMinutes) * 60_000 }]);

  const graceMs = 3 * scenario.controllerIntervalSeconds * 1000;
  const out: OverCapacityInstant[] = [];
  // Per Region, when its current stress began: the latest event start, or its latest rise above drainAbovePercent.
  const stressSince = new Map<string, number>();
  const wasAboveDrain = new Map<string, boolean>();
  series.forEach((p, index) => {
    const t = Date.parse(p.t);
    const latestEvent = stressStarts.filter((s) => s.startMs <= t).reduce((a, s) => Math.max(a, s.startMs), Number.NEGATIVE_INFINITY);
    for (const r of service.regions) {
      const u = p.utilizationPercent[r.code] ?? 0;
      const above = u > r.drainAbovePercent;
      if (above && wasAboveDrain.get(r.code) !== true) stressSince.set(r.code, t);
      wasAboveDrain.set(r.code, above);
      if (u <= 100) continue;
      const since = Math.max(latestEvent, stressSince.get(r.code) ?? Number.NEGATIVE_INFINITY);
      out.push({ index, region: r.code, late: t - since >= graceMs });
    }
  });
  return out;
}

export function computeFigures(series: readonly SeriesPoint[], changes: readonly ChangeRecord[], service: ServiceModel, scenario: Scenario): RunFigures {
  const stepMinutes = scenario.stepSeconds / 60;
  const overInstants = overCapacityInstants(series, service, scenario);
  const over = overInstants.length * stepMinutes;
  const overLate = overInstants.filter((o) => o.late).length * stepMinutes;

  const mean = (xs: readonly number[]): number | null => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const meanLatency = mean(series.map((p) => p.meanLatencyMs)) ?? 0;
  const lp = mean(series.flatMap((p) => (p.lpBoundMeanMs !== undefined ? [p.lpBoundMeanMs] : [])));
  const best = mean(series.flatMap((p) => (p.bestDialMeanMs !== undefined ? [p.bestDialMeanMs] : [])));
  const lpTarget = mean(series.flatMap((p) => (p.lpTargetMeanMs !== undefined ? [p.lpTargetMeanMs] : [])));
  const bestTarget = mean(series.flatMap((p) => (p.bestDialTargetMeanMs !== undefined ? [p.bestDialTargetMeanMs] : [])));

  let relieve: number | null = null;
  for (const r of service.regions) {
    let hotSince: number | undefined;
    for (const p of series) {
      const u = p.utilizationPercent[r.code] ?? 0;
      const t = Date.parse(p.t);
      if (hotSince === undefined && u > r.drainAbovePercent) hotSince = t;
      else if (hotSince !== undefined && u <= r.targetPercent) {
        relieve = Math.max(relieve ?? 0, (t - hotSince) / 60_000);
        hotSince = undefined;
      }
    }
    if (hotSince !== undefined) relieve = Math.max(relieve ?? 0, (Date.parse(series.at(-1)?.t ?? '') - hotSince) / 60_000);
  }

  let oscillations = 0;
  const last = new Map<string, { dir: number; t: number }>();
  for (const c of changes) {
    if (c.kind !== 'dial' || c.after === c.before) continue;
    const dir = Math.sign(c.after - c.before);
    const t = Date.parse(c.t);
    const prev = last.get(c.region);
    if (prev !== undefined && prev.dir !== dir && t - prev.t < FLAP_WINDOW_MS) oscillations += 1;
    last.set(c.region, { dir, t });
  }

  return {
    regionMinutesOverCapacity: round(over),
    overCapacityAfterThirdCycleMinutes: round(overLate),
    meanLatencyMs: round(meanLatency),
    p95LatencyMs: round(mean(series.map((p) => p.p95LatencyMs)) ?? 0),
    lpBoundMeanMs: lp === null ? null : round(lp),
    bestDialMeanMs: best === null ? null : round(best),
    ratioToLp: lp === null || lp <= 0 ? null : Math.round((meanLatency / lp) * 1000) / 1000,
    gapToBestDialPercent: best === null || best <= 0 ? null : round(((meanLatency - best) / best) * 100),
    lpTargetMeanMs: lpTarget === null ? null : round(lpTarget),
    bestDialTargetMeanMs: bestTarget === null ? null : round(bestTarget),
    gapToBestDialTargetPercent: bestTarget === null || bestTarget <= 0 ? null : round(((meanLatency - bestTarget) / bestTarget) * 100),
    changes: changes.length,
    timeToRelieveMinutes: relieve === null ? null : round(relieve),
    oscillations,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
