// Property-based tests of the planner's guardrails: random services of one to three listeners, with
// loads, dials (per listener, some Regions absent from some listeners), health, cooldowns, Regions that
// were down last cycle, and a few cycles of history for the load fit.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/planner/evaluate.js';
import type { ControllerState, CyclePoint } from '../../src/planner/controller-state.js';
import type { Plan } from '../../src/plan/types.js';
import type { Policy } from '../../src/policy/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { groupArnOn, makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];
const COOLDOWN = 300;

interface Case {
  policy: Policy;
  snapshot: Snapshot;
  state: ControllerState;
  regions: RegionSpec[];
  listeners: number;
}

const regionArb = fc.record({
  full: fc.integer({ min: 100, max: 10_000 }),
  loadPercent: fc.integer({ min: 0, max: 200 }),
  dials: fc.array(fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 100 }), fc.constant(null)), { minLength: 3, maxLength: 3 }),
  healthy: fc.boolean(),
  wasDown: fc.boolean(),
  endpointLoads: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 3 }),
  changedSecondsAgo: fc.option(fc.integer({ min: 0, max: 1800 }), { nil: undefined }),
  lastDirection: fc.constantFrom('down' as const, 'up' as const),
  pastLoadPercents: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 3, maxLength: 3 }),
});

const scenario: fc.Arbitrary<Case> = fc
  .record({
    regionCount: fc.integer({ min: 1, max: 5 }),
    listeners: fc.integer({ min: 1, max: 3 }),
    regions: fc.array(regionArb, { minLength: 5, maxLength: 5 }),
    groups: fc.array(
      fc.record({ rtts: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 5, maxLength: 5 }), demand: fc.integer({ min: 1, max: 100 }) }),
      { minLength: 1, maxLength: 6 },
    ),
    historyCycles: fc.integer({ min: 0, max: 3 }),
    floor: fc.integer({ min: 0, max: 60 }),
    maxStep: fc.integer({ min: 1, max: 100 }),
    restoreStep: fc.integer({ min: 1, max: 100 }),
    minServing: fc.integer({ min: 1, max: 5 }),
    budgetMs: fc.integer({ min: 0, max: 200 }),
    overloadSkipsCooldown: fc.boolean(),
  })
  .map((s) => {
    const names = REGIONS.slice(0, s.regionCount);
    const regions: RegionSpec[] = names.map((region, i) => {
      const r = s.regions[i] ?? s.regions[0]!;
      // Listener 0 always has every Region, so every Region is governed somewhere.
      const dials = r.dials.slice(0, s.listeners).map((d, li) => (li === 0 && d === null ? 100 : d));
      return {
        region,
        full: r.full,
        load: (r.full * r.loadPercent) / 100,
        dials,
        healthy: r.healthy,
        endpoints: r.endpointLoads.map((load, j) => ({ id: `i-${region}-${j}`, weight: 100 + j * 20, load })),
      };
    });
    const groups = Object.fromEntries(
      s.groups.map((g, i) => [`G${i}`, { rtt: Object.fromEntries(names.map((n, j) => [n, g.rtts[j] ?? 50])), demand: g.demand }]),
    );
    const groupStates: ControllerState['groups'] = {};
    names.forEach((n, i) => {
      const r = s.regions[i];
      if (r?.changedSecondsAgo === undefined) return;
      for (let li = 0; li < s.listeners; li += 1) {
        groupStates[groupArnOn(li, n)] = { lastChangeAt: new Date(NOW.getTime() - r.changedSecondsAgo * 1000).toISOString(), lastDirection: r.lastDirection };
      }
    });
    const history: CyclePoint[] = Array.from({ length: s.historyCycles }, (_, k) => {
      const at = new Date(NOW.getTime() - (s.historyCycles - k) * 60_000).toISOString();
      return {
        at,
        dials: Object.fromEntries(regions.flatMap((r) => (r.dials ?? []).flatMap((d, li) => (d === null ? [] : [[groupArnOn(li, r.region), d]])))),
        healthy: Object.fromEntries(regions.map((r) => [r.region, r.healthy !== false])),
        load: Object.fromEntries(names.map((n, i) => [n, { value: ((s.regions[i]?.full ?? 100) * (s.regions[i]?.pastLoadPercents[k] ?? 50)) / 100, at }])),
        demand: Object.fromEntries(Object.entries(groups).map(([id, g]) => [id, g.demand])),
      };
    });
    const state: ControllerState = {
      stateVersion: 2,
      groups: groupStates,
      regions: Object.fromEntries(names.flatMap((n, i) => (s.regions[i]?.wasDown === true ? [[n, { healthy: false, healthSince: '2026-11-22T11:30:00Z' }]] : []))),
      history,
    };
    const policy = makePolicy(
      {
        guardrails: {
          dialFloorPercent: s.floor,
          maxStepPercent: s.maxStep,
          restoreStepPercent: s.restoreStep,
          minRegionsServing: Math.min(s.minServing, names.length),
          cooldownSeconds: COOLDOWN,
          overloadSkipsCooldown: s.overloadSkipsCooldown,
        },
        latency: { budgetMs: s.budgetMs },
      },
      regions,
    );
    return { policy, snapshot: makeSnapshot({ regions, groups, listeners: s.listeners }), state, regions, listeners: s.listeners };
  });

const RUNS = { numRuns: Number(process.env.PROP_RUNS ?? 150), seed: Number(process.env.PROP_SEED ?? 20261122) };

function liveDial(c: Case, arn: string): number | undefined {
  for (const l of c.snapshot.accelerators[0]?.listeners ?? []) {
    const g = l.endpointGroups.find((x) => x.arn === arn);
    if (g !== undefined) return g.trafficDialPercent;
  }
  return undefined;
}

function planOf(c: Case): Plan {
  return evaluate(c.policy, c.snapshot, c.state, NOW).plan;
}

describe('planner invariants (property-based)', () => {
  it('moves each dial within [floor, 100] and within one step, in the direction its reason says', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const g = c.policy.guardrails;
        for (const ch of planOf(c).changes) {
          if (ch.kind !== 'dial') continue;
          const before = ch.before.trafficDialPercent;
          const after = ch.after.trafficDialPercent;
          expect(before).toBe(liveDial(c, ch.address.endpointGroupArn));
          expect(after).toBeLessThanOrEqual(100);
          if (ch.reason === 'DialReduced') {
            expect(after).toBeLessThan(before);
            expect(after).toBeGreaterThanOrEqual(g.dialFloorPercent - 1e-9);
            expect(before - after).toBeLessThanOrEqual(g.maxStepPercent + 1e-9);
          } else {
            expect(ch.reason).toBe('DialRestored');
            expect(after).toBeGreaterThan(before);
            // Every raise within the restore step, a dial below the floor included.
            expect(after - before).toBeLessThanOrEqual(g.restoreStepPercent + 1e-9);
          }
        }
      }),
      RUNS,
    );
  });

  it('keeps, on every listener, the last healthy Region and minRegionsServing Regions serving', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const plan = planOf(c);
        const after = new Map<string, number>();
        for (const ch of plan.changes) if (ch.kind === 'dial') after.set(ch.address.endpointGroupArn, ch.after.trafficDialPercent);
        for (const l of c.snapshot.accelerators[0]?.listeners ?? []) {
          const healthy = l.endpointGroups.filter((g) => g.endpoints.some((e) => e.healthState === 'HEALTHY' && e.weight > 0));
          const servingBefore = healthy.filter((g) => g.trafficDialPercent > 0).length;
          const servingAfter = healthy.filter((g) => (after.get(g.arn) ?? g.trafficDialPercent) > 0).length;
          expect(servingAfter).toBeGreaterThanOrEqual(Math.min(servingBefore, c.policy.guardrails.minRegionsServing));
        }
      }),
      RUNS,
    );
  });

  it('in a group cooling down, only steps a dial down, and only for a Region heading over capacity', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        for (const ch of planOf(c).changes) {
          const last = c.state.groups[ch.address.endpointGroupArn]?.lastChangeAt;
          if (last === undefined || NOW.getTime() - Date.parse(last) >= COOLDOWN * 1000) continue;
          expect(ch.kind).toBe('dial');
          expect(ch.reason).toBe('DialReduced');
          expect(c.policy.guardrails.overloadSkipsCooldown).toBe(true);
          expect(ch.evidence.predictedIfUnchangedPercent ?? 0).toBeGreaterThan(100);
        }
      }),
      RUNS,
    );
  });

  it('never predicts more load above capacity than doing nothing, except where it only gives lowered dials back', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const plan = planOf(c);
        const d = plan.decision;
        if (d === undefined) return;
        const higherWorst = d.after.worstOverCapacityPoints > d.before.worstOverCapacityPoints + 0.1;
        const moreAtSameWorst = d.after.worstOverCapacityPoints > d.before.worstOverCapacityPoints - 0.1 && d.after.overCapacityDemandPercent > d.before.overCapacityDemandPercent + 0.1;
        if (!higherWorst && !moreAtSameWorst) return;
        // The one exception (Objective, tier 1): where the overload cannot be absorbed, a lowered dial is
        // given back so that fewer users are over capacity in the Region least over it. No user is sent away.
        const dials = plan.changes.filter((ch) => ch.kind === 'dial');
        expect(dials.length).toBeGreaterThan(0);
        for (const ch of dials) {
          if (ch.kind !== 'dial') continue;
          expect(ch.reason).toBe('DialRestored');
          expect(ch.after.trafficDialPercent).toBeGreaterThan(ch.before.trafficDialPercent);
        }
      }),
      RUNS,
    );
  });

  it('makes no Region hot (past its drain threshold) except to relieve load at or near capacity, and never past the worst it relieves', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const plan = planOf(c);
        const d = plan.decision;
        if (d === undefined) return;
        const relievedCapacity = d.after.worstOverCapacityPoints < d.before.worstOverCapacityPoints - 0.05 || d.after.overCapacityDemandPercent < d.before.overCapacityDemandPercent - 0.05;
        const relievedMargin = d.after.inCapacityMarginDemandPercent < d.before.inCapacityMarginDemandPercent - 0.05;
        const worstIfUnchanged = Math.max(0, ...plan.regions.map((r) => r.predictedIfUnchangedPercent ?? 0));
        for (const r of plan.regions) {
          const unchanged = r.predictedIfUnchangedPercent;
          const after = r.predictedUtilizationPercent;
          // Load moved between Regions that are both hot already is the threshold's business, not a flood.
          if (unchanged === null || after === null || after <= unchanged + 0.5 || r.condition === 'hot') continue;
          const drain = c.policy.regions[r.region]?.drainAbovePercent ?? 100;
          const staysBelowDrain = after <= Math.max(drain, unchanged) + 0.5;
          const forMargin = (relievedMargin || relievedCapacity) && after <= 100;
          const forCapacity = relievedCapacity && after < worstIfUnchanged;
          expect(staysBelowDrain || forMargin || forCapacity, `${r.region} ${unchanged} % -> ${after} % (drain ${drain} %)`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('is deterministic: the same input gives the same plan and state', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        expect(JSON.stringify(evaluate(c.policy, c.snapshot, c.state, NOW))).toBe(JSON.stringify(evaluate(c.policy, c.snapshot, c.state, NOW)));
      }),
      { ...RUNS, numRuns: 80 },
    );
  });

  it('never adds or removes an endpoint, and keeps weights in 0-255', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const groups = c.snapshot.accelerators[0]?.listeners.flatMap((l) => l.endpointGroups) ?? [];
        for (const ch of planOf(c).changes) {
          if (ch.kind !== 'weights') continue;
          const live = groups.find((g) => g.arn === ch.address.endpointGroupArn)?.endpoints.map((e) => e.endpointId);
          expect(ch.after.endpoints.map((e) => e.endpointId)).toEqual(live);
          expect(ch.before.endpoints.map((e) => e.endpointId)).toEqual(live);
          for (const e of ch.after.endpoints) {
            expect(Number.isInteger(e.weight)).toBe(true);
            expect(e.weight).toBeGreaterThanOrEqual(0);
            expect(e.weight).toBeLessThanOrEqual(255);
          }
        }
      }),
      RUNS,
    );
  });

  it('the next state parses, and records every dial it set', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const { plan, state } = evaluate(c.policy, c.snapshot, c.state, NOW);
        for (const ch of plan.changes) {
          if (ch.kind !== 'dial' || ch.dryRun) continue;
          expect(state.groups[ch.address.endpointGroupArn]?.expectedDialPercent).toBe(ch.after.trafficDialPercent);
        }
        expect(state.history.length).toBeLessThanOrEqual(64);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});
