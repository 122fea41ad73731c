// `ga-steer apply`: one full control cycle against the live accelerator: collect, decide, apply with
// stale checks and read-back verification, persist state, alert.

import { CycleDeadline } from '../../adapters/deadline/cycle-deadline.js';
import { runControlCycle } from '../../app/control-cycle.js';
import { leaseLostNote } from '../../app/lease-lost-note.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { wireLive } from '../../app/live-wiring.js';
import { formatIssue } from '../../policy/issues.js';
import { renderApplyReportText } from '../../plan/render-apply-report.js';
import { leaseTtlMsOf, oneOf, parseCommandArgs, requireOption, secondsOption, UsageError } from '../args.js';
import { applyReviewedPlan } from './apply-plan-option.js';
import { EXIT_APPLY_INCOMPLETE, EXIT_OK, type Command } from '../command.js';
import { cycleTimeoutMs } from '../cycle-timeout.js';
import { writeOutputFile } from '../output-file.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Run one control cycle against the live accelerator and apply its plan',
  help: `Usage: ga-steer apply --policy FILE --state FILE [options]

Reads the accelerator (Global Accelerator), load and demand (CloudWatch), and latency and landing
(the policy's RIPE Atlas measurements and synthetic feeds), makes the plan, and
applies its changes: each change is refused if the live group no longer matches the plan's
"before", writes back every endpoint setting it does not mean to change, is verified by reading
back, and the accelerator is awaited until DEPLOYED. The first stale or failed change stops the
apply; the report says exactly what was and was not applied. Changes matched by the policy's
dryRun rules are reported, never applied. The state file remembers cooldowns and what ga-steer
set, so a human's change is recognised and respected.

Endpoints and credentials come from the AWS SDK's usual configuration
(AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR, AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL, profiles), or
--endpoint-url for both (e.g. \`ga-steer emulator\`).

Options:
  --policy FILE         the policy (YAML)
  --state FILE          controller state (JSON); created on the first run
  --endpoint-url URL    send GA and CloudWatch calls here (the emulator)
  --atlas-url URL       the RIPE Atlas API origin (default: env GA_STEER_ATLAS_URL, else
                        https://atlas.ripe.net)
  --format FORMAT       how to print the plan: text | json | markdown (default text)
  --out FILE            also write the plan and the apply report (JSON) to FILE
  --deploy-timeout S    seconds to wait for DEPLOYED after the writes (default 300)
  --lease-ttl S         seconds the accelerator's lease lasts unless renewed (default 120)
  --cycle-timeout S     the whole cycle's deadline (default 600): every call must end within it.
                        Taking the lease, reading, deciding and applying stop 15 % of it (at most
                        20 s) early, so the state is still saved and the outcome reported; the
                        report names the call that ran out. When it passes while reading, nothing
                        is applied.

One writer per accelerator: apply first takes the lease on the state file (see \`ga-steer run
--help\`). While another ga-steer holds it, apply holds (LeaseHeld) and changes nothing.

A write that fails or goes unanswered (throttled, 5xx, connection lost, timed out) is never sent
again as it was: the group is read afresh first; if the change landed it is done, if the group is
unchanged the write is built again from that read, and if anything else changed, someone else is
editing and the apply stops. Secret values are hidden in everything printed and written.

With --plan FILE (written by \`ga-steer plan --out FILE\`), apply applies that reviewed plan as it
is, without planning again. It is refused, with exit code 1 and nothing written, when the live
accelerator no longer matches the plan's "before" (any dial, weight or endpoint list of its endpoint
groups, or a group added or gone), when the plan is older than --plan-max-age (default 900 s), when
it is for another accelerator, or while ga-steer is paused. --state may then also be
s3://BUCKET/KEY or dynamodb://TABLE.

  --plan FILE           apply this plan file instead of planning
  --plan-max-age S      refuse a plan file older than this (default 900)
  --by NAME             who applied it, for the decision history (default: user@host)

Exit codes: 0 applied (or nothing to apply, or LeaseHeld), 3 some changes were not applied (stale,
failed or not attempted; see the report) or the lease was lost (the state was not saved), 1 error
(the cycle deadline passed before the plan was made).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      state: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'atlas-url': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'deploy-timeout': { type: 'string' },
      'lease-ttl': { type: 'string' },
      'cycle-timeout': { type: 'string' },
      plan: { type: 'string' },
      'plan-max-age': { type: 'string' },
      by: { type: 'string' },
    });
    const format = oneOf<PlanFormat>(values.format, '--format', ['json', 'text', 'markdown'], 'text');
    const { policy, warnings } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'live' });
    io.secrets.protectPolicy(policy);
    const stateFile = requireOption(values.state, '--state');
    if (values.plan !== undefined) return applyReviewedPlan(values.plan, { ...values, state: stateFile }, policy, format, io);
    if (values['plan-max-age'] !== undefined) throw new UsageError('--plan-max-age is for --plan');
    const deployTimeoutMs = secondsOption(values['deploy-timeout'], '--deploy-timeout', 300);
    const leaseTtlMs = leaseTtlMsOf(values['lease-ttl']);
    const limitMs = cycleTimeoutMs(values['cycle-timeout']);
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);

    const wiring = wireLive(policy, {
      ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
      ...(values['atlas-url'] !== undefined ? { atlasBaseUrl: values['atlas-url'] } : {}),
      env: io.env,
      stateFile,
      notify: true,
      log: (line) => io.stderr(`${line}\n`),
      redact: io.secrets.redact,
      deployTimeoutMs,
      ...(leaseTtlMs !== undefined ? { lease: { ttlMs: leaseTtlMs } } : {}),
      pollIntervalMs: 1000,
    });
    const deadline = CycleDeadline.start(limitMs);
    try {
      const { plan, report, lease } = await runControlCycle(wiring.deps, policy, 'apply', { deadline });
      io.stdout(renderPlan(plan, format));
      if (report !== undefined) io.stdout(`\n${renderApplyReportText(report)}`);
      if (lease.status === 'lost') io.stderr(`ga-steer apply: ${leaseLostNote(stateFile, lease, report)}\n`);
      if (values.out !== undefined) await writeOutputFile(values.out, `${JSON.stringify({ plan, report: report ?? null }, null, 2)}\n`, io);
      const incomplete = lease.status === 'lost' || (report !== undefined && (report.outcome === 'partial' || report.outcome === 'failed'));
      return incomplete ? EXIT_APPLY_INCOMPLETE : EXIT_OK;
    } finally {
      deadline.dispose();
      wiring.close();
    }
  },
};
