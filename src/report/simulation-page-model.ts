// The simulation report's data as the page's script reads it: times turned into minutes since the run
// started (a linear axis needs no date adapter), one array per line, gaps as null.

import { SimulationReportError, type SimulationChange, type SimulationRunReport } from './simulation-report-data.js';

export type Series = readonly (number | null)[];

export interface PageChange extends SimulationChange {
  readonly minute: number;
}

export interface PageController {
  readonly name: string;
  readonly minutes: readonly number[];
  readonly dials: Readonly<Record<string, Series>>;
  readonly utilization: Readonly<Record<string, Series>>;
  readonly meanMs: Series;
  readonly p95Ms: Series;
  /** Absent when no step carries the bound. */
  readonly lpBoundMs: Series | null;
  readonly bestDialMs: Series | null;
  readonly changes: readonly PageChange[];
}

export interface SimulationPageModel {
  readonly startIso: string;
  /** The run's Regions, then any Region only the series mention (no target known for those). */
  readonly regions: readonly { readonly code: string; readonly capacity: number | null; readonly targetPercent: number | null }[];
  readonly controllers: readonly PageController[];
  /** Index of the controller shown first: the last one. */
  readonly mainIndex: number;
  readonly events: readonly { readonly minute: number; readonly t: string; readonly label: string }[];
}

export function buildSimulationPageModel(run: SimulationRunReport): SimulationPageModel {
  if (run.controllers.length === 0) throw new SimulationReportError('the run has no controller to show', 'controllers');
  const startMs = runStartMs(run);
  const toMinute = (t: string, where: string): number => round3((parseTime(t, where) - startMs) / 60_000);

  const regions: { code: string; capacity: number | null; targetPercent: number | null }[] = run.regions.map((r) => ({
    code: r.code,
    capacity: r.capacity,
    targetPercent: r.targetPercent,
  }));
  const known = new Set(regions.map((r) => r.code));
  for (const c of run.controllers) {
    for (const step of c.series) {
      for (const code of [...Object.keys(step.dials), ...Object.keys(step.utilizationPercent)]) {
        if (!known.has(code)) {
          known.add(code);
          regions.push({ code, capacity: null, targetPercent: null });
        }
      }
    }
  }

  const controllers = run.controllers.map((c, ci): PageController => {
    const at = `controllers[${ci}]`;
    const perRegion = (pick: (step: SimulationRunReport['controllers'][number]['series'][number]) => Readonly<Record<string, number>>) =>
      Object.fromEntries(regions.map((r) => [r.code, c.series.map((s) => finiteOrNull(pick(s)[r.code]))]));
    const optional = (values: Series): Series | null => (values.some((v) => v !== null) ? values : null);
    return {
      name: c.name,
      minutes: c.series.map((s, i) => toMinute(s.t, `${at}.series[${i}].t`)),
      dials: perRegion((s) => s.dials),
      utilization: perRegion((s) => s.utilizationPercent),
      meanMs: c.series.map((s) => finiteOrNull(s.meanLatencyMs)),
      p95Ms: c.series.map((s) => finiteOrNull(s.p95LatencyMs)),
      lpBoundMs: optional(c.series.map((s) => finiteOrNull(s.lpBoundMeanMs))),
      bestDialMs: optional(c.series.map((s) => finiteOrNull(s.bestDialMeanMs))),
      changes: c.changes.map((ch, i) => ({ ...ch, minute: toMinute(ch.t, `${at}.changes[${i}].t`) })),
    };
  });

  return {
    startIso: new Date(startMs).toISOString().replace('.000Z', 'Z'),
    regions,
    controllers,
    mainIndex: controllers.length - 1,
    events: run.events.map((e, i) => ({ minute: toMinute(e.t, `events[${i}].t`), t: e.t, label: e.label })),
  };
}

/** The earliest step of any controller: all run on the same world and clock. */
function runStartMs(run: SimulationRunReport): number {
  let start = Number.POSITIVE_INFINITY;
  run.controllers.forEach((c, ci) =>
    c.series.forEach((s, i) => {
      start = Math.min(start, parseTime(s.t, `controllers[${ci}].series[${i}].t`));
    }),
  );
  if (start === Number.POSITIVE_INFINITY) throw new SimulationReportError('no controller has any step', 'controllers[].series');
  return start;
}

function parseTime(t: string, where: string): number {
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) throw new SimulationReportError(`not an ISO-8601 time: ${JSON.stringify(t)}`, where);
  return ms;
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
