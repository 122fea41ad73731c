// ga-steer in the loop, as in production: the real control cycle (collectors, planner, apply through
// the AWS SDK) against the emulator, whose clock is the simulation's. The emulator's dials are the
// truth's dials; the truth's health is the emulator's endpoint health.

import { MemoryStateStore } from '../../adapters/state/memory-state-store.js';
import { runControlCycle } from '../../app/control-cycle.js';
import { wireLive, type LiveWiring } from '../../app/live-wiring.js';
import type { RegionCode } from '../../domain/traffic.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import type { Plan } from '../../plan/types.js';
import type { Policy } from '../../policy/schema.js';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import { CloudWatchPublisher } from '../measure/cloudwatch-publisher.js';
import type { Observatory } from '../measure/observatory.js';
import type { SignalSource } from '../../ports/signal-source.js';
import type { ServiceModel } from '../service-model.js';
import type { ScenarioTimeline } from '../truth/scenario-timeline.js';
import type { RoutingFn } from '../truth/truth-world.js';
import { gaRoutingPerListener, type ChangeRecord, type ControllerContext, type SimController } from './controller.js';

export interface SimClock {
  nowMs: number;
}

/** The accelerator the policy governs, with one NLB endpoint per Region and listener. */
export function topologyFor(policy: Policy, service: ServiceModel, atMs: number, initialDials: readonly { region: string; listener: number; percent: number }[] = []): AcceleratorTopology {
  const accountId = /::(\d{12}):/.exec(policy.accelerator.arn)?.[1] ?? '123456789012';
  const listeners = policy.accelerator.listeners.length > 0 ? policy.accelerator.listeners : [`${policy.accelerator.arn}/listener/a1b2c3d4`];
  return {
    arn: policy.accelerator.arn,
    name: policy.name,
    status: 'DEPLOYED',
    enabled: true,
    observedAt: new Date(atMs).toISOString(),
    listeners: listeners.map((arn, li) => ({
      arn,
      protocol: 'TCP' as const,
      portRanges: [{ fromPort: 443 + li, toPort: 443 + li }],
      clientAffinity: 'NONE' as const,
      endpointGroups: service.regions.map((r, ri) => ({
        arn: `${arn}/endpoint-group/${(li * 100 + ri).toString(16).padStart(12, '0')}`,
        region: r.code,
        trafficDialPercent: initialDials.find((d) => d.region === r.code && d.listener === li)?.percent ?? 100,
        healthCheck: { protocol: 'TCP' as const, port: 443 + li, intervalSeconds: 10, thresholdCount: 3 },
        endpoints: [
          {
            endpointId: `arn:aws:elasticloadbalancing:${r.code}:${accountId}:loadbalancer/net/sim-${r.code}/${(ri + 1).toString(16).padStart(16, '0')}`,
            weight: 128,
            healthState: 'HEALTHY' as const,
            clientIpPreservation: false,
          },
        ],
      })),
    })),
  };
}

export class GaSteerController implements SimController {
  readonly changes: ChangeRecord[] = [];
  readonly plans: Plan[] = [];
  private constructor(
    readonly name: string,
    private readonly emulator: Emulator,
    private readonly wiring: LiveWiring,
    private readonly policy: Policy,
    private readonly service: ServiceModel,
    private readonly timeline: ScenarioTimeline,
    private readonly publisher: CloudWatchPublisher,
    private readonly observatory: Observatory,
  ) {}

  static async start(options: {
    name: string;
    policy: Policy;
    service: ServiceModel;
    timeline: ScenarioTimeline;
    observatory: Observatory;
    clock: SimClock;
    signals: SignalSource;
    loadLagMs: number;
    initialDials?: readonly { region: string; listener: number; percent: number }[];
  }): Promise<GaSteerController> {
    const { policy, service, clock } = options;
    const emulator = await startEmulator({ topology: [topologyFor(policy, service, clock.nowMs, options.initialDials)], now: () => clock.nowMs, deployDelayMs: 30_000 });
    // Waits (deployment polls, retry back-off) pass simulated time, not real time.
    const sleep = async (ms: number): Promise<void> => {
      clock.nowMs += ms;
    };
    const wiring = wireLive(policy, {
      endpointUrl: emulator.url,
      env: {},
      stateStore: new MemoryStateStore(),
      notify: false,
      log: () => undefined,
      clock: { now: () => new Date(clock.nowMs) },
      sleep,
      pollIntervalMs: 5_000,
      deployTimeoutMs: 600_000,
      extraSources: [options.signals],
      // The simulated probes stand in for the policy's RIPE Atlas measurements and synthetic feeds.
      policySources: false,
    });
    const publisher = new CloudWatchPublisher(emulator.metrics, policy, options.loadLagMs);
    return new GaSteerController(options.name, emulator, wiring, policy, service, options.timeline, publisher, options.observatory);
  }

  sync(tMs: number): void {
    for (const l of this.emulator.ga.accelerators[0]?.listeners ?? []) {
      for (const g of l.endpointGroups) {
        const healthy = this.timeline.healthy(tMs, g.region);
        for (const e of g.endpoints) {
          if (healthy && e.healthState === 'UNHEALTHY') this.emulator.ga.setEndpointHealth(g.arn, e.endpointId, 'HEALTHY');
          if (!healthy && e.healthState !== 'UNHEALTHY') this.emulator.ga.setEndpointHealth(g.arn, e.endpointId, 'UNHEALTHY', 'Health checks failed');
        }
      }
    }
    this.publisher.publish(this.observatory, tMs);
  }

  async decide(ctx: ControllerContext): Promise<void> {
    const before = this.dials();
    const { plan, report } = await runControlCycle(this.wiring.deps, this.policy, 'apply');
    this.plans.push(plan);
    const applied = (report?.changes ?? []).filter((c) => c.status === 'applied').map((c) => c.change);
    const after = this.dials();
    const t = new Date(ctx.tMs).toISOString();
    // One record per Region and kind: the plan changes each listener's group of a Region separately.
    const seen = new Set<string>();
    for (const change of applied) {
      const region = change.address.region;
      if (seen.has(`${region}|${change.kind}`)) continue;
      seen.add(`${region}|${change.kind}`);
      this.changes.push(
        change.kind === 'dial'
          ? { t, region, kind: 'dial', before: before[region] ?? 100, after: after[region] ?? 100, reason: change.reason }
          : { t, region, kind: 'weights', before: 0, after: 0, reason: change.reason },
      );
    }
  }

  /** Each Region's dial: the mean over its endpoint groups (one per listener). */
  dials(): Record<RegionCode, number> {
    const sums = new Map<RegionCode, { sum: number; n: number }>();
    for (const l of this.emulator.ga.accelerators[0]?.listeners ?? []) {
      for (const g of l.endpointGroups) {
        const s = sums.get(g.region) ?? { sum: 0, n: 0 };
        s.sum += g.trafficDialPercent;
        s.n += 1;
        sums.set(g.region, s);
      }
    }
    return Object.fromEntries(this.service.regions.map((r) => {
      const s = sums.get(r.code);
      return [r.code, s !== undefined && s.n > 0 ? s.sum / s.n : 100];
    }));
  }

  /** Each listener's dials, as the emulator holds them. */
  listenerDials(): Record<RegionCode, number>[] {
    return (this.emulator.ga.accelerators[0]?.listeners ?? []).map((l) => Object.fromEntries(l.endpointGroups.map((g) => [g.region, g.trafficDialPercent])));
  }

  routing(tMs: number): RoutingFn {
    return gaRoutingPerListener(this.service, this.timeline, tMs, this.listenerDials());
  }

  async close(): Promise<void> {
    this.wiring.close();
    await this.emulator.close();
  }
}
