// generateWorld(seed): one random closed-loop GA world the planner was not built for, as a scenario
// and a documented-default policy (Regions, capacities, a latency budget, load sources; every
// guardrail at its default), both written as YAML and parsed back with the project's own parsers, so
// what the campaign runs is exactly what `ga-steer simulate --scenario` replays from the files.

import type { RegionCode } from '../../src/domain/traffic.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import { parseScenarioText } from '../../src/sim/scenario/parse-scenario.js';
import type { Scenario } from '../../src/sim/scenario/scenario-schema.js';
import { buildServiceModel } from '../../src/sim/service-model.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import type { World } from '../../src/sim/world/world-schema.js';
import { Draw } from './draw.js';
import { drawEvents, type EventInput } from './draw-events.js';
import { gaAlonePeak } from './ga-alone-peak.js';
import { pickRegions } from './pick-regions.js';
import { drawWorldKind, sizeCapacities, type WorldKind } from './size-capacities.js';
import { renderPolicyYaml, renderScenarioYaml, type WorldFiles } from './render-world.js';

export type { WorldKind } from './size-capacities.js';

export interface GeneratedWorld {
  readonly seed: number;
  readonly name: string;
  readonly kind: WorldKind;
  readonly regions: readonly RegionCode[];
  readonly listeners: number;
  /** Regions above 100 % under GA alone at the daily peak (no events), by construction of the capacities. */
  readonly hot: readonly RegionCode[];
  readonly peakUtilizationPercent: Readonly<Record<RegionCode, number>>;
  readonly scenario: Scenario;
  readonly policy: Policy;
  /** The YAML the scenario and policy were parsed from (schema lines relative to `schemasDir`). */
  readonly files: WorldFiles;
}

export class WorldGenerationError extends Error {
  override readonly name = 'WorldGenerationError';
}

const FIRST_DAY_MS = Date.parse('2026-11-23T00:00:00Z');
const SCHEMAS_FROM_WORLD_DIR = '../../../schemas';

export function worldName(seed: number): string {
  return `world-${seed}`;
}

/**
 * @param schemasDir the schemas/ folder relative to where the YAML will be written (for editors' completion).
 * @param intervalSeconds the controller interval in place of the drawn one (the world is otherwise the same).
 */
export function generateWorld(seed: number, world: World = loadWorld(), schemasDir = SCHEMAS_FROM_WORLD_DIR, intervalSeconds?: number): GeneratedWorld {
  const draw = new Draw(seed);
  const name = worldName(seed);
  const pick = pickRegions(world, draw.fork('regions'));
  const regions = [...pick.regions].sort();
  const shape = draw.fork('shape');
  const listeners = shape.chance(0.35) ? 2 : 1;
  const initialDials = listeners === 2 && shape.chance(0.6) ? drawInitialDials(shape, regions) : [];
  const durationMinutes = shape.round(shape.uniform(120, 180), 10);
  const start = new Date(FIRST_DAY_MS + shape.int(0, 47) * 30 * 60_000).toISOString().replace('.000Z', 'Z');
  // Drawn whatever the override: the draws after it, and so the world, stay the same.
  const drawnInterval = shape.chance(0.5) ? 60 : 120;
  const base = {
    name,
    seed,
    start,
    durationMinutes,
    controllerIntervalSeconds: intervalSeconds ?? drawnInterval,
    service: {
      clients: { maxRttMs: shape.round(shape.uniform(35, 80), 5) },
      peakFlows: shape.round(shape.uniform(20_000, 200_000), 1000),
      flowLifetimeSeconds: shape.round(shape.uniform(60, 900), 30),
      demandNoisePercent: shape.int(2, 8),
      initialDials,
    },
    measurement: {
      probesPerCountry: shape.int(2, 8),
      latencyLagSeconds: shape.round(shape.uniform(120, 600), 30),
      loadLagSeconds: shape.round(shape.uniform(0, 180), 30),
      demandLagSeconds: shape.round(shape.uniform(60, 180), 30),
    },
  };
  const budgetMs = shape.pick([80, 100, 120, 150]);
  const kind = drawWorldKind(shape);

  // First pass: the service with placeholder capacities, to find the clients and the peak.
  const placeholder = Object.fromEntries(regions.map((r) => [r, 1]));
  const first = parseFiles(name, renderScenarioYaml({ ...base, events: [], notes: [] }, schemasDir), renderPolicyYaml({ name, regions, listeners, budgetMs, capacity: placeholder, capacityFromSignal: false }, schemasDir));
  const service = buildServiceModel(world, first.scenario, first.policy);
  const countryShares = new Map<string, number>();
  for (const m of service.metros) countryShares.set(m.countryCode, (countryShares.get(m.countryCode) ?? 0) + m.demandShare);
  const events = drawEvents(draw.fork('events'), { regions, countries: [...countryShares].sort((a, b) => a[0].localeCompare(b[0])), durationMinutes });
  const peak = gaAlonePeak(world, first.scenario, first.policy);
  const sized = sizeCapacities(draw.fork('capacity'), kind, regions, peak);

  // A capacity loss is seen through a capacity signal (healthy hosts x flows per host), as in
  // examples/scenarios/capacity-loss.yaml: with a constant capacity no controller could see it.
  const capacityFromSignal = events.some((e) => e.kind === 'capacity-change');
  const notes = describeWorld(kind, pick.centre, pick.far, sized.peakUtilizationPercent, events, listeners);
  const files: WorldFiles = {
    scenario: renderScenarioYaml({ ...base, events, notes, ...(capacityFromSignal ? { capacity: sized.capacity } : {}) }, schemasDir),
    policy: renderPolicyYaml({ name, regions, listeners, budgetMs, capacity: sized.capacity, capacityFromSignal }, schemasDir),
  };
  const parsed = parseFiles(name, files.scenario, files.policy);
  return { seed, name, kind, regions, listeners, hot: sized.hot, peakUtilizationPercent: sized.peakUtilizationPercent, ...parsed, files };
}

function drawInitialDials(draw: Draw, regions: readonly RegionCode[]): { region: RegionCode; listener: number; percent: number }[] {
  return draw
    .sample(regions, draw.int(1, 2))
    .sort()
    .map((region) => ({ region, listener: draw.int(0, 1), percent: draw.round(draw.uniform(50, 90), 5) }));
}

function parseFiles(name: string, scenarioText: string, policyText: string): { scenario: Scenario; policy: Policy } {
  const scenario = parseScenarioText(scenarioText, `${name}/scenario.yaml`);
  const policy = parsePolicyText(policyText, `${name}/policy.yaml`, { use: 'live' });
  const issues = [...(scenario.ok ? scenario.warnings : scenario.issues), ...(policy.ok ? policy.warnings : policy.issues)];
  if (!scenario.ok || !policy.ok || issues.length > 0) {
    throw new WorldGenerationError(`generated world ${name} does not parse cleanly:\n${issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n')}`);
  }
  return { scenario: scenario.scenario, policy: policy.policy };
}

function describeWorld(kind: WorldKind, centre: RegionCode, far: readonly RegionCode[], util: Readonly<Record<RegionCode, number>>, events: readonly EventInput[], listeners: number): string[] {
  const utilText = Object.entries(util)
    .sort((a, b) => b[1] - a[1])
    .map(([r, u]) => `${r} ${u} %`)
    .join(', ');
  const what =
    kind === 'hot' ? 'one or two Regions past capacity' : kind === 'calm' ? 'no Region past its drain threshold' : 'all capacity together below the peak demand (no dial setting avoids overload)';
  return [
    `A generated world (scenario and documented-default policy, scripts/worlds): Regions around ${centre}${far.length > 0 ? ` plus ${far.join(', ')}` : ''}, ${listeners} listener${listeners > 1 ? 's' : ''}.`,
    `Daily peak under GA alone (no events): ${what}; ${utilText}.`,
    events.length === 0 ? 'No events: the daily peak alone.' : `Events: ${events.map(describeEvent).join('; ')}.`,
  ];
}

function describeEvent(e: EventInput): string {
  const window = `at ${e.at} min for ${e.durationMinutes} min`;
  switch (e.kind) {
    case 'demand-spike':
      return `demand x${e.factor} from ${e.nearestRegion !== undefined ? `the users nearest ${e.nearestRegion}` : (e.countries ?? []).join(' ')} ${window}`;
    case 'capacity-change':
      return `${e.region} capacity x${e.factor} ${window}`;
    case 'region-failure':
      return `${e.region} fails ${window}`;
    default:
      return `${e.kind} ${window}`;
  }
}
