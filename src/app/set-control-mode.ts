// `ga-steer pause` and `resume`: the control record's mode, set in the stored state under the lease,
// read by the next cycle (no redeploy). Records who, when and why; the next cycle alerts it once.

import type { StateStore } from '../ports/state-store.js';
import { emptyControlRecord, type ControlMode, type ModeSetting } from './control-record.js';
import { GaSteerError } from './errors.js';
import { withStoreLease, type StoreLeaseOptions } from './with-store-lease.js';

export class StateNotSavedError extends GaSteerError {
  override readonly name = 'StateNotSavedError';
}

export interface ModeChange {
  readonly previous: ModeSetting | undefined;
  readonly setting: ModeSetting;
}

export async function setControlMode(store: StateStore, mode: ControlMode, who: { readonly by: string; readonly reason: string }, options: StoreLeaseOptions): Promise<ModeChange> {
  return withStoreLease(store, options, async (keeper) => {
    const stored = await store.load();
    const control = stored.control ?? emptyControlRecord();
    const setting: ModeSetting = { mode, by: who.by, at: options.clock.now().toISOString(), reason: who.reason };
    if (!(await keeper.save({ ...stored, control: { ...control, setting } }))) {
      throw new StateNotSavedError(`${store.location}: the lease was lost before the state was saved (${keeper.lost?.reason ?? 'refused'}); nothing was changed, try again`);
    }
    return { previous: control.setting, setting };
  });
}
