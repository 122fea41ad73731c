// A person changes a group and, during ga-steer's back-off, puts it back to what ga-steer had set:
// that is a further change by someone at work on the group, so the back-off starts again from it;
// ga-steer resumes once the group has stayed as the person left it for a whole back-off.

import { describe, expect, it } from 'vitest';
import type { ControllerStateInput } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { groupArn, makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

const BACKOFF_SECONDS = 900;
const policy = makePolicy({ guardrails: { humanOverrideBackoffSeconds: BACKOFF_SECONDS } });
const arn = groupArn('eu-central-1');
// Frankfurt is hot at the dial ga-steer set (100): with no back-off it would be lowered.
const HOT: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 900 },
  { region: 'eu-west-1', full: 1000, load: 300 },
];
const at = (secondsAfter: number): Date => new Date(NOW.getTime() + secondsAfter * 1000);
const snapshotAt = (t: Date) => {
  const fresh = new Date(t.getTime() - 30_000).toISOString();
  return { ...makeSnapshot({ regions: HOT, loadAt: fresh, latencyAt: fresh, topologyAt: fresh }), takenAt: t.toISOString() };
};

describe('evaluate: a person who puts a group back during the back-off', () => {
  it('restarts the back-off from the cycle that sees the group put back, and resumes a back-off later', () => {
    // ga-steer set 100; a person set 40 twenty minutes ago (back-off seen then); now it reads 100 again.
    const state: ControllerStateInput = {
      stateVersion: 2,
      groups: { [arn]: { expectedDialPercent: 100, expectedWeights: { 'i-eu-central-1': 128 }, humanOverrideSeenAt: at(-1200).toISOString(), humanOverrideDialPercent: 40, humanOverrideWeights: { 'i-eu-central-1': 128 } } },
    };
    const back = evaluate(policy, snapshotAt(NOW), state, NOW);
    expect(back.plan.changes.filter((c) => c.address.region === 'eu-central-1')).toEqual([]);
    const hold = back.plan.holds.find((h) => h.reason === 'HumanOverride');
    expect(hold?.message).toContain('eu-central-1');
    expect(back.state.groups[arn]).toMatchObject({ humanOverrideSeenAt: NOW.toISOString(), humanOverrideDialPercent: 100 });

    // Still as the person left it, within the back-off: held.
    const during = evaluate(policy, snapshotAt(at(600)), back.state, at(600));
    expect(during.plan.holds.map((h) => h.reason)).toContain('HumanOverride');
    expect(during.plan.changes.filter((c) => c.address.region === 'eu-central-1')).toEqual([]);

    // A whole back-off later: adopted, and Frankfurt is offloaded again.
    const after = evaluate(policy, snapshotAt(at(BACKOFF_SECONDS + 60)), during.state, at(BACKOFF_SECONDS + 60));
    expect(after.plan.holds.map((h) => h.reason)).not.toContain('HumanOverride');
    expect(after.plan.changes.some((c) => c.address.region === 'eu-central-1' && c.kind === 'dial')).toBe(true);
    expect(after.state.groups[arn]?.humanOverrideSeenAt).toBeUndefined();
  });
});
