// Property-based tests of the planner's guardrails: random services, loads, dials, health and state.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/planner/evaluate.js';
import type { ControllerState } from '../../src/planner/controller-state.js';
import { groupArn, makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];

const scenario = fc
  .record({
    regionCount: fc.integer({ min: 1, max: 5 }),
    regions: fc.array(
      fc.record({
        full: fc.integer({ min: 100, max: 10_000 }),
        loadPercent: fc.integer({ min: 0, max: 200 }),
        dial: fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 100 })),
        healthy: fc.boolean(),
        endpointLoads: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 3 }),
        cooledSecondsAgo: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
      }),
      { minLength: 5, maxLength: 5 },
    ),
    groups: fc.array(
      fc.record({ rtts: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 5, maxLength: 5 }), demand: fc.integer({ min: 1, max: 100 }) }),
      { minLength: 1, maxLength: 6 },
    ),
    floor: fc.integer({ min: 0, max: 60 }),
    maxStep: fc.integer({ min: 1, max: 100 }),
    restoreStep: fc.integer({ min: 1, max: 100 }),
    minServing: fc.integer({ min: 1, max: 5 }),
    budgetMs: fc.integer({ min: 0, max: 200 }),
  })
  .map((s) => {
    const names = REGIONS.slice(0, s.regionCount);
    const regions: RegionSpec[] = names.map((region, i) => {
      const r = s.regions[i] ?? s.regions[0]!;
      return {
        region,
        full: r.full,
        load: (r.full * r.loadPercent) / 100,
        dial: r.dial,
        healthy: r.healthy,
        endpoints: r.endpointLoads.map((load, j) => ({ id: `i-${region}-${j}`, weight: 100 + j * 20, load })),
      };
    });
    const groups = Object.fromEntries(
      s.groups.map((g, i) => [`G${i}`, { rtt: Object.fromEntries(names.map((n, j) => [n, g.rtts[j] ?? 50])), demand: g.demand }]),
    );
    const state: ControllerState = {
      stateVersion: 2,
      regions: {},
      history: [],
      groups: Object.fromEntries(
        names.flatMap((n, i) => {
          const ago = s.regions[i]?.cooledSecondsAgo;
          return ago === undefined ? [] : [[groupArn(n), { lastChangeAt: new Date(NOW.getTime() - ago * 1000).toISOString() }]];
        }),
      ),
    };
    const policy = makePolicy(
      {
        guardrails: {
          dialFloorPercent: s.floor,
          maxStepPercent: s.maxStep,
          restoreStepPercent: s.restoreStep,
          minRegionsServing: Math.min(s.minServing, names.length),
          cooldownSeconds: 300,
        },
        latency: { budgetMs: s.budgetMs },
      },
      regions,
    );
    return { policy, snapshot: makeSnapshot({ regions, groups }), state, regions };
  });

const RUNS = { numRuns: 300, seed: 20261122 };

describe('planner invariants (property-based)', () => {
  it('keeps dials within [floor, 100] and steps within their limits', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state }) => {
        const { plan } = evaluate(policy, snapshot, state, NOW);
        for (const c of plan.changes) {
          if (c.kind !== 'dial') continue;
          const { trafficDialPercent: after } = c.after;
          const { trafficDialPercent: before } = c.before;
          expect(after).toBeGreaterThanOrEqual(policy.guardrails.dialFloorPercent - 1e-9);
          expect(after).toBeLessThanOrEqual(100);
          if (c.reason === 'DialReduced') expect(before - after).toBeLessThanOrEqual(policy.guardrails.maxStepPercent + 1e-9);
          else expect(after).toBeLessThanOrEqual(Math.max(before + policy.guardrails.restoreStepPercent, policy.guardrails.dialFloorPercent) + 1e-9);
        }
      }),
      RUNS,
    );
  });

  it('never drains every Region, the last healthy Region, or below minRegionsServing', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state, regions }) => {
        const { plan } = evaluate(policy, snapshot, state, NOW);
        const after = new Map(regions.map((r) => [r.region, r.dial ?? 100]));
        for (const c of plan.changes) if (c.kind === 'dial') after.set(c.address.region, c.after.trafficDialPercent);
        const healthy = regions.filter((r) => r.healthy !== false);
        const servingBefore = healthy.filter((r) => (r.dial ?? 100) > 0).length;
        const servingAfter = healthy.filter((r) => (after.get(r.region) ?? 100) > 0).length;
        expect(servingAfter).toBeGreaterThanOrEqual(Math.min(servingBefore, policy.guardrails.minRegionsServing));
        if (healthy.length === 1) {
          expect(plan.changes.filter((c) => c.reason === 'DialReduced' && c.address.region === healthy[0]?.region)).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('changes nothing in a Region that is cooling down', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state }) => {
        const { plan } = evaluate(policy, snapshot, state, NOW);
        for (const c of plan.changes) {
          const last = state.groups[c.address.endpointGroupArn]?.lastChangeAt;
          if (last !== undefined) expect(NOW.getTime() - Date.parse(last)).toBeGreaterThanOrEqual(policy.guardrails.cooldownSeconds * 1000);
        }
      }),
      RUNS,
    );
  });

  it('is deterministic: the same input gives the same plan and state', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state }) => {
        expect(JSON.stringify(evaluate(policy, snapshot, state, NOW))).toBe(JSON.stringify(evaluate(policy, snapshot, state, NOW)));
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('never adds or removes an endpoint, and keeps weights in 0-255', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state }) => {
        const { plan } = evaluate(policy, snapshot, state, NOW);
        const groups = snapshot.accelerators[0]?.listeners[0]?.endpointGroups ?? [];
        for (const c of plan.changes) {
          if (c.kind !== 'weights') continue;
          const live = groups.find((g) => g.arn === c.address.endpointGroupArn)?.endpoints.map((e) => e.endpointId);
          expect(c.after.endpoints.map((e) => e.endpointId)).toEqual(live);
          expect(c.before.endpoints.map((e) => e.endpointId)).toEqual(live);
          for (const e of c.after.endpoints) {
            expect(Number.isInteger(e.weight)).toBe(true);
            expect(e.weight).toBeGreaterThanOrEqual(0);
            expect(e.weight).toBeLessThanOrEqual(255);
          }
        }
      }),
      RUNS,
    );
  });

  it('never plans an offload that would push a receiver over its target', () => {
    fc.assert(
      fc.property(scenario, ({ policy, snapshot, state }) => {
        const { plan } = evaluate(policy, snapshot, state, NOW);
        for (const c of plan.changes) {
          if (c.reason !== 'DialReduced') continue;
          for (const [r, u] of Object.entries(c.evidence.receiverUtilizationPercent)) {
            const before = plan.regions.find((x) => x.region === r)?.utilizationPercent ?? 0;
            const target = policy.regions[r]?.targetPercent ?? 100;
            expect(u <= target + 0.1 || u <= before + 0.1, `${r} ${u} > ${target}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });
});
