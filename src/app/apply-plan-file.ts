// `ga-steer apply --plan FILE`: the reviewed plan applied as it is, without planning again. Under the
// accelerator's lease the live topology is read and compared with the plan's `before`; any drift (a
// dial, a weight, an endpoint list, a group), a plan too old or for another accelerator, or a paused
// ga-steer refuses it with nothing written. Otherwise the same guarded apply as a cycle's.

import type { PlanFile } from '../plan/plan-file.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { StateStore } from '../ports/state-store.js';
import { controlModeOf, describeSetting } from './control-record.js';
import { driftFrom, PlanRefusedError, staticRefusals } from './plan-file-io.js';
import { StateNotSavedError } from './set-control-mode.js';
import { stateAfterWrites } from './state-after-writes.js';
import { storedAfterCycle } from './stored-after-cycle.js';
import { withStoreLease, type StoreLeaseOptions } from './with-store-lease.js';

export interface ApplyPlanFileOptions {
  readonly file: string;
  readonly maxAgeMs: number;
  readonly by: string;
  readonly lease: StoreLeaseOptions;
}

export async function applyPlanFile(gateway: AcceleratorGateway, store: StateStore, policy: Policy, planFile: PlanFile, options: ApplyPlanFileOptions): Promise<ApplyReport | undefined> {
  const early = staticRefusals(planFile, policy.accelerator.arn, options.lease.clock.now(), options.maxAgeMs);
  if (early.length > 0) throw new PlanRefusedError(options.file, early);
  return withStoreLease(store, options.lease, async (keeper) => {
    const stored = await store.load();
    const setting = stored.control?.setting;
    if (controlModeOf(stored.control) === 'paused' && setting !== undefined) throw new PlanRefusedError(options.file, [`ga-steer is ${describeSetting(setting)}: \`ga-steer resume\` first`]);
    const live = await gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners);
    const drift = driftFrom(planFile, live);
    if (drift.length > 0) throw new PlanRefusedError(options.file, drift);
    const plan = planFile.plan;
    const report = plan.changes.some((c) => !c.dryRun) ? await gateway.applyPlan(plan, keeper) : undefined;
    const now = options.lease.clock.now();
    const controller = report !== undefined ? stateAfterWrites(stored, report, now) : stored;
    const next = storedAfterCycle({ previous: stored, controller, plan, report, topology: live, kind: 'apply-plan', announced: false, now, by: options.by });
    if (!(await keeper.save(next))) throw new StateNotSavedError(`${store.location}: the lease was lost before the state was saved (${keeper.lost?.reason ?? 'refused'}); the report says what was applied`);
    return report;
  });
}
