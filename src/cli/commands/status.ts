// `ga-steer status`: what ga-steer holds and did, read from the stored state and the live accelerator.

import { loadPolicyFile } from '../../app/input-files.js';
import { renderStatusText, statusReport } from '../../app/status-report.js';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import { oneOf, parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_ERROR, EXIT_OK, type Command } from '../command.js';
import { openStateStore } from '../state-location.js';
import { wireGatewayOnly } from './gateway-wiring.js';
import { STATE_HELP } from './pause.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show current dials and weights vs what ga-steer set, pause state, holds and decision history',
  help: `Usage: ga-steer status --policy FILE --state LOCATION [--endpoint-url URL] [--history N] [--format text|json]

Reads the stored state and the live accelerator, and shows: whether ga-steer is paused (who, when,
why); per endpoint group the live dial beside the one ga-steer last set and the baseline restore
returns to, flagged when someone else changed it; the holds of the last decision; and the last
decisions (changes with before and after, holds, what the apply made of them). The history is kept
in the store: at most 200 entries, 14 days, 128 KiB. Changes nothing.

Options:
  --policy FILE         the policy (YAML): which accelerator
${STATE_HELP}
  --endpoint-url URL    send GA calls here (the emulator)
  --history N           decisions to show (default 10)
  --format FORMAT       text | json (default text)

Exit codes: 0 shown, 1 error (the state unreadable; or the accelerator unreadable: the stored part is
still shown).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      state: { type: 'string' },
      'endpoint-url': { type: 'string' },
      history: { type: 'string' },
      format: { type: 'string' },
    });
    const format = oneOf(values.format, '--format', ['text', 'json'] as const, 'text');
    const history = values.history === undefined ? 10 : Number(values.history);
    if (!Number.isInteger(history) || history < 0) throw new UsageError(`--history must be a whole number (got "${values.history ?? ''}")`);
    const { policy } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'snapshot' });
    const opened = openStateStore(requireOption(values.state, '--state'), policy.accelerator.arn, io.env);
    const wiring = wireGatewayOnly(policy, opened.store, io, values['endpoint-url']);
    try {
      const stored = await opened.store.load();
      let topology: AcceleratorTopology | undefined;
      let problem: string | undefined;
      try {
        topology = await wiring.deps.gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners);
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      const report = statusReport(stored, topology, history);
      io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatusText(report, opened.store.location));
      if (problem !== undefined) {
        io.stderr(`ga-steer status: the live accelerator could not be read (${problem}); live values are shown as -\n`);
        return EXIT_ERROR;
      }
      return EXIT_OK;
    } finally {
      wiring.close();
      opened.close();
    }
  },
};
