// Applies a plan to Global Accelerator without losing a setting:
// - each change reads its group first and is refused as stale unless the live group still matches the
//   plan's `before` (skipped when it already matches `after`);
// - a dial change sends only the dial; a weights change writes back every endpoint with its id, weight
//   and client-IP flag as just read, changing only the weights;
// - a write that fails or goes unanswered is never repeated blindly: the group is read afresh and
//   judged again first (apply-change.ts);
// - every write is verified from the response and from a fresh read; anything else that changed in the
//   group meanwhile is reported as a concurrent edit;
// - before each write the write guard (the lease) is asked; a refusal stops the apply there;
// - the first failure or stale change stops the apply, and so do the cycle's deadline and the write
//   guard's refusal: later changes are not attempted, and every group is left as a valid, complete
//   configuration (GA applies each UpdateEndpointGroup atomically);
// - after the writes, it waits for the accelerator to go from IN_PROGRESS to DEPLOYED.

import type { Plan } from '../../plan/types.js';
import type { ApplyReport, ChangeApplyOutcome, WriteGuard } from '../../ports/accelerator-gateway.js';
import type { RanOutCall } from '../../ports/ran-out-call.js';
import { currentDeadline } from '../deadline/ambient-deadline.js';
import { applyChange } from './apply-change.js';
import type { GaApi } from './ga-api.js';
import { waitForDeployed, type DeployWaitOptions } from './wait-for-deployed.js';

export type ApplyOptions = DeployWaitOptions;

export async function applyPlanToGa(api: GaApi, plan: Plan, options: ApplyOptions = {}, guard?: WriteGuard): Promise<ApplyReport> {
  const outcomes: ChangeApplyOutcome[] = [];
  let stopped: string | undefined;
  let ranOut: RanOutCall | undefined;
  let wrote = false;
  for (const change of plan.changes) {
    if (change.dryRun) {
      outcomes.push({ change, status: 'dry-run' });
      continue;
    }
    if (stopped === undefined && currentDeadline()?.expired === true) stopped = 'the cycle deadline passed before this change';
    const permit = stopped === undefined && guard !== undefined ? await guard.beforeWrite() : undefined;
    if (permit !== undefined && !permit.allowed) stopped = permit.reason;
    if (stopped !== undefined) {
      outcomes.push({ change, status: 'not-attempted', message: stopped });
      continue;
    }
    const result = await applyChange(api, change, guard);
    if (result.outcome.status === 'applied') wrote = true;
    ranOut ??= result.ranOut;
    // Someone else is editing the accelerator: finish this change, then leave the rest to them.
    const status = result.outcome.status;
    if (status === 'failed' || status === 'stale' || result.concurrentEdit) {
      stopped =
        result.ranOut !== undefined
          ? 'the cycle deadline passed during an earlier change'
          : (result.guardRefusal ?? (status === 'applied' ? 'someone else edited the accelerator during an earlier change; the next cycle judges this one afresh' : `an earlier change was ${status}`));
    }
    outcomes.push(result.outcome);
  }

  const deployed = wrote ? await waitForDeployed(api, plan.acceleratorArn, options) : undefined;
  const applied = outcomes.filter((o) => o.status === 'applied').length;
  const bad = outcomes.some((o) => o.status === 'failed' || o.status === 'stale' || o.status === 'not-attempted');
  const outcome: ApplyReport['outcome'] = !bad ? (applied > 0 ? 'applied' : 'nothing-to-do') : applied > 0 ? 'partial' : 'failed';
  return { outcome, changes: outcomes, ...(deployed !== undefined ? { deployed } : {}), ...(ranOut !== undefined ? { ranOut } : {}) };
}
