// One simulated run: a scenario, a controller, the world. Steps the ground truth, feeds the measurement
// systems, lets the controller decide on its interval, and records what users experienced.

import type { RegionCode } from '../domain/traffic.js';
import type { Plan } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ChangeRecord, SimController } from './controllers/controller.js';
import { FixedDialController, NoController, ThresholdController } from './controllers/dial-controllers.js';
import { GaSteerController, type SimClock } from './controllers/ga-steer-controller.js';
import { WaterfallOracle } from './controllers/waterfall-oracle.js';
import { computeFigures, type RunFigures } from './figures.js';
import { Observatory } from './measure/observatory.js';
import { SimulatedProbes } from './measure/simulated-probes.js';
import { SimulationSignalSource } from './measure/simulation-signal-source.js';
import { Random } from './random.js';
import type { Scenario } from './scenario/scenario-schema.js';
import { buildServiceModel, type ServiceModel } from './service-model.js';
import { ScenarioTimeline } from './truth/scenario-timeline.js';
import { TruthWorld } from './truth/truth-world.js';
import type { AssignmentProblem } from './types.js';
import type { World } from './world/world-schema.js';

export type ControllerKind = 'ga-alone' | 'fixed-dial' | 'threshold' | 'waterfall-oracle' | 'ga-steer';
export const CONTROLLER_KINDS: readonly ControllerKind[] = ['ga-alone', 'fixed-dial', 'threshold', 'waterfall-oracle', 'ga-steer'];

export interface SeriesPoint {
  readonly t: string;
  readonly dials: Record<RegionCode, number>;
  readonly utilizationPercent: Record<RegionCode, number>;
  readonly meanLatencyMs: number;
  readonly p95LatencyMs: number;
  /** Bounds with every Region up to its capacity (what the overload figures score)... */
  readonly lpBoundMeanMs?: number;
  readonly bestDialMeanMs?: number;
  /** ...and up to its target. */
  readonly lpTargetMeanMs?: number;
  readonly bestDialTargetMeanMs?: number;
}

export interface SimulationRun {
  readonly controller: string;
  readonly scenario: string;
  readonly seed: number;
  readonly stepSeconds: number;
  readonly series: SeriesPoint[];
  readonly changes: ChangeRecord[];
  readonly figures: RunFigures;
  /** ga-steer only: holds by reason over the run, and each reason's latest message (the why). */
  readonly holds: Record<string, number>;
  readonly holdMessages: Record<string, string>;
}

/** The bounds' two problems at one instant: every Region usable up to its capacity, or only up to its target. */
export interface BoundProblems {
  readonly atCapacity: AssignmentProblem;
  readonly atTarget: AssignmentProblem;
}

/** Latency bounds for one instant, under capacity and under target; computed once per instant and shared by every controller's run. */
export type BoundsFn = (
  problems: BoundProblems,
  stepIndex: number,
) => Promise<{ lpMeanMs: number; bestDialMeanMs: number; lpTargetMeanMs: number; bestDialTargetMeanMs: number } | undefined>;

export interface SimulationInput {
  readonly world: World;
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly controller: ControllerKind;
  /** Name in reports (e.g. `ga-steer:crazycall-voip`). */
  readonly label?: string;
  readonly bounds?: BoundsFn;
  readonly onStep?: (done: number, total: number) => void;
  /** ga-steer only: every plan, as it was made. */
  readonly onPlan?: (plan: Plan) => void;
}

export async function runSimulation(input: SimulationInput): Promise<SimulationRun> {
  const { scenario, world } = input;
  // In the simulator, demand per client group comes from the service's own flow counts.
  const policy: Policy = { ...input.policy, signals: { ...input.policy.signals, demand: { ...input.policy.signals.demand, source: 'snapshot' } } };
  const service = buildServiceModel(world, scenario, policy);
  const timeline = new ScenarioTimeline(scenario);
  const random = new Random(scenario.seed);
  const truth = new TruthWorld(service, scenario, timeline, random.fork('demand'));
  const keepMs = Math.max(policy.guardrails.maxSignalAgeSeconds.latency, policy.guardrails.maxSignalAgeSeconds.landing) * 1000 + scenario.measurement.latencyLagSeconds * 1000;
  const observatory = new Observatory(Math.max(keepMs, 3_600_000));
  const probes = new SimulatedProbes(service.metros, scenario, timeline, random.fork('probes'));
  const startMs = Date.parse(scenario.start);
  const clock: SimClock = { nowMs: startMs };
  const controller = await makeController(input.controller, { policy, service, timeline, observatory, clock, scenario, probes });

  const stepMs = scenario.stepSeconds * 1000;
  const steps = Math.round((scenario.durationMinutes * 60_000) / stepMs);
  const decideEvery = Math.max(1, Math.round(scenario.controllerIntervalSeconds / scenario.stepSeconds));
  const series: SeriesPoint[] = [];
  try {
    for (let i = 0; i <= steps; i += 1) {
      const t = startMs + i * stepMs;
      clock.nowMs = Math.max(clock.nowMs, t);
      controller.sync(t);
      const routing = controller.routing(t);
      if (i === 0) truth.initialize(t, routing);
      else truth.step(t, scenario.stepSeconds, routing);
      const load = truth.loadByRegion();
      // The load metric counts flows (an NLB's flow count): losing hosts does not change it; a capacity
      // metric (healthy hosts x per-host capacity) does, for policies that read capacity from a signal.
      const capacity = Object.fromEntries(service.regions.map((r) => [r.code, truth.capacity(t, r.code)]));
      observatory.record({ tMs: t, loadByRegion: load, capacityByRegion: capacity, demandByClientGroup: truth.demandByClientGroup() });
      probes.advance(t, routing, keepMs);
      if (i % decideEvery === 0 && i > 0) {
        await controller.decide({ tMs: t, truth, observatory, service });
        const plan = controller instanceof GaSteerController ? controller.plans.at(-1) : undefined;
        if (plan !== undefined) input.onPlan?.(plan);
      }

      const latency = truth.latency();
      const bounds = input.bounds !== undefined ? await input.bounds({ atCapacity: problemAt(service, truth, t, false), atTarget: problemAt(service, truth, t, true) }, i) : undefined;
      series.push({
        t: new Date(t).toISOString(),
        dials: controller.dials(),
        utilizationPercent: Object.fromEntries(service.regions.map((r) => [r.code, round(((load[r.code] ?? 0) / Math.max(1e-9, truth.capacity(t, r.code))) * 100)])),
        meanLatencyMs: round(latency.meanMs),
        p95LatencyMs: round(latency.p95Ms),
        ...(bounds !== undefined
          ? {
              lpBoundMeanMs: round(bounds.lpMeanMs),
              bestDialMeanMs: round(bounds.bestDialMeanMs),
              lpTargetMeanMs: round(bounds.lpTargetMeanMs),
              bestDialTargetMeanMs: round(bounds.bestDialTargetMeanMs),
            }
          : {}),
      });
      input.onStep?.(i, steps);
    }
  } finally {
    await controller.close();
  }
  const holds: Record<string, number> = {};
  const holdMessages: Record<string, string> = {};
  if (controller instanceof GaSteerController) {
    for (const p of controller.plans) {
      for (const h of p.holds) {
        holds[h.reason] = (holds[h.reason] ?? 0) + 1;
        holdMessages[h.reason] = `${p.generatedAt}: ${h.message}`;
      }
    }
  }
  return {
    controller: input.label ?? controller.name,
    scenario: scenario.name,
    seed: scenario.seed,
    stepSeconds: scenario.stepSeconds,
    series,
    changes: controller.changes,
    figures: computeFigures(series, controller.changes, service, scenario),
    holds,
    holdMessages,
  };
}

/** One instant's assignment problem: each Region usable up to its capacity (`atTarget`: up to its target). */
function problemAt(service: ServiceModel, truth: TruthWorld, t: number, atTarget: boolean): AssignmentProblem {
  return {
    regions: service.regions.map((r) => ({ code: r.code, capacity: (truth.capacity(t, r.code) * (atTarget ? r.targetPercent : 100)) / 100 })),
    metros: service.metros,
    demand: truth.demand(),
    capacityFraction: 1,
    unhealthy: new Set(service.regions.filter((r) => !truth.timeline.healthy(t, r.code)).map((r) => r.code)),
  };
}

async function makeController(
  kind: ControllerKind,
  ctx: { policy: Policy; service: ServiceModel; timeline: ScenarioTimeline; observatory: Observatory; clock: SimClock; scenario: Scenario; probes: SimulatedProbes },
): Promise<SimController> {
  const loadLagMs = ctx.scenario.measurement.loadLagSeconds * 1000;
  // The baselines turn one dial per Region: start it at the mean of the scenario's listeners' dials.
  const listenerCount = Math.max(1, ctx.policy.accelerator.listeners.length);
  const initial = Object.fromEntries(
    ctx.service.regions.map((r) => {
      let sum = 0;
      for (let l = 0; l < listenerCount; l += 1) sum += ctx.scenario.service.initialDials.find((d) => d.region === r.code && d.listener === l)?.percent ?? 100;
      return [r.code, sum / listenerCount];
    }),
  );
  switch (kind) {
    case 'ga-alone':
      return new NoController(ctx.service, ctx.timeline, initial);
    case 'fixed-dial':
      return new FixedDialController(ctx.service, ctx.timeline, ctx.scenario.baselines.fixedDials, initial);
    case 'threshold':
      return new ThresholdController(ctx.service, ctx.timeline, ctx.scenario.baselines.threshold, loadLagMs + 60_000, initial);
    case 'waterfall-oracle':
      return new WaterfallOracle(ctx.service, ctx.timeline);
    case 'ga-steer':
      return GaSteerController.start({
        name: `ga-steer:${ctx.policy.name}`,
        policy: ctx.policy,
        service: ctx.service,
        timeline: ctx.timeline,
        observatory: ctx.observatory,
        clock: ctx.clock,
        signals: new SimulationSignalSource(ctx.probes, ctx.observatory, ctx.scenario.measurement.demandLagSeconds * 1000, ctx.service.metros),
        loadLagMs,
        initialDials: ctx.scenario.service.initialDials,
      });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
