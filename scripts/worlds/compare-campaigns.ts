// Two runs of the random-worlds campaign side by side, world by world: the same worlds (same seeds), ga-steer
// as it was (A) and as changed (B). A change of the planner moves some worlds one way and some the other,
// and one world can swing by a hundred Region-minutes on a small change (a different first cut, then a
// different path): the totals alone mislead. So beside them: how many worlds got better and worse by more
// than a minute, and the sign test's chance of a split at least that lopsided were the change neutral.

import { z } from 'zod';
import { renderTextTable } from '../../src/sim/text-table.js';

const figuresSchema = z.object({
  overCapacityAfterThirdCycleMinutes: z.number(),
  meanLatencyMs: z.number(),
  changes: z.number(),
  oscillations: z.number(),
});
// overLateMarginFeasibleMinutes: absent from summaries written before the campaign counted it.
const runSchema = z.object({ figures: figuresSchema, overLateFeasibleMinutes: z.number(), overLateMarginFeasibleMinutes: z.number().optional() });
const worldSchema = z.object({
  name: z.string(),
  runs: z.object({ 'ga-alone': runSchema, 'ga-steer': runSchema }),
});
export const campaignSummarySchema = z.object({ seed: z.number(), worlds: z.array(worldSchema) });
export type CampaignSummary = z.output<typeof campaignSummarySchema>;

/** One world's figures for one controller run. */
interface Figures {
  readonly late: number;
  readonly feasible: number;
  /** Of `feasible`, at instants where a setting keeps every Region within the 95 % margin; undefined in older summaries. */
  readonly margin: number | undefined;
  readonly changes: number;
  readonly reversals: number;
  readonly meanMs: number;
}

type Totals = Omit<Figures, 'meanMs'>;

export interface WorldComparison {
  readonly name: string;
  readonly gaAloneLate: number;
  readonly a: Figures;
  readonly b: Figures;
}

export interface CampaignComparison {
  readonly worlds: readonly WorldComparison[];
  /** Worlds in A with no counterpart in B, and the reverse (not compared). */
  readonly unmatched: readonly string[];
  /** Summed over the worlds (mean latencies are not: a sum of means means nothing). */
  readonly totals: { readonly gaAloneLate: number; readonly a: Totals; readonly b: Totals };
  /** Worlds whose Region-minutes over capacity after the third cycle fell (better) or rose (worse) by more than BETTER_BY_MORE_THAN. */
  readonly better: number;
  readonly worse: number;
  /** Two-sided sign test on better against worse (ties left out): the chance of a split this lopsided from a neutral change. */
  readonly signTestP: number;
  /** Worlds each run leaves over GA alone's Region-minutes over capacity after the third cycle. */
  readonly overGaAlone: { readonly a: number; readonly b: number };
}

/** A world counts as moved only beyond this (Region-minutes): a minute is one instant's flicker. */
export const BETTER_BY_MORE_THAN = 1;

function figuresOf(run: z.output<typeof runSchema>): Figures {
  return {
    late: run.figures.overCapacityAfterThirdCycleMinutes,
    feasible: run.overLateFeasibleMinutes,
    margin: run.overLateMarginFeasibleMinutes,
    changes: run.figures.changes,
    reversals: run.figures.oscillations,
    meanMs: run.figures.meanLatencyMs,
  };
}

function add(x: Totals, y: Figures): Totals {
  const margin = x.margin === undefined || y.margin === undefined ? undefined : x.margin + y.margin;
  return { late: x.late + y.late, feasible: x.feasible + y.feasible, margin, changes: x.changes + y.changes, reversals: x.reversals + y.reversals };
}

const ZERO: Totals = { late: 0, feasible: 0, margin: 0, changes: 0, reversals: 0 };

/** `pairs`: (A, B) summaries of the same campaign seed, one pair per seed. */
export function compareCampaigns(pairs: readonly (readonly [CampaignSummary, CampaignSummary])[]): CampaignComparison {
  const worlds: WorldComparison[] = [];
  const unmatched: string[] = [];
  for (const [a, b] of pairs) {
    const inB = new Map(b.worlds.map((w) => [w.name, w]));
    for (const wa of a.worlds) {
      const wb = inB.get(wa.name);
      if (wb === undefined) {
        unmatched.push(wa.name);
        continue;
      }
      inB.delete(wa.name);
      worlds.push({ name: wa.name, gaAloneLate: wa.runs['ga-alone'].figures.overCapacityAfterThirdCycleMinutes, a: figuresOf(wa.runs['ga-steer']), b: figuresOf(wb.runs['ga-steer']) });
    }
    unmatched.push(...inB.keys());
  }
  worlds.sort((x, y) => x.name.localeCompare(y.name));
  let better = 0;
  let worse = 0;
  for (const w of worlds) {
    if (w.b.late < w.a.late - BETTER_BY_MORE_THAN) better += 1;
    else if (w.b.late > w.a.late + BETTER_BY_MORE_THAN) worse += 1;
  }
  return {
    worlds,
    unmatched,
    totals: {
      gaAloneLate: worlds.reduce((s, w) => s + w.gaAloneLate, 0),
      a: worlds.reduce((s, w) => add(s, w.a), ZERO),
      b: worlds.reduce((s, w) => add(s, w.b), ZERO),
    },
    better,
    worse,
    signTestP: signTest(better, worse),
    overGaAlone: { a: worlds.filter((w) => w.a.late > w.gaAloneLate).length, b: worlds.filter((w) => w.b.late > w.gaAloneLate).length },
  };
}

/** Two-sided exact sign test: P(a split at least as lopsided as k : n - k) with p = 1/2. */
export function signTest(k: number, m: number): number {
  const n = k + m;
  if (n === 0) return 1;
  const low = Math.min(k, m);
  let tail = 0;
  for (let i = 0; i <= low; i += 1) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i += 1) s += Math.log((n - k + i) / i);
  return s;
}

export function renderComparison(c: CampaignComparison): string {
  const num = (x: number): string => String(Math.round(x));
  const delta = (a: number, b: number): string => (b === a ? '=' : `${b > a ? '+' : ''}${num(b - a)}`);
  const header = ['world', 'GA alone', 'A late', 'B late', 'change', 'A feasible', 'B feasible', 'A reversals', 'B reversals', 'A mean ms', 'B mean ms'];
  const rows = c.worlds.map((w) => [w.name, num(w.gaAloneLate), num(w.a.late), num(w.b.late), delta(w.a.late, w.b.late), num(w.a.feasible), num(w.b.feasible), num(w.a.reversals), num(w.b.reversals), w.a.meanMs.toFixed(1), w.b.meanMs.toFixed(1)]);
  const t = c.totals;
  rows.push(['total', num(t.gaAloneLate), num(t.a.late), num(t.b.late), delta(t.a.late, t.b.late), num(t.a.feasible), num(t.b.feasible), num(t.a.reversals), num(t.b.reversals), '', '']);
  return [
    renderTextTable(header, rows),
    '',
    `Region-minutes over capacity after the third cycle (late; at feasible instants in "feasible"), ga-steer as A and as B; changes ${num(t.a.changes)} -> ${num(t.b.changes)}.`,
    `B better in ${c.better} worlds, worse in ${c.worse} (by more than ${BETTER_BY_MORE_THAN} Region-minute); sign test p = ${c.signTestP < 0.001 ? c.signTestP.toExponential(1) : c.signTestP.toFixed(3)} (the chance of a split at least this lopsided from a change that does nothing).`,
    `Worlds over GA alone: A ${c.overGaAlone.a}, B ${c.overGaAlone.b}.`,
    ...(t.a.margin !== undefined && t.b.margin !== undefined
      ? [`Of the minutes at feasible instants, where a setting also keeps every Region within 95 % of capacity: A ${num(t.a.margin)}, B ${num(t.b.margin)}.`]
      : []),
    ...(c.unmatched.length > 0 ? [`Not in both runs, not compared: ${c.unmatched.join(', ')}.`] : []),
  ].join('\n');
}
