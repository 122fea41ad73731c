// `ga-steer apply --plan FILE`: the Terraform-style second half of `plan --out FILE`.

import { applyPlanFile } from '../../app/apply-plan-file.js';
import { DEFAULT_LEASE_TTL_MS } from '../../app/lease-owner.js';
import { loadPlanFile } from '../../app/plan-file-io.js';
import { renderApplyReportText } from '../../plan/render-apply-report.js';
import type { Policy } from '../../policy/schema.js';
import { systemClock } from '../../ports/clock.js';
import { secondsOption } from '../args.js';
import { EXIT_APPLY_INCOMPLETE, EXIT_OK, type CommandIo } from '../command.js';
import { writeOutputFile } from '../output-file.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';
import { openStateStore } from '../state-location.js';
import { wireGatewayOnly } from './gateway-wiring.js';
import { whoRuns } from '../who-runs.js';

export interface ApplyPlanValues {
  readonly state: string;
  readonly 'endpoint-url'?: string | undefined;
  readonly out?: string | undefined;
  readonly 'deploy-timeout'?: string | undefined;
  readonly 'plan-max-age'?: string | undefined;
  readonly by?: string | undefined;
}

export async function applyReviewedPlan(file: string, values: ApplyPlanValues, policy: Policy, format: PlanFormat, io: CommandIo): Promise<number> {
  const planFile = await loadPlanFile(file);
  const maxAgeMs = secondsOption(values['plan-max-age'], '--plan-max-age', 900, { positive: true });
  const by = whoRuns(io.env, values.by);
  const opened = openStateStore(values.state, policy.accelerator.arn, io.env);
  const wiring = wireGatewayOnly(policy, opened.store, io, values['endpoint-url'], secondsOption(values['deploy-timeout'], '--deploy-timeout', 300));
  try {
    const report = await applyPlanFile(wiring.deps.gateway, opened.store, policy, planFile, {
      file,
      maxAgeMs,
      by,
      lease: { owner: `ga-steer apply --plan by ${by}`, ttlMs: DEFAULT_LEASE_TTL_MS, waitMs: 60_000, clock: systemClock, log: (l) => io.stderr(`${l}\n`) },
    });
    io.stdout(renderPlan(planFile.plan, format));
    if (report !== undefined) io.stdout(`\n${renderApplyReportText(report)}`);
    if (values.out !== undefined) await writeOutputFile(values.out, `${JSON.stringify({ plan: planFile.plan, report: report ?? null }, null, 2)}\n`, io);
    return report !== undefined && (report.outcome === 'partial' || report.outcome === 'failed') ? EXIT_APPLY_INCOMPLETE : EXIT_OK;
  } finally {
    wiring.close();
    opened.close();
  }
}
