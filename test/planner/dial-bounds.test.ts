// The guardrails as the search's limits: the dials a group may move to this cycle.

import { describe, expect, it } from 'vitest';
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

function candidatesAt(dialPercent: number): readonly number[] {
  const g = groupAt(dialPercent);
  const bounds = boundGroups(policy, [g], new Map(), {}, NOW).get(g.address.endpointGroupArn);
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
});
