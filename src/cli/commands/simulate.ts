// `ga-steer simulate`: a policy in a simulated world built from real data, side by side with the
// baselines and the bounds; or a backtest over recorded snapshots.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { loadPolicyFile, loadSnapshotFile } from '../../app/input-files.js';
import { formatIssue } from '../../policy/issues.js';
import { renderSimulationReport } from '../../report/simulation-report.js';
import { backtest } from '../../sim/backtest.js';
import { compareControllers, renderComparisonTable, toReport } from '../../sim/compare-controllers.js';
import { CONTROLLER_KINDS, type ControllerKind } from '../../sim/run-simulation.js';
import { loadScenarioFile } from '../../sim/scenario/load-scenario.js';
import { loadWorld } from '../../sim/world/load-world.js';
import { parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Run a policy in a simulated world beside the baselines, or backtest it on recorded snapshots',
  help: `Usage: ga-steer simulate --scenario FILE [options]
       ga-steer simulate --policy FILE --replay SNAPSHOT [SNAPSHOT...] [--json]

Simulation: builds the world from the committed world file (client metros with measured RTT to every
AWS Region, demand from internet users per country over the local day), runs the scenario's events
in accelerated time, and runs each controller on the same world and seed: GA alone, a fixed manual
dial, a naive threshold controller, a waterfall oracle that knows the true demand, and ga-steer
(the real control cycle through the AWS SDK against the emulator). Prints a table of figures and,
with --report, writes an HTML report with charts.

Backtest (--replay): evaluates the policy on recorded snapshots in time order, carrying its state
from one to the next: what it would have changed and held, and the predicted latency cost.

Options:
  --scenario FILE      a scenario (YAML; see examples/scenarios)
  --policy FILE        use this policy instead of the scenario's (your own policy, any scenario)
  --controller NAME    only this controller (repeatable): ${CONTROLLER_KINDS.join(', ')}
  --report FILE        write the HTML report here
  --json               print the runs (or the backtest) as JSON instead of the table
  --no-bounds          skip the LP and best-dial bounds (faster)
  --no-progress        no progress bar
  --replay FILE...     backtest on these snapshots (with --policy)

Exit codes: 0 success, 1 error (bad input names the file and place).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        scenario: { type: 'string' },
        policy: { type: 'string' },
        controller: { type: 'string', multiple: true },
        report: { type: 'string' },
        json: { type: 'boolean' },
        'no-bounds': { type: 'boolean' },
        'no-progress': { type: 'boolean' },
        replay: { type: 'boolean' },
      },
      true,
    );
    if (values.replay === true) {
      const { policy, warnings } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'snapshot' });
      for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
      if (positionals.length === 0) throw new UsageError('--replay needs one or more snapshot files');
      const snapshots = [];
      for (const file of positionals) snapshots.push(await loadSnapshotFile(file));
      const result = backtest(policy, snapshots);
      if (values.json === true) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else {
        for (const s of result.steps) io.stdout(`${s.takenAt}  ${s.headline}\n${s.changes.map((c) => `    ${c.region}: ${c.what} (${c.reason})\n`).join('')}`);
        io.stdout(`\n${result.totalChanges} change(s); holds: ${Object.entries(result.holdsByReason).map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}; predicted added latency for moved users: ${result.meanPredictedAddedLatencyMs.toFixed(1)} ms\n`);
      }
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const loaded = await loadScenarioFile(requireOption(values.scenario, '--scenario'), values.policy);
    for (const w of loaded.warnings) io.stderr(`${formatIssue(w)}\n`);
    const controllers = (values.controller ?? [...CONTROLLER_KINDS]).map((c) => {
      if (!(CONTROLLER_KINDS as readonly string[]).includes(c)) throw new UsageError(`--controller must be one of ${CONTROLLER_KINDS.join(', ')} (got "${c}")`);
      return c as ControllerKind;
    });
    const world = loadWorld();
    const showProgress = values['no-progress'] !== true && values.json !== true;
    const bar = showProgress
      ? new cliProgress.SingleBar({ format: ' {controller} |{bar}| {percentage}% | {value}/{total} simulated minutes', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
      : undefined;
    let current = '';
    const minutesPerStep = loaded.scenario.stepSeconds / 60;
    const runs = await compareControllers({
      world,
      scenario: loaded.scenario,
      policy: loaded.policy,
      controllers,
      bounds: values['no-bounds'] !== true,
      onProgress: (controller, done, total) => {
        if (bar === undefined) return;
        if (controller !== current) {
          if (current !== '') bar.stop();
          current = controller;
          bar.start(Math.round(total * minutesPerStep), 0, { controller: controller.padEnd(28) });
        }
        bar.update(Math.round(done * minutesPerStep), { controller: controller.padEnd(28) });
      },
    });
    bar?.stop();
    if (values.report !== undefined) {
      await mkdir(dirname(values.report), { recursive: true });
      await writeFile(values.report, renderSimulationReport(toReport(loaded.scenario, loaded.policy, world, runs, new Date())));
    }
    if (values.json === true) {
      io.stdout(`${JSON.stringify(runs.length === 1 ? runs[0] : runs, null, 2)}\n`);
    } else {
      io.stdout(`\nScenario ${loaded.scenario.name}: ${loaded.scenario.description}\nPolicy ${loaded.policy.name} (${loaded.policyFile}); seed ${loaded.scenario.seed}; ${loaded.scenario.durationMinutes} simulated minutes\n\n`);
      io.stdout(renderComparisonTable(runs));
      if (values.report !== undefined) io.stdout(`\nReport: ${values.report}\n`);
    }
    return EXIT_OK;
  },
};
