// The "Done when" criteria (issue 9), judged on one world's result. Each flag names a missed
// criterion:
//  - OVER: ga-steer over capacity after the third cycle of a stress, counted only at instants where
//    some dial setting avoids overload (the best-dial bound at capacity, 5-point grid, every 10
//    simulated minutes and held in between);
//  - WORSE: ga-steer more Region-minutes over capacity after the third cycle than GA alone;
//  - OSC: any dial reversal within 30 minutes (figures.ts's oscillations);
//  - CHURN: more changes than the waterfall oracle;
//  - LAT: mean latency more than 1 % above the best-dial bound at capacity.

import type { WorldResult } from './run-world.js';

export const FLAGS = ['OVER', 'WORSE', 'OSC', 'CHURN', 'LAT'] as const;
export type Flag = (typeof FLAGS)[number];

export const FLAG_MEANINGS: Readonly<Record<Flag, string>> = {
  OVER: 'ga-steer over capacity after the 3rd cycle at an instant where some dial setting avoids overload (best-dial bound at capacity)',
  WORSE: 'ga-steer over capacity after the 3rd cycle more than GA alone',
  OSC: 'a dial reversal within 30 minutes',
  CHURN: 'more changes than the waterfall oracle',
  LAT: 'mean latency more than 1 % above the best-dial bound at capacity',
};

const LATENCY_TOLERANCE_PERCENT = 1;

export function judgeWorld(r: WorldResult): Flag[] {
  const steer = r.runs['ga-steer'];
  const gap = steer.figures.gapToBestDialPercent;
  const missed: Record<Flag, boolean> = {
    OVER: steer.overLateFeasibleMinutes > 0,
    WORSE: steer.figures.overCapacityAfterThirdCycleMinutes > r.runs['ga-alone'].figures.overCapacityAfterThirdCycleMinutes,
    OSC: steer.figures.oscillations > 0,
    CHURN: steer.figures.changes > r.runs['waterfall-oracle'].figures.changes,
    LAT: gap !== null && gap > LATENCY_TOLERANCE_PERCENT,
  };
  return FLAGS.filter((f) => missed[f]);
}
