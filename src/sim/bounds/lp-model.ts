// The LP bound's model in CPLEX LP format. Kept compact (short names, zero-demand metros and unhealthy
// Regions left out) because HiGHS parses the text on every solve.
//
//   minimize  sum_m sum_r demand_m * rtt_mr * x_mr  +  P * sum_r o_r
//   s.t.      sum_r x_mr = 1                                   every metro m with demand > 0
//             sum_m demand_m * x_mr - o_r <= usable_r          every healthy Region r
//             x_mr >= 0, o_r >= 0                              (the LP format's default bounds)
//
// x_mr is the share of metro m's demand served by Region r; o_r the flows Region r carries over its
// usable capacity. Without o_r the LP is infeasible whenever demand exceeds usable capacity; with it
// the bound always exists. P is larger than any latency a flow could save, so the optimum first
// minimises total overflow (to max(0, demand - usable capacity), as every metro reaches every Region)
// and only then latency.

import type { RegionCode } from '../../domain/traffic.js';
import type { AssignmentProblem } from '../types.js';
import { usableCapacity } from './check-problem.js';

export interface LpModel {
  readonly text: string;
  /** Indices into `problem.metros` of the metros in the LP (demand > 0). */
  readonly metroIndices: readonly number[];
  /** Indices into `problem.regions` of the Regions in the LP (healthy). */
  readonly regionIndices: readonly number[];
  readonly overflowPenalty: number;
}

export function shareVariable(metroIndex: number, regionIndex: number): string {
  return `x_${metroIndex}_${regionIndex}`;
}

export function overflowVariable(regionIndex: number): string {
  return `o_${regionIndex}`;
}

// Terms per line: HiGHS reads long lines, but short ones keep the text readable when dumped.
const TERMS_PER_LINE = 16;

function sum(terms: readonly string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += TERMS_PER_LINE) lines.push(terms.slice(i, i + TERMS_PER_LINE).join(' + '));
  return lines.join('\n + ');
}

/** A number as the LP format reads it (JS's shortest round-trip form; exponents are accepted). */
function num(value: number): string {
  return String(value);
}

/** Callers check the problem first and handle "no healthy Region" themselves. */
export function buildLpModel(problem: AssignmentProblem): LpModel {
  const metroIndices = problem.demand.flatMap((d, i) => (d > 0 ? [i] : []));
  const regionIndices = problem.regions.flatMap((r, i) => (problem.unhealthy.has(r.code) ? [] : [i]));
  const codes: RegionCode[] = regionIndices.map((ri) => problem.regions[ri]?.code ?? '');

  let maxRtt = 0;
  for (const mi of metroIndices) for (const code of codes) maxRtt = Math.max(maxRtt, problem.metros[mi]?.rttMs[code] ?? 0);
  const overflowPenalty = 1000 + 10 * maxRtt;

  const objective: string[] = [];
  const metroRows: string[] = [];
  const regionTerms: string[][] = regionIndices.map(() => []);
  for (const mi of metroIndices) {
    const metro = problem.metros[mi];
    const demand = problem.demand[mi] ?? 0;
    if (metro === undefined) continue;
    const row: string[] = [];
    regionIndices.forEach((ri, k) => {
      const x = shareVariable(mi, ri);
      objective.push(`${num(demand * (metro.rttMs[codes[k] ?? ''] ?? 0))} ${x}`);
      row.push(x);
      regionTerms[k]?.push(`${num(demand)} ${x}`);
    });
    metroRows.push(` m${mi}: ${sum(row)} = 1`);
  }
  const regionRows = regionIndices.map((ri, k) => {
    const capacity = usableCapacity(problem, problem.regions[ri]?.capacity ?? 0);
    return ` r${ri}: ${sum(regionTerms[k] ?? [])} - ${overflowVariable(ri)} <= ${num(capacity)}`;
  });
  for (const ri of regionIndices) objective.push(`${num(overflowPenalty)} ${overflowVariable(ri)}`);

  const text = ['Minimize', ` obj: ${sum(objective)}`, 'Subject To', ...metroRows, ...regionRows, 'End', ''].join('\n');
  return { text, metroIndices, regionIndices, overflowPenalty };
}
