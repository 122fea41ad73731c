// The guardrails as the search's limits: the dials a group may move to this cycle.

import { describe, expect, it } from 'vitest';
import type { GroupState } from '../../src/planner/controller-state.js';
import { boundGroups } from '../../src/planner/dial-bounds.js';
import type { GovernedGroup } from '../../src/planner/governed-topology.js';
import { makePolicy } from '../support/planner-fixtures.js';

const policy = makePolicy();
const NOW = new Date('2026-11-23T12:00:00Z');

/** One healthy group of eu-central-1 at a dial (the bounds read its address, dial and health only). */
function groupAt(dialPercent: number): GovernedGroup {
  const listenerArn = 'arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l';
  return {
    address: { listenerArn, endpointGroupArn: `${listenerArn}/endpoint-group/g`, region: 'eu-central-1' },
    group: { trafficDialPercent: dialPercent },
    healthy: true,
  } as unknown as GovernedGroup;
}

/** The group's candidates; `last`: its last change, that many minutes ago, in that direction. */
function candidatesAt(dialPercent: number, last?: { minutesAgo: number; direction: 'up' | 'down' }): readonly number[] {
  const g = groupAt(dialPercent);
  const states: Record<string, GroupState> =
    last === undefined ? {} : { [g.address.endpointGroupArn]: { lastChangeAt: new Date(NOW.getTime() - last.minutesAgo * 60_000).toISOString(), lastDirection: last.direction } };
  const bounds = boundGroups(policy, [g], new Map(), states, NOW).get(g.address.endpointGroupArn);
  if (bounds === undefined) throw new Error('no bounds');
  return bounds.candidates;
}

describe('dial bounds', () => {
  it('cuts by any amount on the grid down to one step, and never below the floor', () => {
    const c = candidatesAt(80);
    expect(c).toContain(79.5);
    expect(Math.min(...c)).toBe(60);
    expect(Math.min(...candidatesAt(1.5))).toBe(0);
  });

  it('raises by at least half the restore step, or straight to 100', () => {
    const c = candidatesAt(60);
    expect(c.filter((d) => d > 60 && d < 65)).toEqual([]);
    expect(Math.max(...c)).toBe(70);
    expect(Math.max(...candidatesAt(97))).toBe(100);
    expect(candidatesAt(97).filter((d) => d > 97 && d < 100)).toEqual([]);
  });

  it('brings a dial raised within the reversal window back down by half a restore step or more, or not at all', () => {
    const c = candidatesAt(85, { minutesAgo: 10, direction: 'up' });
    expect(c.filter((d) => d < 85 && d > 80)).toEqual([]);
    expect(c).toContain(80);
    expect(Math.min(...c)).toBe(65);
    // Outside the window, or after a cut, any step.
    expect(candidatesAt(85, { minutesAgo: 40, direction: 'up' })).toContain(84.5);
    expect(candidatesAt(85, { minutesAgo: 10, direction: 'down' })).toContain(84.5);
  });
});
