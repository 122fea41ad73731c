// Two random-worlds campaign runs compared world by world (npm run worlds:compare).

import { describe, expect, it } from 'vitest';
import { campaignSummarySchema, compareCampaigns, renderComparison, signTest, type CampaignSummary } from '../../scripts/worlds/compare-campaigns.js';

const run = (late: number, extra: { feasible?: number; margin?: number; reversals?: number; changes?: number } = {}) => ({
  figures: { overCapacityAfterThirdCycleMinutes: late, meanLatencyMs: 30, changes: extra.changes ?? 10, oscillations: extra.reversals ?? 0 },
  overLateFeasibleMinutes: extra.feasible ?? 0,
  ...(extra.margin !== undefined ? { overLateMarginFeasibleMinutes: extra.margin } : {}),
});

/** A summary as `npm run worlds` writes it (the fields the comparison reads, and others it ignores). */
function summary(seed: number, steerLate: readonly number[], gaLate = 100, withMargin = false): CampaignSummary {
  return campaignSummarySchema.parse({
    seed,
    count: steerLate.length,
    wallSeconds: 1,
    worlds: steerLate.map((late, i) => ({
      name: `world-${seed * 1000 + i + 1}`,
      flags: [],
      runs: { 'ga-alone': run(gaLate), threshold: run(0), 'ga-steer': run(late, { feasible: late / 2, ...(withMargin ? { margin: late / 4 } : {}) }) },
    })),
  });
}

describe('compareCampaigns', () => {
  it('pairs worlds by name across seeds, counts those moved by more than a minute, and totals both runs', () => {
    const c = compareCampaigns([
      [summary(1, [10, 50, 200]), summary(1, [10, 40, 201])],
      [summary(2, [0, 120]), summary(2, [30, 90])],
    ]);
    expect(c.worlds.map((w) => w.name)).toEqual(['world-1001', 'world-1002', 'world-1003', 'world-2001', 'world-2002']);
    // 50 -> 40 and 120 -> 90 better, 0 -> 30 worse; 200 -> 201 is a flicker.
    expect([c.better, c.worse]).toEqual([2, 1]);
    expect(c.totals.a.late).toBe(380);
    expect(c.totals.b.late).toBe(371);
    expect(c.totals.b.feasible).toBe(185.5);
    // GA alone read 100 in each: A over it in world-1003 and world-2002, B in world-1003 only.
    expect(c.overGaAlone).toEqual({ a: 2, b: 1 });
  });

  it('names worlds that are not in both runs and leaves them out', () => {
    const c = compareCampaigns([[summary(1, [10, 20, 30]), summary(1, [10, 20])]]);
    expect(c.unmatched).toEqual(['world-1003']);
    expect(c.worlds).toHaveLength(2);
    expect(renderComparison(c)).toContain('Not in both runs, not compared: world-1003.');
  });

  it('prints one row per world, the totals and the sign test', () => {
    const text = renderComparison(compareCampaigns([[summary(1, [10, 50]), summary(1, [10, 40])]]));
    expect(text).toMatch(/^world-1002\s+100\s+50\s+40\s+-10\s/m);
    expect(text).toMatch(/^total\s+200\s+60\s+50\s+-10\s/m);
    expect(text).toContain('B better in 1 worlds, worse in 0');
  });

  it('totals the minutes within the capacity margin only when both runs counted them', () => {
    const margin = 'where a setting also keeps every Region within 95 % of capacity';
    expect(renderComparison(compareCampaigns([[summary(1, [10, 50], 100, true), summary(1, [10, 40], 100, true)]]))).toContain(`${margin}: A 15, B 13.`);
    // A summary written before the campaign counted them: no line rather than a wrong total.
    expect(renderComparison(compareCampaigns([[summary(1, [10, 50]), summary(1, [10, 40], 100, true)]]))).not.toContain(margin);
  });
});

describe('signTest', () => {
  it('gives the two-sided chance of a split at least as lopsided from a fair coin', () => {
    expect(signTest(0, 0)).toBe(1);
    expect(signTest(5, 5)).toBe(1);
    // 1 of 6 one way: (1 + 6) / 64, twice.
    expect(signTest(1, 5)).toBeCloseTo(14 / 64, 12);
    expect(signTest(5, 1)).toBeCloseTo(14 / 64, 12);
    // 5 of 32 one way (a change measured this stop): well under 1 in 1,000.
    expect(signTest(5, 27)).toBeLessThan(0.001);
    expect(signTest(9, 10)).toBe(1);
  });
});
