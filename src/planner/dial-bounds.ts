// The guardrails that bound each endpoint group's next dial, as hard limits on the search: floor,
// largest reduction and largest increase per cycle, and groups that must stay (frozen, or without a
// healthy endpoint: GA fails their users over whatever the dial says). Values lie on a 0.5-point grid.
// Increases come in steps of at least half the restore step (or straight to 100): a restore that
// creeps up a point per cycle would be many changes for little latency.

import { roundDial } from '../domain/traffic.js';
import type { Policy } from '../policy/schema.js';
import type { GroupState } from './controller-state.js';
import type { FrozenGroup } from './freeze-groups.js';
import type { DialVariable } from './traffic-model.js';

export const DIAL_GRID_PERCENT = 0.5;

export type StayReason = FrozenGroup['reason'] | 'NoHealthyEndpoints';

export interface VariableBounds {
  readonly variable: DialVariable;
  readonly floorPercent: number;
  /** Why the group stays, when it must. */
  readonly stay: StayReason | undefined;
  /** The lowest and highest dial allowed this cycle. */
  readonly lowPercent: number;
  readonly highPercent: number;
  /** Dials the search may choose, ascending; includes the current dial unless the floor forbids it. */
  readonly candidates: readonly number[];
  /** The dial the search starts from: the current one, or the floor when the current is below it. */
  readonly startPercent: number;
  /**
   * Directions in which a move of this group must relieve load above capacity to be made: down for a
   * group cooling down (guardrails.overloadSkipsCooldown: only steps down are its candidates then), and
   * the way back for a group that moved within the reversal window (no flapping on noise).
   */
  readonly onlyForCapacity: ReadonlySet<'up' | 'down'>;
  /** Cooling down, and may step down only to relieve load above capacity. */
  readonly coolingDown: boolean;
}

/** A dial is not turned back within this many cooldowns of its last change unless load is over capacity. */
const REVERSAL_WINDOW_COOLDOWNS = 2;
const MIN_REVERSAL_WINDOW_SECONDS = 600;

export function boundVariables(
  policy: Policy,
  variables: readonly DialVariable[],
  frozen: ReadonlyMap<string, FrozenGroup>,
  groupStates: Readonly<Record<string, GroupState>>,
  now: Date,
): VariableBounds[] {
  const g = policy.guardrails;
  const windowMs = Math.max(MIN_REVERSAL_WINDOW_SECONDS, REVERSAL_WINDOW_COOLDOWNS * g.cooldownSeconds) * 1000;
  return variables.map((variable) => {
    const current = variable.currentPercent;
    const last = groupStates[variable.group.address.endpointGroupArn];
    const recent = last?.lastChangeAt !== undefined && now.getTime() - Date.parse(last.lastChangeAt) < windowMs;
    const reverse = new Set<'up' | 'down'>(recent && last?.lastDirection === 'down' ? ['up'] : recent && last?.lastDirection === 'up' ? ['down'] : []);
    const floor = policy.regions[variable.regionCode]?.dialFloorPercent ?? g.dialFloorPercent;
    const freeze = frozen.get(variable.group.address.endpointGroupArn);
    const stay: StayReason | undefined = freeze?.reason ?? (variable.group.healthy ? undefined : 'NoHealthyEndpoints');
    if (stay === 'CoolingDown' && g.overloadSkipsCooldown && current > floor + 1e-9) {
      const low = Math.max(floor, current - g.maxStepPercent);
      const candidates = [...gridBetween(low, current).filter((d) => d < current - 1e-9), current];
      return { variable, floorPercent: floor, stay, lowPercent: low, highPercent: current, candidates, startPercent: current, onlyForCapacity: new Set(['down']), coolingDown: true };
    }
    if (stay !== undefined) return { variable, floorPercent: floor, stay, lowPercent: current, highPercent: current, candidates: [current], startPercent: current, onlyForCapacity: new Set(), coolingDown: false };
    if (current < floor - 1e-9) {
      // Below its floor (set by hand, or the floor was raised): it comes back to the floor first.
      const high = Math.min(100, Math.max(floor, current + g.restoreStepPercent));
      const candidates = gridBetween(floor, high);
      return { variable, floorPercent: floor, stay, lowPercent: floor, highPercent: high, candidates, startPercent: floor, onlyForCapacity: new Set(), coolingDown: false };
    }
    const low = Math.max(floor, current - g.maxStepPercent);
    const high = Math.min(100, current + g.restoreStepPercent);
    const minRaise = Math.min(g.restoreStepPercent / 2, 100 - current);
    const down = gridBetween(low, current).filter((d) => d < current - 1e-9);
    const up = gridBetween(current + minRaise, high).filter((d) => d > current + 1e-9);
    return { variable, floorPercent: floor, stay, lowPercent: low, highPercent: high, candidates: [...down, current, ...up], startPercent: current, onlyForCapacity: reverse, coolingDown: false };
  });
}

/** Grid values in [from, to], both ends included (ends need not lie on the grid). */
export function gridBetween(from: number, to: number): number[] {
  if (to < from - 1e-9) return [];
  const out = [roundDial(from)];
  for (let d = Math.ceil((from + 1e-9) / DIAL_GRID_PERCENT) * DIAL_GRID_PERCENT; d < to - 1e-9; d += DIAL_GRID_PERCENT) {
    const v = roundDial(d);
    if (v > (out[out.length - 1] as number) + 1e-9) out.push(v);
  }
  const last = roundDial(to);
  if (last > (out[out.length - 1] as number) + 1e-9) out.push(last);
  return out;
}
