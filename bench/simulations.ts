// Every example scenario, every controller, on the same world and seed, with both bounds.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compareControllers } from '../src/sim/compare-controllers.js';
import type { SimulationRun } from '../src/sim/run-simulation.js';
import { CONTROLLER_KINDS } from '../src/sim/run-simulation.js';
import { loadScenarioFile } from '../src/sim/scenario/load-scenario.js';
import { loadWorld } from '../src/sim/world/load-world.js';

export interface ScenarioBench {
  readonly scenario: string;
  readonly policy: string;
  readonly seconds: number;
  readonly runs: readonly SimulationRun[];
}

export async function benchSimulations(dir = 'examples/scenarios', only?: readonly string[], log: (line: string) => void = () => undefined): Promise<ScenarioBench[]> {
  const world = loadWorld();
  const out: ScenarioBench[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    if (only !== undefined && only.length > 0 && !only.some((o) => file.includes(o))) continue;
    const { scenario, policy } = await loadScenarioFile(join(dir, file));
    const started = performance.now();
    log(`simulating ${scenario.name} (${scenario.durationMinutes} min, ${CONTROLLER_KINDS.length} controllers)`);
    const runs = await compareControllers({ world, scenario, policy, controllers: CONTROLLER_KINDS, bounds: true });
    out.push({ scenario: scenario.name, policy: policy.name, seconds: (performance.now() - started) / 1000, runs });
  }
  return out;
}
