// A snapshot whose responses showed the local clock off from AWS's: the plan holds whole, and the state
// comes back as it went in (no back-off start, cooldown or health time from that clock).

import { describe, expect, it } from 'vitest';
import type { ControllerStateInput } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { groupArn, makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

// eu-central-1 is hot, and a person set eu-west-1's dial to 40 (ga-steer expected 100).
const REGIONS: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 900 },
  { region: 'eu-west-1', full: 1000, load: 300, dial: 40 },
];
const STATE: ControllerStateInput = {
  stateVersion: 2,
  groups: { [groupArn('eu-central-1')]: { expectedDialPercent: 100, expectedWeights: { 'i-eu-central-1': 128 } }, [groupArn('eu-west-1')]: { expectedDialPercent: 100 } },
  regions: { 'eu-central-1': { healthy: false, healthSince: '2026-11-22T10:00:00.000Z' } },
  history: [],
};

/** The snapshot, with its responses showing the local clock `offsetSeconds` off AWS's. */
function skewedBy(offsetSeconds: number): Snapshot {
  const serverMs = NOW.getTime() - offsetSeconds * 1000;
  return {
    ...makeSnapshot({ regions: REGIONS }),
    serverClock: { offsetSeconds, serverTime: new Date(serverMs).toISOString(), localTime: NOW.toISOString(), source: 'globalaccelerator', responseCount: 7 },
  };
}

describe('evaluate: a local clock off from AWS\'s', () => {
  it.each([59.9, -59.9])('plans as usual %s s off, within the allowance', (offset) => {
    const { plan, state } = evaluate(makePolicy(), skewedBy(offset), STATE, NOW);
    expect(plan.holds.map((h) => h.reason)).not.toContain('ClockSkew');
    expect(plan.changes.some((c) => c.address.region === 'eu-central-1')).toBe(true);
    // The person's change starts the back-off from this (trusted) clock.
    expect(state.groups[groupArn('eu-west-1')]?.humanOverrideSeenAt).toBe(NOW.toISOString());
  });

  it.each([
    [60.1, '60.1 s ahead of'],
    [-60.1, '60.1 s behind'],
    [-235, '235 s behind'],
  ])('holds the whole plan %s s off, naming the offset, and keeps the state as it was', (offset, words) => {
    const { plan, state } = evaluate(makePolicy(), skewedBy(offset), STATE, NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.summary.verdict).toBe('hold');
    expect(plan.holds).toHaveLength(1);
    const hold = plan.holds[0];
    expect(hold?.reason).toBe('ClockSkew');
    expect(hold?.scope).toEqual({ kind: 'global' });
    expect(hold?.message).toContain(`the local clock is ${words} AWS's (globalaccelerator answered`);
    expect(hold?.message).toContain('more than the 60 s clock-skew allowance');
    expect(hold?.evidence).toMatchObject({ offsetSeconds: offset, allowanceSeconds: 60, source: 'globalaccelerator' });
    // No back-off start, no cooldown, no health change, no history point stamped by this clock.
    expect(state).toEqual({ ...STATE, stateVersion: 2 });
    expect(plan.regions.map((r) => r.region)).toEqual(['eu-central-1', 'eu-west-1']);
  });

  it('does not judge the clock when no response was compared (a recorded snapshot)', () => {
    const { plan } = evaluate(makePolicy(), makeSnapshot({ regions: REGIONS }), STATE, NOW);
    expect(plan.holds.map((h) => h.reason)).not.toContain('ClockSkew');
  });
});
