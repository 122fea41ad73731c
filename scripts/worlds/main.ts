// `npm run worlds`: the random-worlds campaign (issue 9). Generates `--count` worlds from `--seed`
// (world i has seed SEED * 1000 + i), runs GA alone, the threshold controller, the waterfall oracle and
// ga-steer on each with the bounds, in `--jobs` worker processes (default 2), prints one row per world
// and how many worlds meet each of the issue's criteria, and writes `--out`/summary.json and, for every
// flagged world, its scenario and policy YAML (replay: ga-steer simulate --scenario DIR/scenario.yaml).
// Progress goes to stderr. Exits 1 when a world failed to run, 0 otherwise (flags are findings).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { generateWorld } from './generate-world.js';
import { FLAG_MEANINGS, judgeWorld } from './judge-world.js';
import { runWorldsInPool } from './pool.js';
import { SCENARIO_FILE_NAME, POLICY_FILE_NAME } from './render-world.js';
import { renderSummary, renderTable, TABLE_LEGEND, type FailedWorld, type JudgedWorld } from './render-campaign.js';
import { parseCampaignArgs, CampaignArgsError } from './campaign-args.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let args;
try {
  args = parseCampaignArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof CampaignArgsError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const seeds = Array.from({ length: args.count }, (_, i) => args.seed * 1000 + i + 1);
const started = performance.now();
const clock = (): string => `${Math.round((performance.now() - started) / 1000)} s`;
let finished = 0;
process.stderr.write(
  `worlds: ${args.count} worlds from seed ${args.seed}${args.intervalSeconds !== undefined ? `, every controller deciding every ${args.intervalSeconds} s` : ''} in ${Math.min(args.jobs, args.count)} worker processes\n`,
);

const outcomes = await runWorldsInPool(seeds, args.jobs, {
  onStart: (seed) => process.stderr.write(`[${clock()}] world-${seed}: started\n`),
  onProgress: (seed, controller) => process.stderr.write(`[${clock()}] world-${seed}: ${controller}\n`),
  onDone: (o) => {
    finished += 1;
    const what = o.ok ? `done in ${o.result.seconds} s` : `FAILED: ${o.error}`;
    process.stderr.write(`[${clock()}] world-${o.seed}: ${what} (${finished}/${args.count})\n`);
  },
}, args.intervalSeconds);
const wallSeconds = (performance.now() - started) / 1000;

const judged: JudgedWorld[] = outcomes.flatMap((o) => (o.ok ? [{ result: o.result, flags: judgeWorld(o.result) }] : []));
const failed: FailedWorld[] = outcomes.flatMap((o) => (o.ok ? [] : [{ seed: o.seed, name: `world-${o.seed}`, error: o.error }]));

const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const world = loadWorld();
const flaggedDirs: Record<string, string> = {};
for (const w of judged.filter((j) => j.flags.length > 0)) {
  const dir = join(outDir, w.result.name);
  mkdirSync(dir, { recursive: true });
  const files = generateWorld(w.result.seed, world, relative(dir, join(REPO_ROOT, 'schemas')), args.intervalSeconds).files;
  writeFileSync(join(dir, SCENARIO_FILE_NAME), files.scenario);
  writeFileSync(join(dir, POLICY_FILE_NAME), files.policy);
  flaggedDirs[w.result.name] = relative(process.cwd(), dir) || '.';
}

const summary = renderSummary(judged, failed, wallSeconds);
writeFileSync(
  join(outDir, 'summary.json'),
  `${JSON.stringify(
    {
      seed: args.seed,
      count: args.count,
      ...(args.intervalSeconds !== undefined ? { controllerIntervalSeconds: args.intervalSeconds } : {}),
      wallSeconds: Math.round(wallSeconds),
      feasibility: 'best-dial bound at capacity (5-point grid, ground-truth routing), every 10 simulated minutes, held in between',
      flags: FLAG_MEANINGS,
      worlds: judged.map((j) => ({ ...j.result, flags: j.flags, ...(flaggedDirs[j.result.name] !== undefined ? { files: flaggedDirs[j.result.name] } : {}) })),
      failed,
    },
    null,
    2,
  )}\n`,
);

const flaggedLines = judged
  .filter((j) => j.flags.length > 0)
  .flatMap((j) => [
    `${j.result.name} [${j.flags.join(' ')}]: npx tsx src/cli/main.ts simulate --scenario ${join(flaggedDirs[j.result.name] ?? '', SCENARIO_FILE_NAME)}`,
    `    ga-steer holds: ${Object.entries(j.result.holds).sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} x${n}`).join(', ') || 'none'}`,
    ...j.result.trace.map((t) => `    ${t}`),
  ]);
process.stdout.write(
  [renderTable(judged), '', ...TABLE_LEGEND, '', summary, '', ...(flaggedLines.length > 0 ? ['Flagged worlds (scenario and policy written beside summary.json):', ...flaggedLines] : []), ''].join('\n'),
  () => process.exit(failed.length > 0 ? 1 : 0),
);
