import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { dialGrid, searchBestDials } from '../../src/sim/bounds/best-dial-bound.js';
import { DialSteadyState } from '../../src/sim/bounds/dial-steady-state.js';
import { BestDialOptionsError, BoundsInputError, MissingRttError } from '../../src/sim/bounds/errors.js';
import { latencyFiguresOfFlows, weightedLatencyFigures } from '../../src/sim/bounds/latency-figures.js';
import { loadHighs, solveLpBound } from '../../src/sim/bounds/lp-bound.js';
import { truthRoutingShares } from '../../src/sim/truth/ga-routing.js';
import type { AssignmentProblem, ServiceMetro } from '../../src/sim/types.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { worldProblem } from './world-problem.js';

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

function metro(id: string, rttMs: Record<string, number>): ServiceMetro {
  const proximity = Object.keys(rttMs).sort((a, b) => (rttMs[a] ?? 0) - (rttMs[b] ?? 0) || a.localeCompare(b));
  return { id, countryCode: 'ZZ', clientGroup: 'ZZ', demandShare: 0, utcOffsetHours: 0, rttMs, proximity };
}

function problem(p: {
  rtt: Record<string, Record<string, number>>;
  demand: number[];
  capacity: Record<string, number>;
  capacityFraction?: number;
  unhealthy?: string[];
}): AssignmentProblem {
  return {
    regions: Object.entries(p.capacity).map(([code, capacity]) => ({ code, capacity })),
    metros: Object.entries(p.rtt).map(([id, rtt]) => metro(id, rtt)),
    demand: p.demand,
    capacityFraction: p.capacityFraction ?? 1,
    unhealthy: new Set(p.unhealthy ?? []),
  };
}

// m1 is near A, m2 near B.
const apart = { m1: { A: 10, B: 50 }, m2: { A: 40, B: 20 } };
// Both metros are near A; moving m2 to B costs 10 ms a flow, moving m1 costs 40.
const bothNearA = { m1: { A: 10, B: 50 }, m2: { A: 20, B: 30 } };

describe('latency figures', () => {
  it('weights the mean by flows and takes the lowest RTT reaching 95 % of them', () => {
    expect(weightedLatencyFigures([{ rttMs: 10, weight: 1 }, { rttMs: 30, weight: 3 }])).toEqual({ meanMs: 25, p95Ms: 30 });
    const points = [{ rttMs: 50, weight: 5 }, { rttMs: 10, weight: 95 }];
    expect(weightedLatencyFigures(points)).toEqual({ meanMs: 12, p95Ms: 10 });
    expect(weightedLatencyFigures([{ rttMs: 50, weight: 5.0001 }, { rttMs: 10, weight: 94.9999 }]).p95Ms).toBe(50);
  });

  it('ignores empty weights and gives NaN when nothing flows', () => {
    expect(weightedLatencyFigures([{ rttMs: 999, weight: 0 }, { rttMs: 7, weight: 2 }])).toEqual({ meanMs: 7, p95Ms: 7 });
    const none = weightedLatencyFigures([]);
    expect(Number.isNaN(none.meanMs) && Number.isNaN(none.p95Ms)).toBe(true);
  });

  it('reads per-metro flows and refuses flows to a Region without an RTT', () => {
    const metros = [metro('m1', { A: 10, B: 50 }), metro('m2', { A: 40, B: 20 })];
    expect(latencyFiguresOfFlows(metros, [{ A: 50, B: 50 }, { B: 100 }])).toEqual({ meanMs: 25, p95Ms: 50 });
    expect(() => latencyFiguresOfFlows(metros, [{ C: 1 }, {}])).toThrow(MissingRttError);
  });
});

describe('LP bound', () => {
  it('loads HiGHS once', async () => {
    expect(await loadHighs()).toBe(highs);
  });

  it('sends every metro to its nearest Region when capacity is ample', () => {
    const r = solveLpBound(problem({ rtt: apart, demand: [100, 100], capacity: { A: 1000, B: 1000 } }), highs);
    expect(r.status).toBe('optimal');
    expect(r.meanMs).toBeCloseTo(15, 9);
    expect(r.p95Ms).toBe(20);
    expect(r.assignment).toEqual([{ A: 1 }, { B: 1 }]);
    expect(r.totalOverflow).toBe(0);
  });

  it('moves the cheapest flows when capacity binds, using the capacity fraction', () => {
    const r = solveLpBound(problem({ rtt: bothNearA, demand: [100, 100], capacity: { A: 200, B: 2000 }, capacityFraction: 0.5 }), highs);
    expect(r.status).toBe('optimal');
    expect(r.assignment[0]?.A).toBeCloseTo(1, 9);
    expect(r.assignment[1]?.B).toBeCloseTo(1, 9);
    expect(r.meanMs).toBeCloseTo(20, 6);
    expect(r.p95Ms).toBe(30);
    expect(r.loads.A).toBeCloseTo(100, 6);
  });

  it('splits a metro when only part of it fits', () => {
    const r = solveLpBound(problem({ rtt: bothNearA, demand: [100, 100], capacity: { A: 150, B: 1000 } }), highs);
    expect(r.assignment[0]?.A).toBeCloseTo(1, 9);
    expect(r.assignment[1]?.A).toBeCloseTo(0.5, 9);
    expect(r.assignment[1]?.B).toBeCloseTo(0.5, 9);
    expect(r.meanMs).toBeCloseTo((100 * 10 + 50 * 20 + 50 * 30) / 200, 6);
  });

  it('gives an unhealthy Region nothing', () => {
    const r = solveLpBound(problem({ rtt: apart, demand: [100, 100], capacity: { A: 1000, B: 1000 }, unhealthy: ['A'] }), highs);
    expect(r.assignment).toEqual([{ B: 1 }, { B: 1 }]);
    expect(r.meanMs).toBeCloseTo(35, 9);
    expect(r.loads.A).toBe(0);
  });

  it('reports the least overflow, then the least latency, when demand exceeds capacity', () => {
    // 200 flows, 170 usable: 30 must overflow. m2 fills B (cheap), 20 of m1 go to B, 80 stay on A (30 over).
    const r = solveLpBound(problem({ rtt: apart, demand: [100, 100], capacity: { A: 50, B: 120 } }), highs);
    expect(r.status).toBe('optimal-with-overflow');
    expect(r.totalOverflow).toBeCloseTo(30, 6);
    expect(r.overflow.A).toBeCloseTo(30, 6);
    expect(r.overflow.B).toBe(0);
    expect(r.assignment[0]?.A).toBeCloseTo(0.8, 9);
    expect(r.meanMs).toBeCloseTo(19, 6);
  });

  it('fails open to the nearest Region when nothing is healthy', () => {
    const r = solveLpBound(problem({ rtt: apart, demand: [100, 50], capacity: { A: 1000, B: 1000 }, unhealthy: ['A', 'B'] }), highs);
    expect(r.status).toBe('no-healthy-region');
    expect(r.assignment).toEqual([{ A: 1 }, { B: 1 }]);
    expect(r.overflow).toEqual({ A: 100, B: 50 });
    expect(r.totalOverflow).toBe(150);
  });

  it('gives a metro without demand its nearest healthy Region', () => {
    const r = solveLpBound(problem({ rtt: apart, demand: [0, 100], capacity: { A: 1000, B: 1000 }, unhealthy: [] }), highs);
    expect(r.assignment).toEqual([{ A: 1 }, { B: 1 }]);
    expect(r.meanMs).toBeCloseTo(20, 9);
  });

  it('refuses an inconsistent problem, listing every issue', () => {
    const bad = problem({ rtt: { m1: { A: 10 } }, demand: [1, 2], capacity: { A: 10, B: -1 }, capacityFraction: 0 });
    try {
      solveLpBound(bad, highs);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BoundsInputError);
      const issues = (err as BoundsInputError).issues.join('\n');
      expect(issues).toMatch(/demand has 2 entries for 1 metros/);
      expect(issues).toMatch(/capacityFraction/);
      expect(issues).toMatch(/Region B: capacity/);
      expect(issues).toMatch(/metro m1: no usable RTT to B/);
    }
  });

  it('solves the committed world (394 metros x 32 Regions) with capacity binding', () => {
    const world = loadWorld();
    const total = 1e6;
    const usable = 1.3e6 / world.regions.length;
    const p = worldProblem(world, { totalDemand: total, capacity: () => usable / 0.75, capacityFraction: 0.75 });
    const r = solveLpBound(p, highs);
    expect(r.status).toBe('optimal');
    for (const shares of r.assignment) expect(Object.values(shares).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    for (const load of Object.values(r.loads)) expect(load).toBeLessThanOrEqual(usable * (1 + 1e-6));
    const nearest = p.metros.reduce((s, m, i) => s + (p.demand[i] ?? 0) * (m.rttMs[m.proximity[0] ?? ''] ?? 0), 0) / total;
    expect(r.meanMs).toBeGreaterThan(nearest + 1);
  });
});

describe('best-dial bound', () => {
  it('builds the dial grid from 100 down to 0', () => {
    expect(dialGrid(5)).toHaveLength(21);
    expect(dialGrid(5).slice(0, 3)).toEqual([100, 95, 90]);
    expect(dialGrid(30)).toEqual([100, 70, 40, 10, 0]);
    expect(dialGrid(100)).toEqual([100, 0]);
    expect(() => dialGrid(0)).toThrow(BestDialOptionsError);
    expect(() => searchBestDials(problem({ rtt: apart, demand: [1, 1], capacity: { A: 9, B: 9 } }), { maxPasses: 0 })).toThrow(BestDialOptionsError);
  });

  it('leaves every dial at 100 and gives the nearest-Region latency when capacity is ample', () => {
    const r = searchBestDials(problem({ rtt: apart, demand: [100, 100], capacity: { A: 1000, B: 1000 } }));
    expect(r.method).toBe('exhaustive');
    expect(r.dials).toEqual({ A: 100, B: 100 });
    expect(r.meanMs).toBeCloseTo(15, 9);
    expect(r.p95Ms).toBe(20);
    expect(r.feasible).toBe(true);
    expect(r.overloadFlows).toBe(0);
  });

  it('turns the shared nearest Region down just enough when capacity binds', () => {
    // A carries 100 of 200 flows at most: its dial goes to 50 for both metros (the LP does better, 20 ms).
    const r = searchBestDials(problem({ rtt: bothNearA, demand: [100, 100], capacity: { A: 200, B: 2000 }, capacityFraction: 0.5 }));
    expect(r.dials).toEqual({ A: 50, B: 100 });
    expect(r.feasible).toBe(true);
    expect(r.loads.A).toBeCloseTo(100, 9);
    expect(r.meanMs).toBeCloseTo(27.5, 9);
    expect(r.p95Ms).toBe(50);
    expect(r.shares).toEqual([{ A: 0.5, B: 0.5 }, { A: 0.5, B: 0.5 }]);
    // B is no metro's first Region: only 100 and 0 are tried for it (21 x 2 settings).
    expect(r.evaluations).toBe(42);
  });

  it('ignores an unhealthy Region and reports its dial at 100', () => {
    const r = searchBestDials(problem({ rtt: apart, demand: [100, 100], capacity: { A: 1000, B: 1000 }, unhealthy: ['A'] }));
    expect(r.dials).toEqual({ A: 100, B: 100 });
    expect(r.meanMs).toBeCloseTo(35, 9);
    expect(r.loads.A).toBe(0);
    expect(r.feasible).toBe(true);
  });

  it('returns the least total overload, flagged infeasible, when no setting fits', () => {
    // 200 flows, 170 usable: at best 30 over, with A turned down to 80 % as in the LP.
    const r = searchBestDials(problem({ rtt: apart, demand: [100, 100], capacity: { A: 50, B: 120 } }));
    expect(r.feasible).toBe(false);
    expect(r.overloadFlows).toBeCloseTo(30, 9);
    expect(r.dials).toEqual({ A: 80, B: 100 });
    expect(r.meanMs).toBeCloseTo(19, 9);
  });

  it('fails open when nothing is healthy', () => {
    const r = searchBestDials(problem({ rtt: apart, demand: [100, 50], capacity: { A: 1000, B: 1000 }, unhealthy: ['A', 'B'] }));
    expect(r.method).toBe('no-healthy-region');
    expect(r.feasible).toBe(false);
    expect(r.overloadFlows).toBe(150);
    expect(r.shares).toEqual([{ A: 1 }, { B: 1 }]);
  });

  it('routes by the ground truth: loads are the truth\'s shares of demand', () => {
    const p = problem({ rtt: { m1: { A: 10, B: 20, C: 30 }, m2: { A: 15, B: 12, C: 40 }, m3: { A: 50, B: 45, C: 5 } }, demand: [300, 100, 50], capacity: { A: 120, B: 300, C: 200 } });
    const r = searchBestDials(p, { stepPercent: 10 });
    const state = Object.fromEntries(Object.entries(r.dials).map(([code, dialPercent]) => [code, { dialPercent, healthy: true }]));
    p.metros.forEach((m, i) => expect(r.shares[i]).toEqual(truthRoutingShares(m.proximity, state)));
    expect(r.feasible).toBe(true);
    for (const reg of p.regions) expect(r.loads[reg.code] ?? 0).toBeLessThanOrEqual(reg.capacity + 1e-9);
    expect(r.dials.A).toBe(40);
  });

  it('searches the committed world by coordinate descent, all dials at 100 when capacity is ample', () => {
    const world = loadWorld();
    const p = worldProblem(world, { totalDemand: 1e6, capacity: () => 1e9, capacityFraction: 0.75 });
    const r = searchBestDials(p);
    expect(r.method).toBe('coordinate-descent');
    expect(Object.values(r.dials).every((d) => d === 100)).toBe(true);
    const nearest = p.metros.reduce((s, m, i) => s + (p.demand[i] ?? 0) * (m.rttMs[m.proximity[0] ?? ''] ?? 0), 0) / 1e6;
    expect(r.meanMs).toBeCloseTo(nearest, 6);
    expect(r.feasible).toBe(true);
  });
});

const CODES = ['A', 'B', 'C', 'D'];

/** Small random problems: 2-4 Regions, 1-5 metros, capacity from none to ample, some Regions down. */
const smallProblem = fc
  .record({
    regionCount: fc.integer({ min: 2, max: 4 }),
    metros: fc.array(
      fc.record({ rtts: fc.array(fc.integer({ min: 1, max: 250 }), { minLength: 4, maxLength: 4 }), demand: fc.integer({ min: 0, max: 100 }) }),
      { minLength: 1, maxLength: 5 },
    ),
    capacities: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 4, maxLength: 4 }),
    capacityFraction: fc.constantFrom(0.75, 1),
    down: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .map((s): AssignmentProblem => {
    const codes = CODES.slice(0, s.regionCount);
    return {
      regions: codes.map((code, i) => ({ code, capacity: s.capacities[i] ?? 0 })),
      metros: s.metros.map((m, i) => metro(`m${i}`, Object.fromEntries(codes.map((c, j) => [c, m.rtts[j] ?? 1])))),
      demand: s.metros.map((m) => m.demand),
      capacityFraction: s.capacityFraction,
      unhealthy: new Set(codes.filter((_, i) => s.down[i] === true)),
    };
  });

function nearestHealthyMean(p: AssignmentProblem): number {
  let sum = 0;
  let total = 0;
  p.metros.forEach((m, i) => {
    const d = p.demand[i] ?? 0;
    const r = m.proximity.find((c) => !p.unhealthy.has(c)) ?? m.proximity[0] ?? '';
    sum += d * (m.rttMs[r] ?? 0);
    total += d;
  });
  return sum / total;
}

describe('bounds on random problems', () => {
  it('the LP bound is never above the best-dial bound, nor its overflow above the dials\' overload', () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        const lp = solveLpBound(p, highs);
        const dials = searchBestDials(p, { stepPercent: 20 });
        expect(lp.totalOverflow).toBeLessThanOrEqual(dials.overloadFlows + 1e-6);
        if (dials.feasible) expect(lp.status).not.toBe('optimal-with-overflow');
        if (lp.status === 'optimal' && dials.feasible && Number.isFinite(dials.meanMs)) expect(lp.meanMs).toBeLessThanOrEqual(dials.meanMs + 1e-6);
      }),
      { numRuns: 150 },
    );
  });

  it('the LP bound is never below every metro at its nearest healthy Region, and reaches it with ample capacity', () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        const total = p.demand.reduce((a, b) => a + b, 0);
        fc.pre(total > 0 && p.unhealthy.size < p.regions.length);
        const nearest = nearestHealthyMean(p);
        expect(solveLpBound(p, highs).meanMs).toBeGreaterThanOrEqual(nearest - 1e-6);
        const ample = { ...p, regions: p.regions.map((r) => ({ ...r, capacity: 10 * total })) };
        expect(solveLpBound(ample, highs).meanMs).toBeCloseTo(nearest, 6);
        const dials = searchBestDials(ample, { stepPercent: 20 });
        expect(Object.entries(dials.dials).every(([, d]) => d === 100)).toBe(true);
        expect(dials.meanMs).toBeCloseTo(nearest, 9);
      }),
      { numRuns: 100 },
    );
  });

  it('coordinate descent never beats the exhaustive search, which is exact on the grid', () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        const exact = searchBestDials(p, { stepPercent: 20 });
        const descent = searchBestDials(p, { stepPercent: 20, exhaustiveLimit: 0 });
        expect(descent.overloadFlows).toBeGreaterThanOrEqual(exact.overloadFlows - 1e-6);
        if (Math.abs(descent.overloadFlows - exact.overloadFlows) <= 1e-6 && Number.isFinite(exact.meanMs)) {
          expect(descent.meanMs).toBeGreaterThanOrEqual(exact.meanMs - 1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a one-dial move evaluated incrementally equals the full steady state', () => {
    const dial = fc.constantFrom(0, 0, 30, 50, 100);
    fc.assert(
      fc.property(smallProblem, fc.array(dial, { minLength: 4, maxLength: 4 }), fc.nat(3), dial, (p, dials, pick, value) => {
        const model = new DialSteadyState(p);
        fc.pre(model.regions.length > 0);
        const base = model.steadyState(model.regions.map((_, h) => dials[h] ?? 100));
        const h = pick % model.regions.length;
        const moved = model.moved(base, h, value);
        const full = model.steadyState(moved.dials);
        moved.loads.forEach((load, k) => expect(load).toBeCloseTo(full.loads[k] ?? Number.NaN, 9));
        expect(moved.latency).toBeCloseTo(full.latency, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same problem gives the same bounds', () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        expect(searchBestDials(p, { exhaustiveLimit: 0 })).toEqual(searchBestDials(p, { exhaustiveLimit: 0 }));
        expect(searchBestDials(p, { stepPercent: 20 })).toEqual(searchBestDials(p, { stepPercent: 20 }));
        expect(solveLpBound(p, highs)).toEqual(solveLpBound(p, highs));
      }),
      { numRuns: 50 },
    );
  });
});
