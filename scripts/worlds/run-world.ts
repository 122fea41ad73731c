// One generated world through the simulator: GA alone, the threshold controller, the waterfall oracle
// and ga-steer on the same world, scenario and seed, with the LP and best-dial bounds every 10
// simulated minutes (shared by the four runs, as compareControllers does) and, per instant, whether
// some dial setting avoids overload. The result is plain data (it crosses from worker to parent).

import { performance } from 'node:perf_hooks';
import { overCapacityInstants, type RunFigures } from '../../src/sim/figures.js';
import { runSimulation, type ControllerKind } from '../../src/sim/run-simulation.js';
import { buildServiceModel } from '../../src/sim/service-model.js';
import type { World } from '../../src/sim/world/world-schema.js';
import { FeasibilityBoundsCache } from './feasibility-bounds.js';
import type { GeneratedWorld, WorldKind } from './generate-world.js';
import { traceOverload, tracePlan, type PlanTrace } from './trace-overload.js';

export const CAMPAIGN_CONTROLLERS = ['ga-alone', 'threshold', 'waterfall-oracle', 'ga-steer'] as const satisfies readonly ControllerKind[];
export type CampaignController = (typeof CAMPAIGN_CONTROLLERS)[number];

export interface ControllerResult {
  readonly figures: RunFigures;
  /** Region-minutes over capacity after the third cycle of a stress, counted only at instants where some dial setting avoids overload. */
  readonly overLateFeasibleMinutes: number;
  /** Of those, the minutes at instants where some dial setting also keeps every Region within the 95 % margin. */
  readonly overLateMarginFeasibleMinutes: number;
}

export interface WorldResult {
  readonly seed: number;
  readonly name: string;
  readonly kind: WorldKind;
  readonly regions: readonly string[];
  readonly listeners: number;
  readonly hot: readonly string[];
  readonly events: readonly string[];
  readonly seconds: number;
  /** Bound instants (every 10 simulated minutes): how many, and at how many a dial setting (an assignment) avoids overload. */
  readonly instants: number;
  readonly dialFeasibleInstants: number;
  readonly lpFeasibleInstants: number;
  /** Bound instants where a dial setting keeps every Region within the 95 % margin (feasibility-bounds.ts). */
  readonly marginFeasibleInstants: number;
  readonly runs: Readonly<Record<CampaignController, ControllerResult>>;
  /** ga-steer: holds by reason over the run. */
  readonly holds: Readonly<Record<string, number>>;
  /** ga-steer: one line per Region it left over capacity after the third cycle, read from its plans. */
  readonly trace: readonly string[];
  /** ga-steer: its Region-minutes over capacity after the third cycle at feasible instants, by what its latest plan said of that Region (trace-overload.ts). */
  readonly overCauses: Readonly<Record<string, number>>;
  /** ga-steer: of those, the Region-minutes where its latest plan judged the overload not absorbable. */
  readonly overUnabsorbableMinutes: number;
}

const BOUND_EVERY_SECONDS = 600;

export async function runWorld(world: World, generated: GeneratedWorld, onProgress: (controller: string) => void = () => undefined): Promise<WorldResult> {
  const started = performance.now();
  const { scenario, policy } = generated;
  const service = buildServiceModel(world, scenario, policy);
  const cache = new FeasibilityBoundsCache(Math.max(1, Math.round(BOUND_EVERY_SECONDS / scenario.stepSeconds)));
  const stepMs = scenario.stepSeconds * 1000;
  const feasibleAt = (index: number): boolean => cache.at(index)?.dialFeasible ?? true;
  const marginFeasibleAt = (index: number): boolean => cache.at(index)?.marginFeasible ?? true;
  const runs: Partial<Record<CampaignController, ControllerResult>> = {};
  let trace: readonly string[] = [];
  let overCauses: Readonly<Record<string, number>> = {};
  let overUnabsorbableMinutes = 0;
  let holds: Record<string, number> = {};
  for (const controller of CAMPAIGN_CONTROLLERS) {
    onProgress(controller);
    const plans: PlanTrace[] = [];
    const run = await runSimulation({ world, scenario, policy, controller, bounds: cache.fn(), onPlan: (p) => plans.push(tracePlan(p)) });
    const late = overCapacityInstants(run.series, service, scenario).filter((o) => o.late);
    const lateFeasible = late.filter((o) => feasibleAt(o.index));
    runs[controller] = {
      figures: run.figures,
      overLateFeasibleMinutes: (lateFeasible.length * stepMs) / 60_000,
      overLateMarginFeasibleMinutes: (lateFeasible.filter((o) => marginFeasibleAt(o.index)).length * stepMs) / 60_000,
    };
    if (controller === 'ga-steer') {
      holds = run.holds;
      ({ lines: trace, causes: overCauses, unabsorbableMinutes: overUnabsorbableMinutes } = traceOverload(run.series, late, plans, scenario.stepSeconds / 60, feasibleAt));
    }
  }
  const instants = cache.instants();
  return {
    seed: generated.seed,
    name: generated.name,
    kind: generated.kind,
    regions: generated.regions,
    listeners: generated.listeners,
    hot: generated.hot,
    events: scenario.events.map((e) => e.kind),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    instants: instants.length,
    dialFeasibleInstants: instants.filter((b) => b.dialFeasible).length,
    lpFeasibleInstants: instants.filter((b) => b.lpFeasible).length,
    marginFeasibleInstants: instants.filter((b) => b.marginFeasible).length,
    runs: { 'ga-alone': ranAs(runs, 'ga-alone'), threshold: ranAs(runs, 'threshold'), 'waterfall-oracle': ranAs(runs, 'waterfall-oracle'), 'ga-steer': ranAs(runs, 'ga-steer') },
    holds,
    trace,
    overCauses,
    overUnabsorbableMinutes,
  };
}

function ranAs(runs: Partial<Record<CampaignController, ControllerResult>>, controller: CampaignController): ControllerResult {
  const run = runs[controller];
  if (run === undefined) throw new Error(`world run lost the ${controller} result`);
  return run;
}
