import { describe, expect, it } from 'vitest';
import { reconcileAlerts, type AlertCondition } from '../../src/app/alert-ledger.js';
import { emptyAlertMemory, MAX_OPEN_ALERTS, type AlertMemory } from '../../src/app/alert-memory.js';
import { alertForCompletedCycle } from '../../src/app/cycle-alerts.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import type { Hold } from '../../src/plan/types.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';

const T0 = new Date('2026-12-01T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const hold: AlertCondition = { key: 'hold:region:eu-central-1:CoolingDown', kind: 'hold', title: 'eu-central-1: CoolingDown' };
const failure: AlertCondition = { key: 'failure:cycle:reading the state:Error:abc', kind: 'failure', title: 'cycle failed while reading the state: Error' };
const proposal: AlertCondition = { key: 'proposal:g:dial:DialReduced', kind: 'proposal', title: 'g: DialReduced' };

function run(memory: AlertMemory, conditions: AlertCondition[], completion: 'succeeded' | 'planned-with-failure' | 'failed', minutes: number) {
  return reconcileAlerts(memory, conditions, completion, at(minutes), HOUR);
}

describe('alert ledger', () => {
  it('posts a new condition, stays quiet until the reminder is due, then reminds', () => {
    const first = run(emptyAlertMemory(), [hold], 'succeeded', 0);
    expect(first.post).toEqual([{ condition: hold }]);
    const quiet = run(first.memory, [hold], 'succeeded', 59);
    expect(quiet.post).toEqual([]);
    expect(quiet.memory.open[hold.key]).toMatchObject({ seenCount: 2, lastPostedAt: at(0).toISOString() });
    const due = run(quiet.memory, [hold], 'succeeded', 60);
    expect(due.post).toEqual([{ condition: hold, reminderOf: quiet.memory.open[hold.key] }]);
    expect(due.memory.open[hold.key]).toMatchObject({ firstPostedAt: at(0).toISOString(), lastPostedAt: at(60).toISOString(), seenCount: 3 });
  });

  it('a failed cycle resolves nothing: it could not see the holds, nor whether a failure cleared', () => {
    const open = run(emptyAlertMemory(), [hold, failure, proposal], 'succeeded', 0).memory;
    const failed = run(open, [], 'failed', 1);
    expect(failed.resolved).toEqual([]);
    expect(Object.keys(failed.memory.open).sort()).toEqual([failure.key, hold.key, proposal.key].sort());
  });

  it('a cycle that planned but failed to apply resolves holds, keeps failures; a success resolves failures', () => {
    const open = run(emptyAlertMemory(), [hold, failure], 'failed', 0).memory;
    const partly = run(open, [], 'planned-with-failure', 1);
    expect(partly.resolved.map((r) => r.key)).toEqual([hold.key]);
    const ok = run(partly.memory, [], 'succeeded', 2);
    expect(ok.resolved.map((r) => r.key)).toEqual([failure.key]);
    expect(ok.memory.open).toEqual({});
  });

  it('a proposal that is gone is dropped without a "resolved"', () => {
    const open = run(emptyAlertMemory(), [proposal], 'succeeded', 0).memory;
    const gone = run(open, [], 'succeeded', 1);
    expect(gone.resolved).toEqual([]);
    expect(gone.memory.open).toEqual({});
  });

  it('remembers at most MAX_OPEN_ALERTS, the newest', () => {
    let memory = emptyAlertMemory();
    for (let i = 0; i < MAX_OPEN_ALERTS + 20; i++) {
      const many = Array.from({ length: i + 1 }, (_, j): AlertCondition => ({ key: `hold:g${j}:CoolingDown`, kind: 'hold', title: `g${j}` }));
      memory = run(memory, many, 'succeeded', i).memory;
    }
    expect(Object.keys(memory.open)).toHaveLength(MAX_OPEN_ALERTS);
    expect(memory.open[`hold:g${MAX_OPEN_ALERTS + 19}:CoolingDown`]).toBeDefined();
    expect(memory.open['hold:g0:CoolingDown']).toBeUndefined();
  });
});

describe('cycle alerts', () => {
  const policy = makePolicy({ alerts: { slack: { on: ['changes', 'holds'] } } });
  const { plan } = evaluate(policy, makeSnapshot(), emptyControllerState(), NOW);
  const holdOf = (reason: Hold['reason']): Hold => ({ scope: { kind: 'region', region: 'eu-central-1' }, reason, message: `${reason} for a while`, evidence: {} });
  const cycleWith = (holds: Hold[], memory: AlertMemory, minutes: number) =>
    alertForCompletedCycle(policy, { mode: 'apply', plan: { ...plan, changes: [], holds }, report: undefined, topology: null }, memory, new Date(NOW.getTime() + minutes * 60_000));

  it('the end of a cooldown after ga-steer\'s own change is no news; the end of another hold is', () => {
    const cooling = cycleWith([holdOf('CoolingDown'), holdOf('Pinned')], emptyAlertMemory(), 0);
    expect(cooling.alert?.holds.map((h) => h.hold.reason)).toEqual(['CoolingDown', 'Pinned']);
    const cleared = cycleWith([], cooling.memory, 6);
    expect(cleared.alert?.resolved.map((r) => r.title)).toEqual(['eu-central-1: Pinned']);
    expect(cleared.memory.open).toEqual({});
  });

  it('an apply that stopped after someone else\'s edit, with nothing failed, says so and what it left', () => {
    const hot = makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: 900 }, { region: 'eu-west-1', full: 1000, load: 300 }] });
    const steering = makePolicy({ alerts: { slack: { on: ['changes', 'apply-failed'] } } });
    const planned = evaluate(steering, hot, emptyControllerState(), NOW).plan;
    const [first] = planned.changes;
    expect(first).toBeDefined();
    if (first === undefined) return;
    const second = { ...first, address: { ...first.address, endpointGroupArn: `${first.address.endpointGroupArn}-2` } };
    const report = {
      outcome: 'partial' as const,
      changes: [
        { change: first, status: 'applied' as const, message: 'applied and verified; concurrent edit by someone else: the response shows weight 148, was 127' },
        { change: second, status: 'not-attempted' as const, message: 'someone else edited the accelerator during an earlier change; the next cycle judges this one afresh' },
      ],
    };
    const decision = alertForCompletedCycle(steering, { mode: 'apply', plan: { ...planned, changes: [first, second] }, report, topology: null }, emptyAlertMemory(), NOW);
    expect(decision.alert?.events).toContain('apply-failed');
    expect(decision.alert?.failures[0]).toMatchObject({ stage: 'applying', what: 'the apply' });
    expect(decision.alert?.failures[0]?.error).toMatch(/^someone else edited .* while it was written; the rest waits for the next cycle$/);
    expect(decision.alert?.failures[0]?.leftAsItWas).toMatch(/^not attempted, left as they were: /);
    expect(Object.keys(decision.memory.open).some((k) => k.startsWith('failure:apply:stopped:'))).toBe(true);
  });

  it('nothing is posted or remembered for events the policy does not list', () => {
    const quiet = makePolicy({ alerts: { slack: { on: ['changes'] } } });
    const decision = alertForCompletedCycle(quiet, { mode: 'apply', plan: { ...plan, changes: [], holds: [holdOf('Pinned')] }, report: undefined, topology: null }, emptyAlertMemory(), NOW);
    expect(decision).toEqual({ alert: undefined, memory: emptyAlertMemory(), changed: false });
  });
});
