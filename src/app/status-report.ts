// `ga-steer status` as data: per governed endpoint group the live dial and weights beside what ga-steer
// last set and the baseline, the pause state, holds of the last decision, and the decision history.

import type { StoredState } from '../ports/state-store.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import { controlModeOf, describeSetting, type ControlMode } from './control-record.js';
import type { Decision } from './decision-history.js';

export interface GroupStatus {
  readonly endpointGroupArn: string;
  readonly region: string;
  readonly liveDialPercent: number | null;
  readonly expectedDialPercent: number | null;
  readonly baselineDialPercent: number | null;
  readonly liveWeights: Readonly<Record<string, number>> | null;
  readonly expectedWeights: Readonly<Record<string, number>> | null;
  /** The live values differ from what ga-steer last set: someone else changed them. */
  readonly drifted: boolean;
  readonly lastChangeAt: string | null;
  readonly humanOverrideSeenAt: string | null;
}

export interface StatusReport {
  readonly mode: ControlMode;
  readonly setting: string | null;
  readonly groups: readonly GroupStatus[];
  readonly lastHolds: Decision['holds'];
  readonly decisions: readonly Decision[];
}

export function statusReport(stored: StoredState, topology: AcceleratorTopology | undefined, historyCount: number): StatusReport {
  const arns = new Set<string>([...Object.keys(stored.groups), ...Object.keys(stored.control?.baselines ?? {})]);
  const live = new Map<string, { region: string; dial: number; weights: Record<string, number> }>();
  for (const l of topology?.listeners ?? []) {
    for (const g of l.endpointGroups) {
      live.set(g.arn, { region: g.region, dial: g.trafficDialPercent, weights: Object.fromEntries(g.endpoints.map((e) => [e.endpointId, e.weight])) });
      arns.add(g.arn);
    }
  }
  const groups = [...arns].sort().map((arn): GroupStatus => {
    const s = stored.groups[arn];
    const b = stored.control?.baselines[arn];
    const l = live.get(arn);
    const dialDrift = l !== undefined && s?.expectedDialPercent !== undefined && Math.abs(l.dial - s.expectedDialPercent) > 1e-3;
    const weightDrift = l !== undefined && s?.expectedWeights !== undefined && Object.entries(s.expectedWeights).some(([id, w]) => l.weights[id] !== undefined && l.weights[id] !== w);
    return {
      endpointGroupArn: arn,
      region: l?.region ?? b?.region ?? '?',
      liveDialPercent: l?.dial ?? null,
      expectedDialPercent: s?.expectedDialPercent ?? null,
      baselineDialPercent: b?.trafficDialPercent ?? null,
      liveWeights: l?.weights ?? null,
      expectedWeights: s?.expectedWeights ?? null,
      drifted: dialDrift || weightDrift,
      lastChangeAt: s?.lastChangeAt ?? null,
      humanOverrideSeenAt: s?.humanOverrideSeenAt ?? null,
    };
  });
  const decisions = stored.decisions ?? [];
  const setting = stored.control?.setting;
  return { mode: controlModeOf(stored.control), setting: setting !== undefined ? describeSetting(setting) : null, groups, lastHolds: decisions.at(-1)?.holds ?? [], decisions: decisions.slice(-historyCount) };
}

export function renderStatusText(r: StatusReport, location: string): string {
  const lines = [`ga-steer status (${location})`, `mode: ${r.mode}${r.setting !== null ? ` (${r.setting})` : ''}`, '', 'endpoint groups (live / last set by ga-steer / baseline):'];
  for (const g of r.groups) {
    const n = (x: number | null): string => (x === null ? '-' : String(Math.round(x * 100) / 100));
    const note = [g.drifted ? 'changed by someone else' : '', g.humanOverrideSeenAt !== null ? `backing off since ${g.humanOverrideSeenAt}` : '', g.lastChangeAt !== null ? `last change ${g.lastChangeAt}` : ''].filter((x) => x !== '');
    lines.push(`  ${g.region} ${g.endpointGroupArn.slice(g.endpointGroupArn.lastIndexOf('/') + 1)}: dial ${n(g.liveDialPercent)} / ${n(g.expectedDialPercent)} / ${n(g.baselineDialPercent)}${note.length > 0 ? `  [${note.join('; ')}]` : ''}`);
  }
  lines.push('', r.lastHolds.length > 0 ? 'holds (last decision):' : 'holds (last decision): none');
  for (const h of r.lastHolds) lines.push(`  ${h.scope}: ${h.reason} ${h.message}`);
  lines.push('', `decisions (last ${r.decisions.length}, newest last):`);
  for (const d of r.decisions) {
    lines.push(`  ${d.at} ${d.kind}${d.by !== undefined ? ` by ${d.by}` : ''}: ${d.headline}${d.applyOutcome !== undefined ? ` [${d.applyOutcome}]` : ''}`);
    for (const c of d.changes) lines.push(`    ${c.where}: ${c.values} ${c.reason}${c.dryRun ? ' (dry-run)' : ''}${c.status !== undefined ? ` — ${c.status}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
