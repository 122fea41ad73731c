// The guardrails that bound each endpoint group's next dial, as hard limits on the search: floor,
// largest reduction and largest increase per cycle, and groups that must stay (frozen, or without a
// healthy endpoint: GA fails their users over whatever the dial says). Values lie on a 0.5-point grid.
// Increases come in steps of at least half the restore step (or straight to 100): a restore that
// creeps up a point per cycle would be many changes for little latency. A dial raised within the
// reversal window comes back down by at least as much, or not at all: a cut of a point or two minutes
// after a restore turns it around for less than the model's error (a random world: 92.5 -> 97.5, then
// 97.5 -> 95.5 two minutes later).

import { roundDial } from '../domain/traffic.js';
import type { Policy } from '../policy/schema.js';
import type { GroupState } from './controller-state.js';
import type { FrozenGroup } from './freeze-groups.js';
import type { GovernedGroup } from './governed-topology.js';
import type { DialVariable } from './traffic-model.js';

export const DIAL_GRID_PERCENT = 0.5;

export type StayReason = FrozenGroup['reason'] | 'NoHealthyEndpoints';

/** One endpoint group's limits this cycle. */
export interface GroupBounds {
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

/** A dial variable's limits: those of its groups, which share them (see traffic-model.ts). */
export interface VariableBounds extends GroupBounds {
  readonly variable: DialVariable;
}

/** Groups with the same key have the same limits, so one variable can move them together. */
export function boundsKey(b: GroupBounds): string {
  let key = keyOf.get(b);
  if (key === undefined) {
    // A template, not an array of mixed values joined: that array's shape changed once this was optimised.
    key = `${b.floorPercent}|${b.stay ?? ''}|${b.lowPercent}|${b.highPercent}|${b.startPercent}|${[...b.onlyForCapacity].sort().join('+')}|${b.coolingDown}`;
    keyOf.set(b, key);
  }
  return key;
}

// Bounds are immutable and shared by the groups that have the same (boundGroups): each is keyed once.
const keyOf = new WeakMap<GroupBounds, string>();

/**
 * A dial is not turned back within half an hour (or two cooldowns) of its last change unless load is
 * over capacity, or, for a restore, the Region stays below its restore threshold with it (the stress
 * is clearly over: see search-dials.ts): demand that eased or rose for a few minutes often turns again.
 */
const REVERSAL_WINDOW_SECONDS = 1800;

export function boundGroups(
  policy: Policy,
  groups: readonly GovernedGroup[],
  frozen: ReadonlyMap<string, FrozenGroup>,
  groupStates: Readonly<Record<string, GroupState>>,
  now: Date,
): Map<string, GroupBounds> {
  const g = policy.guardrails;
  const windowMs = Math.max(REVERSAL_WINDOW_SECONDS, 2 * g.cooldownSeconds) * 1000;
  // The bounds follow from the dial, floor, reason to stay and way back alone: groups that share them
  // (the same Region on several listeners, most often) share one bounds object, worked out once.
  const made = new Map<string, GroupBounds>();
  return new Map(
    groups.map((group): [string, GroupBounds] => {
      const arn = group.address.endpointGroupArn;
      const current = group.group.trafficDialPercent;
      const last = groupStates[arn];
      const since = last?.lastChangeAt === undefined ? Number.POSITIVE_INFINITY : now.getTime() - Date.parse(last.lastChangeAt);
      const back = last?.lastDirection === 'down' && since < windowMs ? 'up' : last?.lastDirection === 'up' && since < windowMs ? 'down' : undefined;
      const floor = policy.regions[group.address.region]?.dialFloorPercent ?? g.dialFloorPercent;
      const stay: StayReason | undefined = frozen.get(arn)?.reason ?? (group.healthy ? undefined : 'NoHealthyEndpoints');
      const key = `${current}|${floor}|${stay ?? ''}|${back ?? ''}`;
      let bounds = made.get(key);
      if (bounds === undefined) {
        bounds = groupBoundsOf(g, current, floor, stay, back);
        made.set(key, bounds);
      }
      return [arn, bounds];
    }),
  );
}

function groupBoundsOf(g: Policy['guardrails'], current: number, floor: number, stay: StayReason | undefined, back: 'up' | 'down' | undefined): GroupBounds {
  const reverse = new Set<'up' | 'down'>(back === undefined ? [] : [back]);
  const base = { floorPercent: floor, stay, startPercent: current, coolingDown: false, onlyForCapacity: new Set<'up' | 'down'>() };
  if (stay === 'CoolingDown' && g.overloadSkipsCooldown && current > floor + 1e-9) {
    const low = Math.max(floor, current - g.maxStepPercent);
    const candidates = [...gridBetween(low, current).filter((d) => d < current - 1e-9), current];
    return { ...base, lowPercent: low, highPercent: current, candidates, onlyForCapacity: new Set(['down']), coolingDown: true };
  }
  if (stay !== undefined) return { ...base, lowPercent: current, highPercent: current, candidates: [current] };
  if (current < floor - 1e-9) {
    // Below its floor (set by hand, or the floor was raised): never lowered further, and raised
    // towards the floor by the restore step like any restore; staying is allowed, since a forced
    // jump could flood the Region.
    const high = Math.min(100, current + g.restoreStepPercent);
    const up = gridBetween(Math.min(high, current + g.restoreStepPercent / 2), high).filter((d) => d > current + 1e-9);
    return { ...base, lowPercent: current, highPercent: high, candidates: [current, ...up] };
  }
  const low = Math.max(floor, current - g.maxStepPercent);
  const high = Math.min(100, current + g.restoreStepPercent);
  const minRaise = Math.min(g.restoreStepPercent / 2, 100 - current);
  // A dial raised within the reversal window comes back down by as much as a restore goes up, or not at all.
  const minCut = back === 'down' ? Math.min(g.restoreStepPercent / 2, current - low) : 0;
  const down = gridBetween(low, current).filter((d) => d < current - 1e-9 && d <= current - minCut + 1e-9);
  const up = gridBetween(current + minRaise, high).filter((d) => d > current + 1e-9);
  return { ...base, lowPercent: low, highPercent: high, candidates: [...down, current, ...up], onlyForCapacity: reverse };
}

/** Each variable with its groups' limits (they share them). */
export function boundVariables(variables: readonly DialVariable[], groupBounds: ReadonlyMap<string, GroupBounds>): VariableBounds[] {
  return variables.map((variable) => {
    const b = groupBounds.get(variable.groups[0]?.address.endpointGroupArn ?? '');
    if (b === undefined) throw new Error(`no bounds for the groups of variable ${variable.index}`);
    return { ...b, variable };
  });
}

/**
 * A group cooling down steps down only while its own Region is heading above capacity at the current
 * dials (`aheadPercent`, by Region index): the earlier change is already in that prediction, and an
 * overload does not wait; anything less waits for the change to show.
 */
export function holdCoolingUnlessOverloaded(bounds: readonly VariableBounds[], aheadPercent: ReadonlyMap<number, number>): VariableBounds[] {
  return bounds.map((b) =>
    b.coolingDown && !((aheadPercent.get(b.variable.region) ?? 0) > 100)
      ? { ...b, lowPercent: b.startPercent, highPercent: b.startPercent, candidates: [b.startPercent], coolingDown: false }
      : b,
  );
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
