import { describe, expect, it } from 'vitest';
import { landingCostMatrix, positiveGap } from '../../src/model/landing-cost.js';

/** E[D | D > 0] for D ~ N(m, sd^2) by numerical integration (trapezoid over 0..m+12sd). */
function integrated(m: number, sd: number): number {
  const hi = Math.max(m, 0) + 12 * sd;
  const n = 200_000;
  const h = hi / n;
  let mass = 0;
  let first = 0;
  for (let i = 0; i <= n; i += 1) {
    const x = i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    const pdf = Math.exp(-0.5 * ((x - m) / sd) ** 2);
    mass += w * pdf;
    first += w * x * pdf;
  }
  return first / mass;
}

describe('positiveGap: the mean of a normal gap given that it is positive', () => {
  it.each([
    [10, 5],
    [0, 5],
    [-5, 5],
    [-15, 5],
    [-19.9, 5],
    [-20.1, 5],
    [-40, 5],
  ])('matches numerical integration for m=%d, sd=%d (within 1.5 %, the erf approximation\'s limit near z=-4)', (m, sd) => {
    const exact = integrated(m, sd);
    expect(Math.abs(positiveGap(m, sd) - exact) / exact).toBeLessThan(0.015);
  });

  it('is continuous where the asymptotic series takes over', () => {
    const sd = 3;
    const below = positiveGap(-4 * sd - 1e-9, sd);
    const above = positiveGap(-4 * sd + 1e-9, sd);
    expect(Math.abs(below - above)).toBeLessThan(2e-3);
  });

  it('is positive, rises with m, and falls back to max(0, m) without spread', () => {
    let last = 0;
    for (let m = -50; m <= 50; m += 0.5) {
      const g = positiveGap(m, 4);
      expect(g).toBeGreaterThan(0);
      expect(g).toBeGreaterThanOrEqual(last);
      last = g;
    }
    expect(positiveGap(7, 0)).toBe(7);
    expect(positiveGap(-7, 0)).toBe(0);
  });
});

describe('landingCostMatrix', () => {
  it('makes a user\'s nearest Region his cheapest, even where the group\'s mean RTT elsewhere is lower', () => {
    const rtt = [40, 25, 90, Number.NaN];
    const R = rtt.length;
    const m = landingCostMatrix(rtt, 8);
    for (let s = 0; s < R; s += 1) {
      for (let j = 0; j < R; j += 1) {
        if (j === s) continue;
        expect(m[s * R + j] as number).toBeGreaterThan(m[s * R + s] as number);
      }
    }
    // Users nearest to Region 0 (mean 40) pay more than the group's 25 ms mean in Region 1.
    expect(m[0 * R + 1] as number).toBeGreaterThan(40);
    // Unmeasured RTT counts as the highest measured one.
    expect(m[3 * R + 3]).toBe(90);
  });
});
