// `ga-steer restore`: the governed dials and weights back to the baseline recorded the first time
// ga-steer changed each group, through the guarded apply.

import { loadPolicyFile } from '../../app/input-files.js';
import { DEFAULT_LEASE_TTL_MS } from '../../app/lease-owner.js';
import { restoreBaseline } from '../../app/restore-baseline.js';
import { renderApplyReportText } from '../../plan/render-apply-report.js';
import { systemClock } from '../../ports/clock.js';
import { oneOf, parseCommandArgs, requireOption, secondsOption } from '../args.js';
import { EXIT_APPLY_INCOMPLETE, EXIT_OK, type Command } from '../command.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';
import { openStateStore } from '../state-location.js';
import { wireGatewayOnly } from './gateway-wiring.js';
import { whoRuns } from '../who-runs.js';
import { STATE_HELP } from './pause.js';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Bring the governed dials and weights back to their recorded baseline, safely',
  help: `Usage: ga-steer restore --policy FILE --state LOCATION [--all-at-once] [options]

Brings every endpoint group ga-steer has changed back to its baseline: its dial and endpoint weights
from just before ga-steer first changed it (recorded in the stored state, per endpoint group).
Endpoints added since keep their weight; none is ever removed.

By default restore keeps the guardrails: pins and the cooldown after ga-steer's last change hold a
group, and a dial moves at most guardrails.restoreStepPercent up (maxStepPercent down) per run, so
traffic does not snap back onto a Region at once; run it again after the cooldown to go on.
--all-at-once goes straight to the baseline. Either way each change goes through the guarded apply:
refused as stale if the live group no longer matches what was just read, verified by reading back,
made only under the accelerator's lease (restore waits for a running cycle, at most --wait seconds).

A running controller may steer again afterwards: \`ga-steer pause\` first to stop that.

Options:
  --policy FILE         the policy (YAML): which accelerator, guardrails and pins
${STATE_HELP}
  --all-at-once         straight to the baseline (still refused if the group changed meanwhile)
  --endpoint-url URL    send GA calls here (the emulator)
  --by NAME             who (default: the user and host running the command)
  --format FORMAT       text | json | markdown (default text)
  --deploy-timeout S    seconds to wait for DEPLOYED after the writes (default 300)
  --wait S              seconds to wait for a cycle holding the lease (default 300)

Exit codes: 0 restored (or nothing to restore, or every group held), 3 some changes were not
applied (see the report), 1 error (nothing was changed).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      state: { type: 'string' },
      'all-at-once': { type: 'boolean' },
      'endpoint-url': { type: 'string' },
      by: { type: 'string' },
      format: { type: 'string' },
      'deploy-timeout': { type: 'string' },
      wait: { type: 'string' },
    });
    const format = oneOf<PlanFormat>(values.format, '--format', ['json', 'text', 'markdown'], 'text');
    const { policy } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'snapshot' });
    const stateLocation = requireOption(values.state, '--state');
    const waitMs = secondsOption(values.wait, '--wait', 300);
    const deployTimeoutMs = secondsOption(values['deploy-timeout'], '--deploy-timeout', 300);
    const by = whoRuns(io.env, values.by);
    const opened = openStateStore(stateLocation, policy.accelerator.arn, io.env);
    const wiring = wireGatewayOnly(policy, opened.store, io, values['endpoint-url'], deployTimeoutMs);
    try {
      const out = await restoreBaseline(wiring.deps.gateway, opened.store, policy, {
        allAtOnce: values['all-at-once'] === true,
        by,
        lease: { owner: `ga-steer restore by ${by}`, ttlMs: DEFAULT_LEASE_TTL_MS, waitMs, clock: systemClock, log: (l) => io.stderr(`${l}\n`) },
      });
      if (out.baselines === 0) io.stderr(`ga-steer restore: ${opened.store.location} records no baseline: ga-steer has not changed any group yet\n`);
      io.stdout(renderPlan(out.plan, format));
      if (out.report !== undefined) io.stdout(`\n${renderApplyReportText(out.report)}`);
      return out.report !== undefined && (out.report.outcome === 'partial' || out.report.outcome === 'failed') ? EXIT_APPLY_INCOMPLETE : EXIT_OK;
    } finally {
      wiring.close();
      opened.close();
    }
  },
};
