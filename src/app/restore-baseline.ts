// `ga-steer restore`: under the accelerator's lease, read the stored baselines and the live groups,
// plan the way back (restore-plan.ts), apply it through the same guarded apply as a cycle (stale
// check, read-back, the lease before every write), and store what landed with the decision.

import type { Policy } from '../policy/schema.js';
import type { Plan } from '../plan/types.js';
import type { AcceleratorGateway, ApplyReport } from '../ports/accelerator-gateway.js';
import type { StateStore } from '../ports/state-store.js';
import { restorePlan } from './restore-plan.js';
import { StateNotSavedError } from './set-control-mode.js';
import { stateAfterWrites } from './state-after-writes.js';
import { storedAfterCycle } from './stored-after-cycle.js';
import { withStoreLease, type StoreLeaseOptions } from './with-store-lease.js';

export interface RestoreOutcome {
  readonly plan: Plan;
  readonly report: ApplyReport | undefined;
  /** How many groups have a baseline at all. */
  readonly baselines: number;
}

export async function restoreBaseline(gateway: AcceleratorGateway, store: StateStore, policy: Policy, options: { readonly allAtOnce: boolean; readonly by: string; readonly lease: StoreLeaseOptions }): Promise<RestoreOutcome> {
  return withStoreLease(store, options.lease, async (keeper) => {
    const stored = await store.load();
    const topology = await gateway.readTopology(policy.accelerator.arn, policy.accelerator.listeners);
    const now = options.lease.clock.now();
    const plan = restorePlan({ policy, topology, state: stored, control: stored.control, now, allAtOnce: options.allAtOnce });
    const report = plan.changes.length > 0 ? await gateway.applyPlan(plan, keeper) : undefined;
    const controller = report !== undefined ? stateAfterWrites(stored, report, options.lease.clock.now()) : stored;
    const next = storedAfterCycle({ previous: stored, controller, plan, report, topology, kind: 'restore', announced: false, now, by: options.by });
    if (!(await keeper.save(next))) {
      throw new StateNotSavedError(`${store.location}: the lease was lost before the state was saved (${keeper.lost?.reason ?? 'refused'}); what was applied is in the report, and the next cycle will see it`);
    }
    return { plan, report, baselines: Object.keys(stored.control?.baselines ?? {}).length };
  });
}
