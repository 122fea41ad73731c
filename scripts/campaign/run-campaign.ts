// The fault campaign: many full control cycles (read -> evaluate -> apply through the AWS SDK) against
// the emulator, in simulated time, with faults drawn from a seeded generator, and every cycle judged
// by campaign-checks.ts. Deterministic for a seed, except where real-time call deadlines cut slow
// answers (hangs, stalls, trickles), which end the same way every time.

import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore } from '../../src/adapters/state/file-state-store.js';
import { runControlCycle, type ControlCycleDeps, type CycleResult } from '../../src/app/control-cycle.js';
import { wireLive } from '../../src/app/live-wiring.js';
import { CloudWatchService } from '../../src/emulator/cloudwatch/service.js';
import { MetricStore } from '../../src/emulator/cloudwatch/metric-store.js';
import { FaultInjector, type FaultRuleInput, type HumanEdit } from '../../src/emulator/faults.js';
import { applyHumanEdit } from '../../src/emulator/global-accelerator/human-edit.js';
import { GlobalAcceleratorService } from '../../src/emulator/global-accelerator/service.js';
import { GaStore, type GaEndpointGroup } from '../../src/emulator/global-accelerator/store.js';
import { startEmulatorServer, type HttpRoute } from '../../src/emulator/http-server.js';
import type { EmulatedService } from '../../src/emulator/service.js';
import { emulateSignals } from '../../src/emulator/signals/emulated-signals.js';
import type { ControllerState } from '../../src/planner/controller-state.js';
import type { AcceleratorGateway } from '../../src/ports/accelerator-gateway.js';
import type { Policy } from '../../src/policy/schema.js';
import { Random } from '../../src/sim/random.js';
import { CampaignChecker, viewOf, type CycleOutcome, type GroupView, type Violation } from './campaign-checks.js';
import { buildWorld, LoadPublisher, type CampaignWorld } from './campaign-world.js';

export interface CampaignOptions {
  readonly seed: number;
  readonly cycles: number;
  /** Progress lines (every `progressEvery` cycles). */
  readonly log?: (line: string) => void;
  readonly progressEvery?: number;
  /** Decimals of the dials people set (default 1). */
  readonly humanDialDecimals?: number;
  /** Asked before each cycle: true stops the campaign there, with the figures of the cycles run. */
  readonly stop?: () => boolean;
}

export interface CampaignResult {
  readonly cycles: number;
  readonly faults: ReadonlyMap<string, number>;
  readonly counts: ReadonlyMap<string, number>;
  readonly violations: readonly Violation[];
  readonly elapsedMs: number;
}

const START_MS = Date.UTC(2026, 11, 1, 6, 0, 0);
const SMALL_SKEW_MS = 45_000;
/** Real-time deadline of each AWS attempt: far above a loopback answer, so only hangs and stalls reach it. */
const ATTEMPT_TIMEOUT_MS = 500;

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const world = buildWorld();
  const { policy } = world;
  const rng = new Random(options.seed);
  const faultRng = rng.fork('faults');
  const noise = rng.fork('noise');
  const retryRandom = rng.fork('retry');
  const truth = { ms: START_MS };
  const trueNow = (): number => truth.ms;
  const checker = new CampaignChecker(policy, 2 * SMALL_SKEW_MS);
  const faultCounts = new Map<string, number>();
  const countFault = (kind: string, n = 1): void => void faultCounts.set(kind, (faultCounts.get(kind) ?? 0) + n);

  const ga = GaStore.fromTopology(world.topology, { now: trueNow, deployDelayMs: 20_000 });
  const metrics = new MetricStore(trueNow);
  const faults = new FaultInjector();
  const accelerator = ga.accelerators[0];
  if (accelerator === undefined) throw new Error('the campaign world has no accelerator');
  // A result per probe every 15 minutes: fresh enough for the latency limit (1 h), and a third of the parsing.
  const signals = emulateSignals({ snapshot: world.signalSnapshot, policy, anycastAddress: accelerator.ipAddresses[0], intervalSeconds: 900 }, trueNow);
  const outage = { atlasUntilCycle: -1, atlasDownSinceMs: undefined as number | undefined };
  let cycleIndex = 0;
  const groupsNow = (): Map<string, GroupView> => new Map(accelerator.listeners.flatMap((l) => l.endpointGroups.map((g) => [g.arn, viewOf(g, l.arn)] as const)));

  const server = await startEmulatorServer({
    services: [auditedGa(new GlobalAcceleratorService(ga), ga, checker, groupsNow), new CloudWatchService(metrics)],
    routes: signals.routes.map((r) => withOutage(r, () => cycleIndex <= outage.atlasUntilCycle)),
    faults,
    // The emulator's clock is the true one; the controller's is skewed (`skew`).
    now: trueNow,
    applyHumanEdit: (edit) => {
      applyHumanEdit(ga, edit);
      checker.humanEdited(edit);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ga-steer-campaign-'));
  const stateFile = join(dir, 'state.json');
  const publisher = new LoadPublisher(metrics, world.series);
  const skew = { ms: 0 };
  const sleep = async (ms: number): Promise<void> => {
    truth.ms += ms;
    await new Promise<void>((r) => setImmediate(r));
  };
  const wire = (name: string, reuse: boolean) =>
    wireLive(policy, {
      endpointUrl: server.url,
      env: {},
      stateStore: new FileStateStore(stateFile),
      lease: { owner: `campaign ${name}`, ttlMs: 300_000 },
      notify: false,
      log: () => undefined,
      clock: { now: () => new Date(truth.ms + skew.ms) },
      retry: { maxAttempts: 3, budgetMs: 20_000, baseDelayMs: 400, maxDelayMs: 4_000, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, random: () => retryRandom.next() },
      sleep,
      deployTimeoutMs: 60_000,
      pollIntervalMs: 5_000,
      atlasBaseUrl: server.url,
      reuseSources: reuse,
    });
  const main = wire('a', true);
  const humans = new HumanConsole(faultRng, options.humanDialDecimals ?? 1);
  const gaps = new Map<string, number>();
  const unhealthy = new Map<string, { arn: string; endpointId: string; untilCycle: number }>();

  try {
    for (cycleIndex = 0; cycleIndex < options.cycles && options.stop?.() !== true; cycleIndex += 1) {
      truth.ms += 60_000 + Math.floor(faultRng.next() * 20_000);
      const f = faultRng;
      // The clock, health, deployment, CloudWatch gaps and RIPE Atlas: what this cycle's world is like.
      const roll = f.next();
      skew.ms = roll < 0.1 ? Math.round((f.next() * 2 - 1) * SMALL_SKEW_MS) : roll < 0.12 ? (f.next() < 0.5 ? -1 : 1) * (200_000 + Math.round(f.next() * 700_000)) : 0;
      if (skew.ms !== 0) countFault(Math.abs(skew.ms) > SMALL_SKEW_MS ? 'clock skew (large)' : 'clock skew (small)');
      for (const [key, u] of unhealthy) {
        if (u.untilCycle >= cycleIndex) continue;
        unhealthy.delete(key);
        // A person may have removed the endpoint (or its group) while it was down: nothing to heal then.
        try {
          ga.setEndpointHealth(u.arn, u.endpointId, 'HEALTHY');
        } catch (e) {
          if (!(e instanceof Error && e.message.startsWith('no '))) throw e;
        }
      }
      if (f.next() < 0.03) {
        const g = pick(f, accelerator.listeners.flatMap((l) => l.endpointGroups));
        const e = g === undefined ? undefined : pick(f, g.endpoints);
        if (g !== undefined && e !== undefined) {
          ga.setEndpointHealth(g.arn, e.endpointId, 'UNHEALTHY', 'campaign');
          unhealthy.set(`${g.arn} ${e.endpointId}`, { arn: g.arn, endpointId: e.endpointId, untilCycle: cycleIndex + 1 + Math.floor(f.next() * 10) });
          countFault('endpoint unhealthy');
        }
      }
      if (f.next() < 0.03) {
        accelerator.deployedAtMs = truth.ms + (1 + Math.floor(f.next() * 5)) * 70_000;
        countFault('deploy stuck IN_PROGRESS');
      }
      if (f.next() < 0.06) {
        const s = pick(f, world.series);
        if (s !== undefined) {
          gaps.set(s.name, cycleIndex + 1 + Math.floor(f.next() * (f.next() < 0.3 ? 12 : 3)));
          countFault('CloudWatch gap');
        }
      }
      for (const [name, until] of gaps) if (until < cycleIndex) gaps.delete(name);
      if (cycleIndex > outage.atlasUntilCycle && f.next() < 0.02) {
        outage.atlasUntilCycle = cycleIndex + (f.next() < 0.2 ? 60 + Math.floor(f.next() * 30) : 1 + Math.floor(f.next() * 10));
        outage.atlasDownSinceMs = truth.ms;
        countFault('RIPE Atlas outage');
      }
      if (cycleIndex > outage.atlasUntilCycle) outage.atlasDownSinceMs = undefined;
      publisher.publish(truth.ms, new Set(gaps.keys()), noise);

      // People at the console, at every moment of the cycle, and faults on the calls.
      checker.beginCycle(cycleTruth(world, cycleIndex, truth.ms, skew.ms, publisher, outage.atlasDownSinceMs, groupsNow()));
      const rules: { rule: FaultRuleInput; label: string }[] = [];
      const edit = (): HumanEdit | undefined => humans.edit(accelerator.listeners.flatMap((l) => l.endpointGroups));
      if (f.next() < 0.12) {
        const e = edit();
        if (e !== undefined) {
          applyHumanEdit(ga, e);
          checker.humanEdited(e);
          countFault('human edit before the read');
        }
      }
      const editRule = (operation: string, label: string, after = 0): void => {
        const e = edit();
        if (e !== undefined) rules.push({ rule: { operation, kind: 'concurrent-edit', edit: e, after }, label });
      };
      if (f.next() < 0.1) editRule('GetMetricData', 'human edit between plan and apply');
      if (f.next() < 0.08) {
        editRule('UpdateEndpointGroup', 'human edit during a retry back-off');
        rules.push({ rule: { operation: 'UpdateEndpointGroup', kind: f.next() < 0.5 ? 'throttle' : 'server-error' }, label: 'write failed before the back-off' });
      }
      if (f.next() < 0.08) editRule('UpdateEndpointGroup', 'human edit after a write');
      if (f.next() < 0.04) editRule('DescribeEndpointGroup', 'human edit between the apply read and its write');
      if (f.next() < 0.25) {
        const op = pick(f, ['DescribeAccelerator', 'ListListeners', 'ListEndpointGroups', 'DescribeEndpointGroup']) ?? 'DescribeAccelerator';
        const kind = pick(f, ['throttle', 'throttle', 'server-error', 'server-error', 'latency', 'disconnect', 'drop-response', 'hang', 'stall-body'] as const) ?? 'throttle';
        rules.push({ rule: { operation: op, kind, after: Math.floor(f.next() * 3), times: 1 + Math.floor(f.next() * 2), delayMs: kind === 'latency' ? 30 : 0 }, label: `${op} ${kind}` });
      }
      if (f.next() < 0.3) {
        const kind = pick(f, ['throttle', 'throttle', 'server-error', 'server-error', 'disconnect', 'drop-response', 'drop-response', 'latency', 'hang', 'stall-body'] as const) ?? 'throttle';
        rules.push({ rule: { operation: 'UpdateEndpointGroup', kind, times: 1 + Math.floor(f.next() * 3), delayMs: kind === 'latency' ? 30 : 0 }, label: `UpdateEndpointGroup ${kind}` });
      }
      if (f.next() < 0.15) {
        const kind = pick(f, ['throttle', 'server-error', 'disconnect', 'latency', 'hang'] as const) ?? 'throttle';
        rules.push({ rule: { operation: 'GetMetricData', kind, times: 1 + Math.floor(f.next() * 4), delayMs: kind === 'latency' ? 30 : 0 }, label: `GetMetricData ${kind}` });
      }
      for (const r of rules) faults.add(r.rule);
      const concurrent = f.next() < 0.05;

      const runs: Promise<CycleOutcome>[] = [runOne(main.deps, policy, checker)];
      let second: ReturnType<typeof wire> | undefined;
      if (concurrent) {
        second = wire('b', false);
        countFault('concurrent invocation');
        runs.push(runOne(second.deps, policy, checker));
      }
      const outcomes = await Promise.all(runs);
      second?.close();
      faults.firedCounts().forEach((n, i) => {
        const label = rules[i]?.label;
        if (label !== undefined && n > 0) countFault(label, n);
      });
      faults.clear();
      ga.settle();
      checker.endCycle(outcomes, groupsNow(), await loadState(stateFile));
      if (options.progressEvery !== undefined && (cycleIndex + 1) % options.progressEvery === 0) {
        options.log?.(`${cycleIndex + 1} cycles, ${checker.violations.length} violations, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    }
  } finally {
    main.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { cycles: checker.counts.get('cycles') ?? 0, faults: faultCounts, counts: checker.counts, violations: checker.violations, elapsedMs: Date.now() - started };
}

async function runOne(deps: ControlCycleDeps, policy: Policy, checker: CampaignChecker): Promise<CycleOutcome> {
  const observed: ControlCycleDeps = { ...deps, gateway: observedGateway(deps.gateway, checker), notifier: { notify: async (alert) => checker.alerted(alert.events) } };
  let result: CycleResult;
  try {
    result = await runControlCycle(observed, policy, 'apply');
  } catch (e) {
    return { plan: undefined, report: undefined, leaseStatus: 'error', error: e instanceof Error ? e.name : 'thrown' };
  }
  return { plan: result.plan, report: result.report, leaseStatus: result.lease.status, error: undefined };
}

/** The gateway as the cycle uses it, telling the checker what was read and which plan is being applied. */
function observedGateway(inner: AcceleratorGateway, checker: CampaignChecker): AcceleratorGateway {
  return {
    readTopology: async (arn, listeners) => {
      const topology = await inner.readTopology(arn, listeners);
      checker.topologyRead(topology);
      return topology;
    },
    applyPlan: async (plan, guard) => {
      checker.applyStarted(plan);
      try {
        return await inner.applyPlan(plan, guard);
      } finally {
        checker.applyEnded(plan);
      }
    },
  };
}

/** The emulated GA, with every served UpdateEndpointGroup shown to the checker with the group as it was. */
function auditedGa(inner: GlobalAcceleratorService, store: GaStore, checker: CampaignChecker, groups: () => ReadonlyMap<string, GroupView>): EmulatedService {
  return {
    targetPrefix: inner.targetPrefix,
    errorNamespace: inner.errorNamespace,
    protocol: inner.protocol,
    messageMember: inner.messageMember,
    operations: inner.operations,
    async handle(operation, input, context) {
      const arn = String(input['EndpointGroupArn'] ?? '');
      const found = operation === 'UpdateEndpointGroup' || operation === 'DescribeEndpointGroup' ? store.findEndpointGroup(arn) : undefined;
      const before = found === undefined ? undefined : viewOf(structuredClone(found.group), found.listener.arn);
      const output = await inner.handle(operation, input);
      void context;
      if (found !== undefined && before !== undefined) {
        if (operation === 'DescribeEndpointGroup') checker.described(arn, found.group, found.listener.arn);
        else checker.written(input, before, groups);
      }
      return output;
    },
  };
}

/** A plain HTTP API (RIPE Atlas) that answers 503 while an outage lasts. */
function withOutage(route: HttpRoute, down: () => boolean): HttpRoute {
  return {
    matches: (pathname) => route.matches(pathname),
    handle: (req: IncomingMessage, res: ServerResponse, url: URL) => {
      if (!down()) return route.handle(req, res, url);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"status":503,"title":"Service Unavailable"}}');
      return undefined;
    },
  };
}

/** People at the console: dials set to values ga-steer never picks, weights moved, endpoints added and removed. */
class HumanConsole {
  private added = 0;
  private edits = 0;
  constructor(
    private readonly rng: Random,
    private readonly dialDecimals: number,
  ) {}

  edit(groups: readonly GaEndpointGroup[]): HumanEdit | undefined {
    const g = pick(this.rng, groups);
    if (g === undefined) return undefined;
    this.edits += 1;
    const roll = this.rng.next();
    if (roll < 0.4) {
      // Off the planner's 0.5 % grid, so a person's value is always a change. With one decimal by default:
      // the planner rounds dials to 0.1 and turns a held group's 98.94 into a 98.9 "change"
      // (CAMPAIGN_HUMAN_DIAL_DECIMALS=2 shows it; see the report of this campaign).
      const scale = 10 ** this.dialDecimals;
      let dial = Math.round((10 + this.rng.next() * 89) * scale) / scale;
      if (Math.abs(dial * 2 - Math.round(dial * 2)) < 1e-9) dial = Math.round((dial + 0.3) * scale) / scale;
      return { endpointGroupArn: g.arn, trafficDialPercent: dial };
    }
    const mine = g.endpoints.filter((e) => e.endpointId.startsWith('i-0c'));
    if (roll < 0.55 && mine.length < 2 && g.endpoints.length < 5) {
      this.added += 1;
      return { endpointGroupArn: g.arn, addEndpoint: { endpointId: `i-0c${this.added.toString(16).padStart(15, '0')}`, weight: 1 + Math.floor(this.rng.next() * 254) } };
    }
    if (roll < 0.7 && mine.length > 0) {
      const e = pick(this.rng, mine);
      if (e !== undefined) return { endpointGroupArn: g.arn, removeEndpointId: e.endpointId };
    }
    const e = pick(this.rng, g.endpoints);
    if (e === undefined) return undefined;
    let weight = Math.floor(this.rng.next() * 256);
    if (weight === e.weight) weight = (weight + 1) % 256;
    return { endpointGroupArn: g.arn, weights: { [e.endpointId]: weight } };
  }
}

/** Which signals are stale by the true clock: beyond their limit, one period, and the skew allowance. */
function cycleTruth(world: CampaignWorld, index: number, nowMs: number, skewMs: number, publisher: LoadPublisher, atlasDownSinceMs: number | undefined, groups: ReadonlyMap<string, GroupView>) {
  const ages = world.policy.guardrails.maxSignalAgeSeconds;
  const slackMs = 60_000 + SMALL_SKEW_MS + 60_000;
  const staleSignals: string[] = [];
  const staleEndpoints = new Set<string>();
  for (const s of world.series) {
    const newest = publisher.newestMs.get(s.name);
    const limitMs = (s.kind === 'demand' ? ages.demand : ages.load) * 1000 + s.periodSeconds * 1000 + slackMs;
    if (newest !== undefined && nowMs - newest <= limitMs) continue;
    if (s.kind === 'endpoint-load' && s.endpointId !== undefined) staleEndpoints.add(s.endpointId);
    else staleSignals.push(s.name);
  }
  // Without a fresh Region-wide reading the planner reads the Region as the sum of its endpoints'
  // readings (signal-view.ts): the Region's load is stale only when one of those is stale too.
  for (const s of world.series) {
    if (s.kind !== 'region-load' || !staleSignals.includes(s.name)) continue;
    const endpoints = world.series.filter((e) => e.kind === 'endpoint-load' && e.region === s.region);
    if (endpoints.length > 0 && endpoints.every((e) => e.endpointId !== undefined && !staleEndpoints.has(e.endpointId))) staleSignals.splice(staleSignals.indexOf(s.name), 1);
  }
  // RIPE Atlas results come every 300 s: the newest before an outage is at most that old when it starts.
  if (atlasDownSinceMs !== undefined && nowMs - atlasDownSinceMs > (ages.latency + 300) * 1000 + slackMs) staleSignals.push('RIPE Atlas latency');
  return { index, startMs: nowMs, skewMs, largeSkew: Math.abs(skewMs) > SMALL_SKEW_MS, staleSignals, staleEndpoints, groups };
}

async function loadState(file: string): Promise<ControllerState | undefined> {
  try {
    return await new FileStateStore(file).load();
  } catch {
    return undefined;
  }
}

function pick<T>(rng: Random, xs: readonly T[]): T | undefined {
  return xs[Math.floor(rng.next() * xs.length)];
}
