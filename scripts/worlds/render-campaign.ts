// The campaign's table (one row per world) and summary (how many worlds meet each criterion), as text.

import { renderTextTable } from '../../src/sim/text-table.js';
import { FLAG_MEANINGS, FLAGS, type Flag } from './judge-world.js';
import type { WorldResult } from './run-world.js';

export interface JudgedWorld {
  readonly result: WorldResult;
  readonly flags: readonly Flag[];
}

export interface FailedWorld {
  readonly seed: number;
  readonly name: string;
  readonly error: string;
}

const HEADER = ['world', 'kind', 'Regions', 'hot', 'events', 'feasible', 'ga-steer', 'why (ga-steer plans)', 'GA alone', 'threshold', 'oracle', 'changes', 'reversals', 'lat vs best', 'flags'];

const LEFT_ALIGNED = new Set(['world', 'kind', 'events', 'why (ga-steer plans)', 'flags']);

export function renderTable(worlds: readonly JudgedWorld[]): string {
  const rows = worlds.map(({ result: r, flags }) => {
    // After the 3rd cycle; in brackets, when it differs, only at instants where some dial setting avoids
    // overload, and after a slash, when that differs, only where one also keeps every Region within the margin.
    const over = (c: keyof WorldResult['runs']): string => {
      const { figures, overLateFeasibleMinutes, overLateMarginFeasibleMinutes } = r.runs[c];
      const all = fmt(figures.overCapacityAfterThirdCycleMinutes);
      const margin = overLateMarginFeasibleMinutes === overLateFeasibleMinutes ? '' : ` / ${fmt(overLateMarginFeasibleMinutes)}`;
      return overLateFeasibleMinutes === figures.overCapacityAfterThirdCycleMinutes && margin === '' ? all : `${all} (${fmt(overLateFeasibleMinutes)}${margin})`;
    };
    const steer = r.runs['ga-steer'];
    return [
      r.name,
      r.kind,
      `${r.regions.length}${r.listeners > 1 ? ` x${r.listeners}L` : ''}`,
      String(r.hot.length),
      r.events.length === 0 ? '-' : r.events.map(shortEvent).join('+'),
      `${r.dialFeasibleInstants}/${r.instants}${r.marginFeasibleInstants === r.dialFeasibleInstants ? '' : ` (${r.marginFeasibleInstants})`}`,
      over('ga-steer'),
      whyOver(r.overCauses),
      over('ga-alone'),
      over('threshold'),
      over('waterfall-oracle'),
      `${steer.figures.changes}/${r.runs['waterfall-oracle'].figures.changes}`,
      String(steer.figures.oscillations),
      `${signedPercent(steer.figures.gapToBestDialPercent)} (GA ${signedPercent(r.runs['ga-alone'].figures.gapToBestDialPercent)})`,
      flags.join(' ') || 'ok',
    ];
  });
  return renderTextTable(HEADER, rows, { leftAligned: (i) => LEFT_ALIGNED.has(HEADER[i] ?? ''), rule: true, trimEnd: true });
}

export const TABLE_LEGEND = [
  'Region-minutes over capacity after the 3rd cycle after a stress (scenario event, or a Region rising above its drain threshold), per controller;',
  'in brackets when it differs: only the instants where some dial setting avoids overload (what OVER judges for ga-steer; the oracle, steering flows only as they renew, is not always there either);',
  'after a slash when that differs: only the instants where some dial setting keeps every Region within 95 % of capacity (the planner\'s margin).',
  'why: those (bracketed) minutes by what ga-steer\'s latest plan said of the Region: budget = held on LatencyBudgetExceeded (the policy forbids the offload; the bounds ignore the budget),',
  'nodata = NoData/StaleData (e.g. before the first probe results), receiver = ReceiverAtCapacity, cooling = CoolingDown, acted = no hold there (it moved dials or predicted the Region under capacity).',
  'feasible: bound instants (every 10 simulated minutes) where the best-dial bound at capacity (5-point grid, the truth\'s routing) finds a setting with no Region over capacity;',
  'in brackets when fewer: those where a setting keeps every Region within 95 %.',
  'changes: ga-steer / waterfall oracle. reversals: dial reversals within 30 minutes (figures.ts). lat vs best: ga-steer\'s (GA alone\'s) mean latency against the best-dial bound at capacity.',
  'WORSE compares the after-3rd-cycle figures with GA alone\'s.',
];

export function renderSummary(worlds: readonly JudgedWorld[], failed: readonly FailedWorld[], wallSeconds: number): string {
  const n = worlds.length;
  const judged = worlds.filter((w) => w.result.dialFeasibleInstants > 0).length;
  const lines = [
    `${n} worlds run${failed.length > 0 ? `, ${failed.length} failed` : ''} in ${Math.round(wallSeconds)} s wall time (${n > 0 ? Math.round(worlds.reduce((s, w) => s + w.result.seconds, 0) / n) : 0} s per world in a worker)`,
    `${worlds.filter((w) => w.flags.length === 0).length} of ${n} meet every criterion.`,
    ...FLAGS.map((f) => {
      const met = worlds.filter((w) => !w.flags.includes(f)).length;
      const overWorlds = worlds.filter((w) => w.flags.includes('OVER'));
      const only = (cause: string): number => overWorlds.filter((w) => Object.keys(w.result.overCauses).every((c) => c === cause)).length;
      const steer = (key: 'overLateFeasibleMinutes' | 'overLateMarginFeasibleMinutes'): number => worlds.reduce((sum, w) => sum + w.result.runs['ga-steer'][key], 0);
      const unabsorbable = worlds.reduce((sum, w) => sum + w.result.overUnabsorbableMinutes, 0);
      const extra =
        f === 'OVER'
          ? ` (${judged} with a feasible instant, ${n - judged} with none; of the ${overWorlds.length} flagged, ${only('LatencyBudgetExceeded')} only where ga-steer held on the latency budget, ${only('NoData')} only where it held for no data; ${fmt(steer('overLateFeasibleMinutes'))} Region-minutes, ${fmt(steer('overLateMarginFeasibleMinutes'))} of them where a setting keeps every Region within 95 %, ${fmt(unabsorbable)} where ga-steer's plan judged the overload not absorbable)`
          : '';
      return `  ${f.padEnd(5)} met in ${String(met).padStart(3)} of ${n}${extra}; flagged when: ${FLAG_MEANINGS[f]}`;
    }),
    ...failed.map((f) => `  failed: ${f.name}: ${f.error}`),
  ];
  return lines.join('\n');
}

function shortEvent(kind: string): string {
  return ({ 'demand-spike': 'spike', 'capacity-change': 'capacity', 'region-failure': 'failure', 'atlas-outage': 'atlas' } as Record<string, string>)[kind] ?? kind;
}

const CAUSE_LABELS: Readonly<Record<string, string>> = {
  LatencyBudgetExceeded: 'budget',
  NoData: 'nodata',
  StaleData: 'nodata',
  ReceiverAtCapacity: 'receiver',
  InsufficientCapacity: 'insufficient',
  DialFloorReached: 'floor',
  CoolingDown: 'cooling',
  Acted: 'acted',
};

/** The causes of ga-steer's OVER minutes, largest first: `budget 104 cooling 20`. */
function whyOver(causes: Readonly<Record<string, number>>): string {
  const merged = new Map<string, number>();
  for (const [cause, minutes] of Object.entries(causes)) {
    const label = CAUSE_LABELS[cause] ?? cause;
    merged.set(label, (merged.get(label) ?? 0) + minutes);
  }
  const parts = [...merged].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, minutes]) => `${label} ${fmt(minutes)}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}

function signedPercent(x: number | null): string {
  return x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
