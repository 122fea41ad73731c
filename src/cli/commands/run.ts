// `ga-steer run`: the long-running controller. The same control cycle as `apply` (or `plan`), on a
// cron schedule, re-reading the policy each time, one JSON line per cycle, until SIGINT/SIGTERM.

import { loadPolicyFile } from '../../app/input-files.js';
import { formatIssue } from '../../policy/issues.js';
import { leaseTtlMsOf, parseCommandArgs, requireOption, secondsOption, UsageError } from '../args.js';
import { EXIT_APPLY_INCOMPLETE, EXIT_ERROR, EXIT_OK, type CliIo, type Command } from '../command.js';
import { cycleTimeoutMs, defaultCycleTimeoutMsFor } from '../cycle-timeout.js';
import { ControllerCycle } from '../run/controller-cycle.js';
import { CycleSchedule, InvalidScheduleError, checkSchedule } from '../run/cycle-schedule.js';

export const DEFAULT_SCHEDULE = '*/2 * * * *';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the controller: a control cycle on a cron schedule until interrupted',
  help: `Usage: ga-steer run --policy FILE --state FILE [options]

Runs the control cycle of \`ga-steer apply\` (or of \`plan\`, with --plan-only) each time the cron
schedule fires, until SIGINT or SIGTERM. Never two cycles at once: a tick that comes while a cycle is
still running is skipped (and logged). A cycle that fails is logged and the next tick tries again.

The policy file is read again at every cycle, so edits take effect without a restart. If it has
become invalid, every issue is printed (file:line:col) and the cycle holds: nothing is read or
changed until the file is fixed; the last good policy is never used instead. \`enabled: false\` in the
policy is the kill switch: the controller keeps running and holds.

Each cycle has a deadline (--cycle-timeout), by default 90 % of the shortest gap between scheduled
cycles (at most 10 minutes), so a cycle ends before the next is due. Every call of the cycle must end
within it; taking the lease, reading, deciding and applying stop 15 % of it (at most 20 s) early, so
the state is still saved. A cycle stopped by it is logged with outcome timed-out and the call that ran out.

Each cycle prints one JSON line on stdout: time, policy, mode, outcome (ok | apply-incomplete |
lease-lost | policy-invalid | timed-out | error), verdict, headline, changes, holds by reason,
applyOutcome, lease (not-taken | kept | held-elsewhere | lost), problems (count), durationMs, and
issues, error or ranOut (service, operation, target, elapsedMs) when there were any. Warnings and problems go to stderr. Secret values are hidden everywhere.

On SIGINT/SIGTERM the schedule stops, a cycle in flight is allowed to finish (within its deadline),
and the command exits 0.

Options:
  --policy FILE         the policy (YAML); read again at every cycle
  --state FILE          controller state (JSON); created on the first run
  --schedule CRON       when to run, in UTC (default "${DEFAULT_SCHEDULE}", every 2 minutes); five
                        fields, or six with seconds first
  --endpoint-url URL    send GA and CloudWatch calls here (the emulator)
  --atlas-url URL       the RIPE Atlas API origin (default: env GA_STEER_ATLAS_URL, else
                        https://atlas.ripe.net)
  --once                run one cycle now and exit
  --plan-only           decide and log, never change the accelerator or the state file
  --health-file FILE    after each cycle, write {lastCycleAt, lastOutcome, consecutiveFailures}
                        (JSON, atomically) for a liveness probe; any outcome but ok is a failure
  --deploy-timeout S    seconds to wait for DEPLOYED after the writes (default 300, and never
                        past the cycle's deadline)
  --cycle-timeout S     each cycle's deadline (default: 90 % of the schedule's interval, at most 600)
  --lease-ttl S         seconds the accelerator's lease lasts unless renewed (default 120): how long
                        a crashed writer can block the next one

One writer per accelerator: each applying cycle first takes the lease on the state file (lock files
STATE.lease.N beside it, with owner, expiry and fencing token N). While another ga-steer holds it,
the cycle holds (LeaseHeld, naming the holder and expiry) and reads and changes nothing. The lease is
renewed while the cycle runs and every write checks it; a cycle that loses it stops writing, does
not save the state, logs outcome lease-lost and alerts. --plan-only cycles take no lease.

Exit codes: 0 stopped by a signal (or --once: applied, nothing to apply, planned, or LeaseHeld), 3
(--once) some changes were not applied, or the lease was lost, 1 error (bad options, a policy that
is invalid at start, or a failed --once cycle).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      state: { type: 'string' },
      schedule: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'atlas-url': { type: 'string' },
      once: { type: 'boolean' },
      'plan-only': { type: 'boolean' },
      'health-file': { type: 'string' },
      'deploy-timeout': { type: 'string' },
      'lease-ttl': { type: 'string' },
      'cycle-timeout': { type: 'string' },
    });
    const policyFile = requireOption(values.policy, '--policy');
    const stateFile = requireOption(values.state, '--state');
    const expression = values.schedule ?? DEFAULT_SCHEDULE;
    try {
      checkSchedule(expression);
    } catch (e) {
      if (e instanceof InvalidScheduleError) throw new UsageError(`--schedule ${e.message}`);
      throw e;
    }
    const deployTimeoutMs = secondsOption(values['deploy-timeout'], '--deploy-timeout', 300);
    const leaseTtlMs = leaseTtlMsOf(values['lease-ttl']);
    const limitMs = values['cycle-timeout'] !== undefined ? cycleTimeoutMs(values['cycle-timeout']) : defaultCycleTimeoutMsFor(expression);

    const controller = new ControllerCycle({
      policyFile,
      stateFile,
      mode: values['plan-only'] === true ? 'plan' : 'apply',
      ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
      ...(values['atlas-url'] !== undefined ? { atlasUrl: values['atlas-url'] } : {}),
      ...(values['health-file'] !== undefined ? { healthFile: values['health-file'] } : {}),
      deployTimeoutMs,
      cycleTimeoutMs: limitMs,
      ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
      env: io.env,
      stdout: (line) => io.stdout(`${line}\n`),
      stderr: (line) => io.stderr(`${line}\n`),
      secrets: io.secrets,
    });

    if (values.once === true) {
      const line = await controller.run();
      // A deadline that stopped the apply (not the reading) leaves a report, as any incomplete apply.
      if (line.outcome === 'apply-incomplete' || line.outcome === 'lease-lost' || (line.outcome === 'timed-out' && line.error === undefined)) return EXIT_APPLY_INCOMPLETE;
      if (line.outcome === 'ok') return EXIT_OK;
      io.stderr(`ga-steer run: ${line.outcome === 'policy-invalid' ? `${policyFile} is not a valid policy` : (line.error ?? 'the cycle failed')}\n`);
      return EXIT_ERROR;
    }

    // A policy that is broken at start is a deployment mistake: fail now rather than hold forever.
    const { policy, warnings } = await loadPolicyFile(policyFile, { use: 'live' });
    io.secrets.protectPolicy(policy);
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
    return runUntilStopped(controller, expression, io);
  },
};

async function runUntilStopped(controller: ControllerCycle, expression: string, io: CliIo): Promise<number> {
  const schedule = new CycleSchedule({
    expression,
    cycle: () => controller.run(),
    onSkippedTick: (at) => io.stderr(`${JSON.stringify({ event: 'tick-skipped', time: at.toISOString(), reason: 'a cycle is still running' })}\n`),
    onError: (message) => io.stderr(`${message}\n`),
  });
  schedule.start();
  io.stderr(`ga-steer run: schedule "${expression}" (UTC), next cycle at ${schedule.nextRun()?.toISOString() ?? 'never'}\n`);
  await new Promise<void>((resolve) => {
    // No signal: nothing can stop the loop, so it runs for the life of the process.
    if (io.signal === undefined) return;
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  io.stderr('ga-steer run: stopping; waiting for a cycle in flight to finish\n');
  await schedule.stop();
  io.stderr('ga-steer run: stopped\n');
  return EXIT_OK;
}
