// Decision time at scale: 20 Regions x 5 listeners (100 endpoint groups), 10,000 probes over the world's
// metros summarised into client groups, timed for evaluate() alone and for the summarisation before it
// (buildDecisionCase takes other sizes, to see how the time scales).
// Two figures: warm decisions (a long-running controller or a warm Lambda container, after a few
// untimed ones: V8 has compiled the planner by then) and the cold first decision of a fresh process
// (the planner's code still interpreted), each process building the case before its first decision.
// Beside them, labelled apart, a steady-state figure: the same process after 300 decisions.
// `node --import tsx bench/decision.ts [--cold]`: the result, or (--cold) one fresh process's first decision.
// benchDecisionScaling: the same decision at other sizes, each in a fresh process (`--scaling JSON` runs one).

import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarizeLanding, summarizeLatency } from '../src/signals/summarize-samples.js';
import type { LandingSample, LatencySample } from '../src/domain/samples.js';
import * as z from 'zod';
import { emptyControllerState } from '../src/planner/controller-state.js';
import type { Plan } from '../src/plan/types.js';
import { evaluate } from '../src/planner/evaluate.js';
import { policySchema, type Policy } from '../src/policy/schema.js';
import { snapshotSchema, type Snapshot } from '../src/snapshot/schema.js';
import { Random } from '../src/sim/random.js';
import { loadWorld } from '../src/sim/world/load-world.js';

/** The benchmark's figures: the case's sizes and summarisation time, then the decision's timings. */
export interface DecisionBenchResult extends Omit<DecisionCase, 'policy' | 'snapshot' | 'now'> {
  /** Of the warm decisions: `runs` timed after `warmupRuns` untimed ones in the same process. */
  readonly evaluateMedianMs: number;
  readonly evaluateP95Ms: number;
  readonly evaluateMaxMs: number;
  readonly changes: number;
  readonly runs: number;
  readonly warmupRuns: number;
  /**
   * Steady state, beside the warm figures: `runs` decisions timed in the same process after
   * `steadyAfterRuns` earlier ones (the warm ones included), by when V8 has optimised nearly all the
   * planner's code: what a controller that has run for a while spends.
   */
  readonly steadyMedianMs: number;
  readonly steadyP95Ms: number;
  readonly steadyMaxMs: number;
  readonly steadyAfterRuns: number;
  /** A fresh process's first decision, over `coldProcesses` processes. */
  readonly coldFirstMedianMs: number;
  readonly coldFirstMaxMs: number;
  readonly coldProcesses: number;
}

/** The decision the benchmark times: its inputs, and the summarisation time and sizes behind them. */
export interface DecisionCase {
  readonly policy: Policy;
  readonly snapshot: Snapshot;
  readonly now: Date;
  readonly regions: number;
  readonly listeners: number;
  readonly endpointGroups: number;
  readonly probes: number;
  readonly clientGroups: number;
  readonly latencyMeasurements: number;
  readonly summarizeMs: number;
}

/** The benchmark's sizes (other sizes: how the decision time scales). */
export interface DecisionCaseSize {
  readonly regions: number;
  readonly listeners: number;
  readonly probes: number;
}

export const BENCH_DECISION_SIZE: DecisionCaseSize = { regions: 20, listeners: 5, probes: 10_000 };

export function buildDecisionCase(size: DecisionCaseSize = BENCH_DECISION_SIZE): DecisionCase {
  const world = loadWorld();
  if (size.regions > world.regions.length) throw new RangeError(`the world has ${world.regions.length} Regions, not ${size.regions}`);
  const random = new Random(42);
  const regions = world.regions.slice(0, size.regions).map((r) => r.code);
  const acc = 'arn:aws:globalaccelerator::123456789012:accelerator/b3c4d5e6-0000-4000-8000-000000000001';
  const now = new Date('2026-11-23T18:00:00Z');
  const at = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

  // 10,000 probes where users are; each pings every Region once (RIPE Atlas-like), and resolves the anycast name.
  const metros = world.metros.filter((m) => regions.every((r) => m.rttMs[r] !== undefined));
  const cumulative: number[] = [];
  metros.reduce((s, m, i) => (cumulative[i] = s + m.demandWeight), 0);
  const total = cumulative.at(-1) ?? 1;
  const latency: LatencySample[] = [];
  const landing: LandingSample[] = [];
  for (let p = 0; p < size.probes; p += 1) {
    const x = random.next() * total;
    const m = metros[cumulative.findIndex((c) => c >= x)] ?? metros[0]!;
    const vantage = `probe-${p}`;
    const nearest = [...regions].sort((a, b) => (m.rttMs[a] ?? 0) - (m.rttMs[b] ?? 0))[0] ?? regions[0]!;
    for (const r of regions) latency.push({ clientGroup: m.countryCode, vantage, region: r, rttMs: (m.rttMs[r] ?? 100) + Math.abs(random.normal()) * 3, sent: 3, received: 3, observedAt: at(600), source: 'ripe-atlas' });
    landing.push({ clientGroup: m.countryCode, vantage, region: nearest, answer: nearest, rttMs: null, observedAt: at(600), source: 'ripe-atlas' });
  }
  const t0 = performance.now();
  const lat = summarizeLatency(latency, { now, maxAgeSeconds: 3600 });
  const land = summarizeLanding(landing, { now, maxAgeSeconds: 7200 });
  const summarizeMs = performance.now() - t0;

  const groups = [...new Set(lat.measurements.map((m) => m.clientGroup))];
  const policy = policySchema.parse({
    apiVersion: 'ga-steer.io/v1',
    name: `bench-${size.regions}-regions`,
    accelerator: { arn: acc },
    regions: Object.fromEntries(regions.map((r) => [r, { capacity: { signal: 'flows', full: 10_000 } }])),
    latency: { statistic: 'p50', budgetMs: 150, minSamples: 1 },
    guardrails: { minRegionsServing: 2 },
  });
  const listeners = Array.from({ length: size.listeners }, (_, l) => `${acc}/listener/${String(l).padStart(8, '0')}`);
  const snapshot = snapshotSchema.parse({
    snapshotVersion: 1,
    takenAt: now.toISOString(),
    accelerators: [
      {
        arn: acc,
        name: 'bench',
        status: 'DEPLOYED',
        enabled: true,
        observedAt: at(10),
        listeners: listeners.map((arn, l) => ({
          arn,
          protocol: 'TCP',
          portRanges: [{ fromPort: 443 + l, toPort: 443 + l }],
          endpointGroups: regions.map((r, i) => ({
            arn: `${arn}/endpoint-group/${String(i).padStart(12, '0')}`,
            region: r,
            trafficDialPercent: 100,
            healthCheck: { protocol: 'TCP', intervalSeconds: 30, thresholdCount: 3 },
            endpoints: [0, 1].map((e) => ({ endpointId: `i-${String(i * 10 + e).padStart(17, '0')}`, weight: 128, healthState: 'HEALTHY', clientIpPreservation: true })),
          })),
        })),
      },
    ],
    // A few Regions run hot, the rest have room.
    load: regions.map((r, i) => ({ region: r, signal: 'flows', value: i % 5 === 0 ? 9_200 : 4_000, observedAt: at(60), source: 'cloudwatch' })),
    latency: lat.measurements,
    landing: land.measurements,
    demand: groups.map((g) => ({ clientGroup: g, value: world.countries.find((c) => c.code === g)?.internetUsers ?? 1000, unit: 'users', observedAt: at(300), source: 'recorded' })),
  });

  return {
    policy,
    snapshot,
    now,
    regions: regions.length,
    listeners: listeners.length,
    endpointGroups: regions.length * listeners.length,
    probes: size.probes,
    clientGroups: groups.length,
    latencyMeasurements: lat.measurements.length,
    summarizeMs,
  };
}

export function benchDecision(runs = 40, warmupRuns = 5, coldProcesses = 5, steadyAfterRuns = 300): DecisionBenchResult {
  const decisionCase = buildDecisionCase();
  const { policy, snapshot, now, ...sizes } = decisionCase;
  for (let i = 0; i < warmupRuns; i += 1) evaluate(policy, snapshot, emptyControllerState(), now);
  const warm = timeDecisions(decisionCase, runs);
  for (let i = warmupRuns + runs; i < steadyAfterRuns; i += 1) evaluate(policy, snapshot, emptyControllerState(), now);
  const steady = timeDecisions(decisionCase, runs);
  // Each in a process of its own: this one has run the planner already.
  const cold = Array.from({ length: coldProcesses }, () => runInFreshProcess<{ coldFirstMs: number }>(['--cold']).coldFirstMs).sort((a, b) => a - b);
  return {
    ...sizes,
    evaluateMedianMs: quantile(warm.sortedMs, 0.5),
    evaluateP95Ms: quantile(warm.sortedMs, 0.95),
    evaluateMaxMs: warm.sortedMs.at(-1) ?? 0,
    changes: warm.lastPlan?.changes.length ?? 0,
    runs,
    warmupRuns,
    steadyMedianMs: quantile(steady.sortedMs, 0.5),
    steadyP95Ms: quantile(steady.sortedMs, 0.95),
    steadyMaxMs: steady.sortedMs.at(-1) ?? 0,
    steadyAfterRuns: Math.max(steadyAfterRuns, warmupRuns + runs),
    coldFirstMedianMs: cold[Math.floor(cold.length / 2)] ?? Number.NaN,
    coldFirstMaxMs: cold.at(-1) ?? Number.NaN,
    coldProcesses,
  };
}

/** `runs` decisions on the case, each timed: the times sorted (ms), and the last decision's plan. */
function timeDecisions({ policy, snapshot, now }: DecisionCase, runs: number): { sortedMs: number[]; lastPlan: Plan | undefined } {
  const times: number[] = [];
  let lastPlan: Plan | undefined;
  for (let i = 0; i < runs; i += 1) {
    const s = performance.now();
    lastPlan = evaluate(policy, snapshot, emptyControllerState(), now).plan;
    times.push(performance.now() - s);
  }
  return { sortedMs: times.sort((a, b) => a - b), lastPlan };
}

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** This file run in a fresh Node process with `args`; its output's JSON object. */
function runInFreshProcess<T>(args: readonly string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
  return JSON.parse(out.slice(out.indexOf('{'))) as T;
}

/** One size of the scaling table: its case's sizes, what the search tried, and the decision time once warm. */
export interface DecisionScalingRow {
  readonly regions: number;
  readonly listeners: number;
  readonly probes: number;
  readonly clientGroups: number;
  readonly latencyMeasurements: number;
  /** Dial settings the search tried (the plan's decision.evaluations). */
  readonly settingsTried: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** The sizes of the scaling table: the benchmark's case, then each dimension alone down and up. */
export const SCALING_SIZES: readonly DecisionCaseSize[] = [
  BENCH_DECISION_SIZE,
  { regions: 10, listeners: 5, probes: 10_000 },
  { regions: 32, listeners: 5, probes: 10_000 },
  { regions: 20, listeners: 1, probes: 10_000 },
  { regions: 20, listeners: 10, probes: 10_000 },
  { regions: 20, listeners: 5, probes: 2_500 },
  { regions: 20, listeners: 5, probes: 40_000 },
];

/**
 * How the decision time scales: each size in a fresh process, `runs` decisions timed after `warmupRuns`
 * untimed ones (past V8's warm-up, so the figures compare the work each size takes, not how soon V8
 * optimises it).
 */
export function benchDecisionScaling(sizes: readonly DecisionCaseSize[] = SCALING_SIZES, runs = 60, warmupRuns = 150): DecisionScalingRow[] {
  return sizes.map((size) => runInFreshProcess<DecisionScalingRow>(['--scaling', JSON.stringify({ size, runs, warmupRuns })]));
}

function timeSize(size: DecisionCaseSize, runs: number, warmupRuns: number): DecisionScalingRow {
  const decisionCase = buildDecisionCase(size);
  const { policy, snapshot, now, regions, listeners, probes, clientGroups, latencyMeasurements } = decisionCase;
  for (let i = 0; i < warmupRuns; i += 1) evaluate(policy, snapshot, emptyControllerState(), now);
  const { sortedMs, lastPlan } = timeDecisions(decisionCase, runs);
  const settingsTried = lastPlan?.decision?.evaluations ?? 0;
  return { regions, listeners, probes, clientGroups, latencyMeasurements, settingsTried, medianMs: quantile(sortedMs, 0.5), p95Ms: quantile(sortedMs, 0.95) };
}

/** This process's first decision (call it before any other evaluate). */
export function timeFirstDecision(): number {
  const { policy, snapshot, now } = buildDecisionCase();
  const s = performance.now();
  evaluate(policy, snapshot, emptyControllerState(), now);
  return performance.now() - s;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scaling = process.argv.indexOf('--scaling');
  if (scaling >= 0) {
    const { size, runs, warmupRuns } = scalingArgs(process.argv[scaling + 1]);
    console.log(JSON.stringify(timeSize(size, runs, warmupRuns)));
  } else console.log(process.argv.includes('--cold') ? JSON.stringify({ coldFirstMs: timeFirstDecision() }) : benchDecision());
}

/** `--scaling`'s argument, as benchDecisionScaling writes it: anything else is an error, not a silent default. */
function scalingArgs(text: string | undefined): { size: DecisionCaseSize; runs: number; warmupRuns: number } {
  const count = z.number().int().positive();
  const parsed = z
    .object({ size: z.object({ regions: count, listeners: count, probes: count }), runs: count, warmupRuns: z.number().int().min(0) })
    .safeParse(JSON.parse(text ?? 'null'));
  if (!parsed.success) throw new TypeError(`--scaling: expected {"size":{"regions","listeners","probes"},"runs","warmupRuns"}, got ${text ?? 'nothing'}`);
  return parsed.data;
}
