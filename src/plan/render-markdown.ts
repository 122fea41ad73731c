// The plan as Markdown for a pull-request comment, made from the plan JSON only.

import { describeAddress, describeChangeValues, describeHoldScope, describeLanding, describeLatency, describeOverload, describeWhy, formatPercent, shortArnId, trim } from './describe.js';
import type { Plan } from './types.js';

export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`### ga-steer plan: \`${plan.policy.name}\``);
  out.push('');
  out.push(`Accelerator \`${shortArnId(plan.acceleratorArn)}\`, snapshot taken ${plan.snapshot.takenAt}.`);
  out.push('');
  out.push(`**${plan.summary.verdict === 'changes' ? `Plan: ${plan.summary.headline}` : plan.summary.headline}**`);
  out.push('');
  const cost = latencyCostLine(plan);
  if (cost !== undefined) {
    out.push(cost);
    out.push('');
  }
  if (plan.regions.length > 0) {
    out.push('| Region | Utilization | Predicted | Target | Condition | Dial |');
    out.push('|---|---:|---:|---:|---|---:|');
    for (const r of plan.regions) {
      const dial = r.dialBeforePercent === r.dialAfterPercent ? trim(r.dialBeforePercent) : `${trim(r.dialBeforePercent)} → ${trim(r.dialAfterPercent)}`;
      out.push(`| ${r.region} | ${formatPercent(r.utilizationPercent)} | ${formatPercent(r.predictedUtilizationPercent)} | ${r.targetPercent} % | ${r.condition}${r.healthy ? '' : ' (unhealthy)'} | ${dial} |`);
    }
    out.push('');
  }
  const overload = describeOverload(plan.decision?.overload);
  if (overload !== undefined) out.push(`**Overload:** ${escape(overload)}.`, '');
  if (plan.changes.length > 0) {
    out.push('#### Changes');
    out.push('');
    out.push('| | Endpoint group | Change | Reason | Latency for the users who move |');
    out.push('|---|---|---|---|---|');
    for (const c of plan.changes) {
      out.push(`| ${c.dryRun ? '🧪 dry-run' : '✏️'} | ${escape(describeAddress(c.address))} | ${escape(describeChangeValues(c))} | \`${c.reason}\` | ${escape(describeLatency(c) ?? '')} |`);
    }
    out.push('');
    out.push('<details><summary>Evidence</summary>');
    out.push('');
    for (const c of plan.changes) {
      out.push(`- **${escape(describeAddress(c.address))}**: ${escape(describeWhy(c))}`);
      const landing = describeLanding(c);
      if (landing !== undefined) out.push(`  - moved traffic lands: ${landing}`);
      const latency = describeLatency(c);
      if (latency !== undefined) out.push(`  - latency: ${latency}`);
      for (const n of c.kind === 'dial' ? c.evidence.notes : c.evidence.notes.slice(1)) out.push(`  - ${escape(n)}`);
    }
    out.push('');
    out.push('</details>');
    out.push('');
  }
  if (plan.holds.length > 0) {
    out.push('#### Holds');
    out.push('');
    for (const h of plan.holds) out.push(`- ⏸ **${escape(describeHoldScope(h))}** \`${h.reason}\`: ${escape(h.message)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The latency the plan costs, in the open: share of demand moved, the mean added for the users who move, the worst group. */
function latencyCostLine(plan: Plan): string | undefined {
  const dials = plan.changes.filter((c) => c.kind === 'dial');
  if (dials.length === 0) return undefined;
  let worst: { ms: number; group: string } | undefined;
  for (const c of dials) {
    const l = c.evidence.addedLatencyMs;
    if (l.worstClientGroup !== null && (worst === undefined || l.worstMs > worst.ms)) worst = { ms: l.worstMs, group: l.worstClientGroup };
  }
  const { movedDemandPercent, predictedMeanAddedLatencyMs } = plan.summary;
  const sign = (n: number): string => (n >= 0 ? `+${trim(n)}` : trim(n));
  return `Latency cost: moves ${trim(movedDemandPercent)} % of demand; the users who move pay ${sign(predictedMeanAddedLatencyMs)} ms on average${worst !== undefined ? `, worst client group ${escape(worst.group)} ${sign(worst.ms)} ms` : ''}.`;
}
