// `npm run bench`: decision time at scale (and by size), RIPE Atlas stream parsing (throughput and peak memory), the
// Lambda package (zipped size, cold init), and the simulated comparison of ga-steer with the baselines and bounds. Prints tables; writes
// out/bench.json. Options: --quick (100,000 Atlas results, no 24-hour scenario), --only NAME (scenarios).

import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { AtlasStreamBenchResult } from './atlas-stream.js';
import { benchDecision, benchDecisionScaling } from './decision.js';
import { benchLambda } from './lambda.js';
import { benchSimulations } from './simulations.js';
import { renderComparisonTable } from '../src/sim/compare-controllers.js';
import { renderTextTable } from '../src/sim/text-table.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** A table with a rule under its header (first row): the simulator's renderer, cells as text. */
function table(rows: (string | number)[][]): string {
  const [header = [], ...body] = rows.map((r) => r.map(String));
  return renderTextTable(header, body, { rule: true });
}

log('decision benchmark...');
const decision = benchDecision();
console.log('\n## Decision time (evaluate, no I/O)\n');
const decisionCase = `${decision.regions} Regions x ${decision.listeners} listeners (${decision.endpointGroups} groups), ${decision.probes} probes`;
console.log(
  table([
    ['case', 'client groups', 'measurements', 'decisions', 'median ms', 'p95 ms', 'max ms', 'target', 'met'],
    [decisionCase, decision.clientGroups, decision.latencyMeasurements, `warm: ${decision.runs} after ${decision.warmupRuns} untimed`, decision.evaluateMedianMs.toFixed(1), decision.evaluateP95Ms.toFixed(1), decision.evaluateMaxMs.toFixed(1), 'p95 < 20 ms', decision.evaluateP95Ms < 20 ? 'yes' : 'NO'],
    [decisionCase, decision.clientGroups, decision.latencyMeasurements, `cold: first of ${decision.coldProcesses} fresh processes`, decision.coldFirstMedianMs.toFixed(1), '-', decision.coldFirstMaxMs.toFixed(1), '', ''],
    [decisionCase, decision.clientGroups, decision.latencyMeasurements, `steady: ${decision.runs} after ${decision.steadyAfterRuns} earlier`, decision.steadyMedianMs.toFixed(1), decision.steadyP95Ms.toFixed(1), decision.steadyMaxMs.toFixed(1), '', ''],
  ]),
);
console.log('(warm: in one process, as in a long-running controller or a warm Lambda container; cold: a fresh process\'s first decision, the planner\'s code not yet compiled by V8; steady: the warm process further on, its code optimised, for reference)');
console.log(`(summarising the ${decision.probes * decision.regions} probe samples into measurements, done by the collector before the decision: ${decision.summarizeMs.toFixed(0)} ms)`);

log('decision scaling (each size in a fresh process)...');
const scaling = benchDecisionScaling();
console.log('\n## Decision time by size (evaluate, once warm: 60 decisions after 150 in a fresh process per size)\n');
console.log(
  table([
    ['Regions', 'listeners', 'probes', 'client groups', 'measurements', 'settings tried', 'median ms', 'p95 ms'],
    ...scaling.map((r) => [r.regions, r.listeners, r.probes, r.clientGroups, r.latencyMeasurements, r.settingsTried, r.medianMs.toFixed(1), r.p95Ms.toFixed(1)]),
  ]),
);

const results = quick ? 100_000 : 1_000_000;
log(`RIPE Atlas stream benchmark (${results} results)...`);
// In a process of its own: the memory figure is the stream's, not what the other benchmarks left behind.
const atlasOut = execFileSync(process.execPath, ['--import', 'tsx', 'bench/atlas-stream.ts', String(results)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
const atlas = JSON.parse(atlasOut.slice(atlasOut.indexOf('{'))) as AtlasStreamBenchResult;
console.log('\n## RIPE Atlas results stream (format=txt JSON Lines over HTTP, parsed incrementally)\n');
console.log(
  table([
    ['results', 'MB', 'seconds', 'results/s', 'MB/s', 'peak RSS MB', 'target', 'met'],
    [atlas.results, (atlas.bytes / 1e6).toFixed(0), atlas.seconds.toFixed(1), atlas.resultsPerSecond.toFixed(0), atlas.megabytesPerSecond.toFixed(1), atlas.peakRssMb.toFixed(1), `< ${atlas.targetRssMb} MB`, atlas.withinTarget ? 'yes' : 'NO'],
  ]),
);

log('Lambda package and cold init...');
const lambda = benchLambda();
console.log('\n## Lambda (osls package of the example fleet; import of the bundled handler in a fresh Node process)\n');
console.log(
  table([
    ['measure', 'value', 'target', 'met'],
    ['zipped package', `${(lambda.zipBytes / 1024 / 1024).toFixed(2)} MB`, `< ${(lambda.zipTargetBytes / 1024 / 1024).toFixed(1)} MB`, lambda.zipBytes < lambda.zipTargetBytes ? 'yes' : 'NO'],
    [`cold init (median of ${lambda.runs})`, `${lambda.coldInitMedianMs.toFixed(0)} ms`, `< ${lambda.coldInitTargetMs} ms`, lambda.coldInitMedianMs < lambda.coldInitTargetMs ? 'yes' : 'NO'],
    [`cold init (max of ${lambda.runs})`, `${lambda.coldInitMaxMs.toFixed(0)} ms`, '', ''],
    ['cold init CPU time (median; user + system, steadier on a busy machine)', `${lambda.coldInitCpuMedianMs.toFixed(0)} ms`, '', ''],
  ]),
);

const scenarios = await benchSimulations('examples/scenarios', quick && only.length === 0 ? ['crazycall'] : only, log);
console.log('\n## Simulated comparison (same world, scenario and seed for every controller)\n');
for (const s of scenarios) {
  console.log(`### ${s.scenario} (policy ${s.policy}; ${s.seconds.toFixed(0)} s)\n`);
  console.log(renderComparisonTable(s.runs));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', `${JSON.stringify({ decision, scaling, atlas, lambda, scenarios: scenarios.map((s) => ({ ...s, runs: s.runs.map((r) => ({ controller: r.controller, figures: r.figures, holds: r.holds })) })) }, null, 2)}\n`);
log('wrote out/bench.json');
process.exit(0);
