// What each Region serves under GA alone through a scenario's daily peak: the steady state of the
// simulator's ground truth (its routing, its daily curve) with the scenario's initial dials left as
// they are, no events and no noise, sampled every few minutes over the run. The generator sizes
// capacities from it, so "hot" means hot in the simulator's own terms, not in a guess.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { Policy } from '../../src/policy/schema.js';
import { NoController } from '../../src/sim/controllers/dial-controllers.js';
import { Random } from '../../src/sim/random.js';
import type { Scenario } from '../../src/sim/scenario/scenario-schema.js';
import { buildServiceModel } from '../../src/sim/service-model.js';
import { ScenarioTimeline } from '../../src/sim/truth/scenario-timeline.js';
import { TruthWorld } from '../../src/sim/truth/truth-world.js';
import type { World } from '../../src/sim/world/world-schema.js';

const SAMPLE_MINUTES = 5;

export interface GaAlonePeak {
  /** Per Region, the most active flows it carries at any sampled instant. */
  readonly peakLoad: Readonly<Record<RegionCode, number>>;
  /** The most active flows of all clients together at any sampled instant. */
  readonly peakTotal: number;
}

/** The baselines' (and so GA alone's) dial per Region: the mean of its listeners' initial dials, as runSimulation starts them. */
export function initialMeanDials(scenario: Scenario, policy: Policy): Record<RegionCode, number> {
  const listeners = Math.max(1, policy.accelerator.listeners.length);
  return Object.fromEntries(
    Object.keys(policy.regions).map((code) => {
      let sum = 0;
      for (let l = 0; l < listeners; l += 1) sum += scenario.service.initialDials.find((d) => d.region === code && d.listener === l)?.percent ?? 100;
      return [code, sum / listeners];
    }),
  );
}

export function gaAlonePeak(world: World, scenario: Scenario, policy: Policy): GaAlonePeak {
  const calm: Scenario = { ...scenario, events: [], service: { ...scenario.service, demandNoisePercent: 0 } };
  const service = buildServiceModel(world, calm, policy);
  const timeline = new ScenarioTimeline(calm);
  const gaAlone = new NoController(service, timeline, initialMeanDials(calm, policy));
  const truth = new TruthWorld(service, calm, timeline, new Random(calm.seed));
  const peakLoad: Record<RegionCode, number> = Object.fromEntries(service.regions.map((r) => [r.code, 0]));
  let peakTotal = 0;
  const startMs = Date.parse(calm.start);
  for (let m = 0; m <= calm.durationMinutes; m += SAMPLE_MINUTES) {
    const t = startMs + m * 60_000;
    truth.initialize(t, gaAlone.routing(t));
    const load = truth.loadByRegion();
    let total = 0;
    for (const [r, flows] of Object.entries(load)) {
      peakLoad[r] = Math.max(peakLoad[r] ?? 0, flows);
      total += flows;
    }
    peakTotal = Math.max(peakTotal, total);
  }
  return { peakLoad, peakTotal };
}
