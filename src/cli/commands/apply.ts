// `ga-steer apply`: one full control cycle against the live accelerator: collect, decide, apply with
// stale checks and read-back verification, persist state, alert.

import { runControlCycle } from '../../app/control-cycle.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { wireLive } from '../../app/live-wiring.js';
import { formatIssue } from '../../policy/issues.js';
import { renderApplyReportText } from '../../plan/render-apply-report.js';
import { writeFile } from 'node:fs/promises';
import { oneOf, parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_APPLY_INCOMPLETE, EXIT_OK, type Command } from '../command.js';
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

Exit codes: 0 applied (or nothing to apply), 3 some changes were not applied (stale, failed or
not attempted; see the report), 1 error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      state: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'atlas-url': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'deploy-timeout': { type: 'string' },
    });
    const format = oneOf<PlanFormat>(values.format, '--format', ['json', 'text', 'markdown'], 'text');
    const { policy, warnings } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'live' });
    const stateFile = requireOption(values.state, '--state');
    const deployTimeout = values['deploy-timeout'] !== undefined ? Number(values['deploy-timeout']) : 300;
    if (!Number.isFinite(deployTimeout) || deployTimeout < 0) throw new UsageError('--deploy-timeout must be a number of seconds');
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);

    const wiring = wireLive(policy, {
      ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
      ...(values['atlas-url'] !== undefined ? { atlasBaseUrl: values['atlas-url'] } : {}),
      env: io.env,
      stateFile,
      notify: true,
      log: (line) => io.stderr(`${line}\n`),
      deployTimeoutMs: deployTimeout * 1000,
      pollIntervalMs: 1000,
    });
    try {
      const { plan, report } = await runControlCycle(wiring.deps, policy, 'apply');
      io.stdout(renderPlan(plan, format));
      if (report !== undefined) io.stdout(`\n${renderApplyReportText(report)}`);
      if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify({ plan, report: report ?? null }, null, 2)}\n`);
      const incomplete = report !== undefined && (report.outcome === 'partial' || report.outcome === 'failed');
      return incomplete ? EXIT_APPLY_INCOMPLETE : EXIT_OK;
    } finally {
      wiring.close();
    }
  },
};
