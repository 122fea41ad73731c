// The plan for a terminal, made from the plan JSON only.

import { describeAddress, describeChangeValues, describeHoldScope, describeLanding, describeLatency, describeOverload, describeWhy, formatPercent, shortArnId, trim } from './describe.js';
import type { Plan } from './types.js';

export function renderPlanText(plan: Plan): string {
  const out: string[] = [];
  out.push(`ga-steer plan for policy ${plan.policy.name} (accelerator ${shortArnId(plan.acceleratorArn)})`);
  out.push(`snapshot taken ${plan.snapshot.takenAt}; plan made ${plan.generatedAt}`);
  out.push('');
  if (plan.regions.length > 0) {
    out.push('Regions:');
    const rows = plan.regions.map((r) => [
      r.region,
      formatPercent(r.utilizationPercent),
      formatPercent(r.predictedUtilizationPercent),
      `${r.targetPercent} %`,
      r.condition + (r.healthy ? '' : ', unhealthy'),
      r.dialBeforePercent === r.dialAfterPercent ? trim(r.dialBeforePercent) : `${trim(r.dialBeforePercent)} -> ${trim(r.dialAfterPercent)}`,
    ]);
    out.push(...table(['REGION', 'UTILIZATION', 'PREDICTED', 'TARGET', 'CONDITION', 'DIAL'], rows).map((l) => `  ${l}`));
    out.push('');
  }
  const overload = describeOverload(plan.decision?.overload);
  if (overload !== undefined) out.push(`Overload: ${overload}.`, '');
  const symbols = new Set<string>();
  if (plan.changes.length > 0) {
    out.push('ga-steer will make these changes:');
    for (const c of plan.changes) {
      const mark = c.dryRun ? '~ (dry-run)' : '~';
      symbols.add('~');
      if (c.dryRun) symbols.add('dry-run');
      out.push('');
      out.push(`  ${mark} ${describeAddress(c.address)}`);
      out.push(`      ${describeChangeValues(c)}   [${c.reason}]`);
      out.push(`      why: ${describeWhy(c)}`);
      const landing = describeLanding(c);
      if (landing !== undefined) out.push(`      moved traffic lands: ${landing}`);
      const latency = describeLatency(c);
      if (latency !== undefined) out.push(`      latency: ${latency}`);
      for (const n of c.kind === 'dial' ? c.evidence.notes : c.evidence.notes.slice(1)) out.push(`      note: ${n}`);
    }
    out.push('');
  }
  if (plan.holds.length > 0) {
    symbols.add('!');
    out.push('Holds:');
    for (const h of plan.holds) out.push(`  ! ${describeHoldScope(h)}  ${h.reason}: ${h.message}`);
    out.push('');
  }
  out.push(plan.changes.length === 0 ? `${plan.summary.headline}` : `Plan: ${plan.summary.headline}`);
  if (symbols.size > 0) {
    const legend: string[] = [];
    if (symbols.has('~')) legend.push('~ change');
    if (symbols.has('dry-run')) legend.push('(dry-run) planned and reported, not applied');
    if (symbols.has('!')) legend.push('! hold: nothing changes here, and why');
    out.push('');
    out.push(`Legend: ${legend.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
