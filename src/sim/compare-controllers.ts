// Runs every controller on the same world, scenario and seed, with shared bounds, and shapes the
// result for the report and the benchmark table.

import type { Policy } from '../policy/schema.js';
import type { SimulationRunReport } from '../report/simulation-report-data.js';
import { BoundsCache } from './bounds/bounds-cache.js';
import { runSimulation, type ControllerKind, type SimulationRun } from './run-simulation.js';
import type { Scenario } from './scenario/scenario-schema.js';
import { buildServiceModel } from './service-model.js';
import { ScenarioTimeline } from './truth/scenario-timeline.js';
import type { World } from './world/world-schema.js';
import { renderTextTable } from './text-table.js';

export interface ComparisonInput {
  readonly world: World;
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly controllers: readonly ControllerKind[];
  /** Compute the LP and best-dial bounds (every 10 simulated minutes). */
  readonly bounds: boolean;
  readonly onProgress?: (controller: string, done: number, total: number) => void;
}

export async function compareControllers(input: ComparisonInput): Promise<SimulationRun[]> {
  const cache = new BoundsCache(Math.max(1, Math.round(600 / input.scenario.stepSeconds)));
  const runs: SimulationRun[] = [];
  for (const controller of input.controllers) {
    const label = controller === 'ga-steer' ? `ga-steer:${input.policy.name}` : controller;
    runs.push(
      await runSimulation({
        world: input.world,
        scenario: input.scenario,
        policy: input.policy,
        controller,
        label,
        ...(input.bounds ? { bounds: cache.fn() } : {}),
        onStep: (done, total) => input.onProgress?.(label, done, total),
      }),
    );
  }
  return runs;
}

export function toReport(scenario: Scenario, policy: Policy, world: World, runs: readonly SimulationRun[], generatedAt: Date): SimulationRunReport {
  const service = buildServiceModel(world, scenario, policy);
  return {
    title: `ga-steer simulation: ${scenario.name}`,
    scenario: { name: scenario.name, description: scenario.description },
    generatedAt: generatedAt.toISOString(),
    seed: scenario.seed,
    stepSeconds: scenario.stepSeconds,
    regions: service.regions.map((r) => ({ code: r.code, capacity: r.capacity, targetPercent: r.targetPercent })),
    controllers: runs.map((run) => ({
      name: run.controller,
      series: run.series.map((p) => ({
        t: p.t,
        dials: p.dials,
        utilizationPercent: p.utilizationPercent,
        meanLatencyMs: p.meanLatencyMs,
        p95LatencyMs: p.p95LatencyMs,
        ...(p.lpBoundMeanMs !== undefined ? { lpBoundMeanMs: p.lpBoundMeanMs } : {}),
        ...(p.bestDialMeanMs !== undefined ? { bestDialMeanMs: p.bestDialMeanMs } : {}),
      })),
      changes: run.changes.map((c) => ({ ...c })),
      figures: {
        regionMinutesOverCapacity: run.figures.regionMinutesOverCapacity,
        meanLatencyMs: run.figures.meanLatencyMs,
        p95LatencyMs: run.figures.p95LatencyMs,
        ratioToLp: run.figures.ratioToLp,
        changes: run.figures.changes,
        timeToRelieveMinutes: run.figures.timeToRelieveMinutes,
        oscillations: run.figures.oscillations,
      },
    })),
    events: new ScenarioTimeline(scenario).eventMarks(),
  };
}

/** The comparison as a fixed-width text table. Bounds: "cap" with every Region up to capacity, "tgt" up to its target. */
export function renderComparisonTable(runs: readonly SimulationRun[]): string {
  const header = ['controller', 'over cap (Region-min)', 'after 3rd cycle', 'mean ms', 'p95 ms', 'x LP cap', 'vs best dial cap', 'vs best dial tgt', 'changes', 'relieve min', 'oscillations'];
  const fmt = (x: number | null, digits = 1): string => (x === null ? '-' : x.toFixed(digits));
  const pct = (x: number | null): string => (x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);
  const rows = runs.map((r) => [
    r.controller,
    fmt(r.figures.regionMinutesOverCapacity, 0),
    fmt(r.figures.overCapacityAfterThirdCycleMinutes, 0),
    fmt(r.figures.meanLatencyMs),
    fmt(r.figures.p95LatencyMs),
    fmt(r.figures.ratioToLp, 3),
    pct(r.figures.gapToBestDialPercent),
    pct(r.figures.gapToBestDialTargetPercent),
    String(r.figures.changes),
    fmt(r.figures.timeToRelieveMinutes, 0),
    String(r.figures.oscillations),
  ]);
  return `${renderTextTable(header, rows, { rule: true })}\n`;
}
