// `ga-steer pause` and `ga-steer resume`: the kill switch without a redeploy. They set the mode in the
// stored state the cycles read (a state file, s3://, or the Lambda's dynamodb:// table).

import { describeSetting, type ControlMode } from '../../app/control-record.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { DEFAULT_LEASE_TTL_MS } from '../../app/lease-owner.js';
import { setControlMode } from '../../app/set-control-mode.js';
import { systemClock } from '../../ports/clock.js';
import { parseCommandArgs, requireOption, secondsOption } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { openStateStore } from '../state-location.js';
import { whoRuns } from '../who-runs.js';

export const STATE_HELP = `  --state LOCATION      where the cycles keep their state: a file, s3://BUCKET/KEY, or
                        dynamodb://TABLE (the Lambda's table, keyed by the accelerator's ARN)`;

function modeCommand(name: 'pause' | 'resume', mode: ControlMode, summary: string, effect: string): Command {
  return {
    name,
    summary,
    help: `Usage: ga-steer ${name} --policy FILE --state LOCATION [--reason TEXT] [--by NAME] [--wait S]

${effect}

It takes effect at the next cycle, with no redeploy: every cycle reads the mode from the stored
state. The next applying cycle alerts it once (Slack, or the log), naming who, when and why.
\`ga-steer status\` shows it.

The change is made under the accelerator's lease, so it never overwrites a cycle's state: while a
cycle holds the lease, ${name} waits for it (at most --wait seconds, default 300).

Options:
  --policy FILE         the policy (YAML): which accelerator
${STATE_HELP}
  --reason TEXT         why (recorded and alerted)
  --by NAME             who (default: the user and host running the command)
  --wait S              seconds to wait for a cycle holding the lease (default 300)

Exit codes: 0 done, 1 error (bad input, the store unreachable, the lease still held after --wait:
nothing was changed).`,
    async run(argv, io) {
      const { values } = parseCommandArgs(argv, {
        policy: { type: 'string' },
        state: { type: 'string' },
        reason: { type: 'string' },
        by: { type: 'string' },
        wait: { type: 'string' },
      });
      const { policy } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'snapshot' });
      const opened = openStateStore(requireOption(values.state, '--state'), policy.accelerator.arn, io.env);
      try {
        const change = await setControlMode(
          opened.store,
          mode,
          { by: whoRuns(io.env, values.by), reason: values.reason ?? '' },
          { owner: `ga-steer ${name} by ${whoRuns(io.env, values.by)}`, ttlMs: DEFAULT_LEASE_TTL_MS, waitMs: secondsOption(values.wait, '--wait', 300), clock: systemClock, log: (l) => io.stderr(`${l}\n`) },
        );
        const was = change.previous !== undefined ? ` (was ${describeSetting(change.previous)})` : '';
        io.stdout(`${policy.name}: ${describeSetting(change.setting)}${was}. It takes effect at the next cycle.\n`);
        return EXIT_OK;
      } finally {
        opened.close();
      }
    },
  };
}

export const pauseCommand = modeCommand(
  'pause',
  'paused',
  'Pause ga-steer: cycles plan and report, never write to the accelerator',
  'Pauses steering: from the next cycle on, every cycle still reads, plans, reports and records its\ndecision, but applies nothing (every change is dry-run) until `ga-steer resume`.',
);

export const resumeCommand = modeCommand('resume', 'apply', 'Resume ga-steer after a pause: cycles apply their plans again', 'Resumes steering after `ga-steer pause`: from the next cycle on, cycles apply their plans again.');
