// One world's ga-steer run, decision by decision: per Region the truth, what the plan measured, what it
// predicted with the dials unchanged and with its own setting, the dial it set, and the plan's holds.
// The table to read when a campaign flags a world: where the prediction and the truth part, and what
// the planner did about it.
//
// npm run worlds:trace -- SCENARIO.yaml [--from MINUTE] [--to MINUTE]

import { pathToFileURL } from 'node:url';
import type { RegionCode } from '../../src/domain/traffic.js';
import type { Plan } from '../../src/plan/types.js';
import { runSimulation, type SeriesPoint } from '../../src/sim/run-simulation.js';
import { loadScenarioFile } from '../../src/sim/scenario/load-scenario.js';
import { loadWorld } from '../../src/sim/world/load-world.js';

export const TRACE_LEGEND =
  'per Region: t truth, m measured by the plan, u predicted with the dials unchanged, p predicted with the plan\'s setting (utilization %), d dial (before>after); NOROOM where the plan judged the overload not absorbable by the other Regions; then the plan\'s holds';

/** A short name for a Region in the trace: eu-west-2 -> euw2, ap-southeast-1 -> aps1. */
export function shortRegion(code: RegionCode): string {
  return code.replace(/^([a-z]+)-([a-z])[a-z]*-(\d+)$/, '$1$2$3');
}

/** One row per plan, `start` the scenario's start (ms); the truth is the series point at the plan's time. */
export function traceRows(plans: readonly Plan[], series: readonly SeriesPoint[], startMs: number, fromMinute = 0, toMinute = Number.POSITIVE_INFINITY): string[] {
  const truthAt = new Map(series.map((p) => [p.t, p]));
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(0));
  const rows: string[] = [];
  for (const plan of plans) {
    const minute = (Date.parse(plan.generatedAt) - startMs) / 60_000;
    if (minute < fromMinute || minute > toMinute) continue;
    const truth = truthAt.get(plan.generatedAt);
    const cells = plan.regions.map((r) => {
      const dial = r.dialAfterPercent !== r.dialBeforePercent ? `${r.dialBeforePercent}>${r.dialAfterPercent}` : String(r.dialBeforePercent);
      return `${shortRegion(r.region)} t${pct(truth?.utilizationPercent[r.region])} m${pct(r.utilizationPercent)} u${pct(r.predictedIfUnchangedPercent)} p${pct(r.predictedUtilizationPercent)} d${dial}${r.healthy ? '' : ' DOWN'}`;
    });
    const holds = [...new Set(plan.holds.map((h) => h.reason))].join(',');
    const contained = plan.decision?.overload?.absorbable === false ? ' NOROOM' : '';
    rows.push(`${minute.toFixed(0).padStart(4)} ${cells.join(' | ')}${contained}${holds === '' ? '' : ` ${holds}`}`);
  }
  return rows;
}

function parseArgs(argv: readonly string[]): { file: string; from: number; to: number } {
  const usage = 'usage: npm run worlds:trace -- SCENARIO.yaml [--from MINUTE] [--to MINUTE]';
  let file: string | undefined;
  let from = 0;
  let to = Number.POSITIVE_INFINITY;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--from' || arg === '--to') {
      const raw = argv[++i];
      if (raw === undefined || !/^\d+$/.test(raw)) throw new Error(`${arg} needs a whole number of minutes (${usage})`);
      if (arg === '--from') from = Number(raw);
      else to = Number(raw);
    } else if (arg.startsWith('--') || file !== undefined) throw new Error(`unexpected '${arg}' (${usage})`);
    else file = arg;
  }
  if (file === undefined) throw new Error(usage);
  return { file, from, to };
}

async function main(argv: readonly string[]): Promise<void> {
  const { file, from, to } = parseArgs(argv);
  const { scenario, policy } = await loadScenarioFile(file);
  const plans: Plan[] = [];
  const run = await runSimulation({ world: loadWorld(), scenario, policy, controller: 'ga-steer', onPlan: (p) => plans.push(p) });
  const lines = [`${scenario.name}: ${TRACE_LEGEND}`, ...traceRows(plans, run.series, Date.parse(scenario.start), from, to)];
  const f = run.figures;
  lines.push(`over capacity ${f.regionMinutesOverCapacity} Region-minutes (${f.overCapacityAfterThirdCycleMinutes} after the third cycle), mean ${f.meanLatencyMs} ms, ${f.changes} changes, ${f.oscillations} reversals`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`worlds:trace: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
