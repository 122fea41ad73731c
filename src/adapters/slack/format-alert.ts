// A plan or an apply report as a Slack message (Block Kit), short enough to read on a phone.

import { describeAddress, describeChangeValues, describeHoldScope, shortArnId } from '../../plan/describe.js';
import type { Alert } from '../../ports/notifier.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly channel?: string;
}

const MAX_LINES = 12;

export function formatSlackAlert(alert: Alert, channel?: string): SlackMessage {
  const { plan, report } = alert;
  const failed = report !== undefined && (report.outcome === 'failed' || report.outcome === 'partial');
  const icon = failed || alert.events.includes('apply-failed') ? ':rotating_light:' : plan.changes.length > 0 ? ':twisted_rightwards_arrows:' : ':double_vertical_bar:';
  const title = `${icon} ga-steer ${plan.policy.name}: ${failed ? `apply ${report?.outcome}` : plan.summary.headline}`;
  const lines: string[] = [];
  for (const c of plan.changes) {
    const outcome = report?.changes.find((o) => o.change === c || sameChange(o.change, c))?.status;
    lines.push(`• ${describeAddress(c.address)}: ${describeChangeValues(c)} \`${c.reason}\`${c.dryRun ? ' (dry-run)' : ''}${outcome !== undefined ? ` — ${outcome}` : ''}`);
  }
  for (const h of plan.holds) lines.push(`• ${describeHoldScope(h)}: \`${h.reason}\` ${h.message}`);
  // Notes (a lost lease) come first: they say what the lines below do not.
  lines.unshift(...(alert.notes ?? []).map((n) => `• ${n}`));
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`… and ${lines.length - MAX_LINES} more`);
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escape(title)}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `accelerator ${shortArnId(plan.acceleratorArn)} · events: ${alert.events.join(', ')} · ${plan.generatedAt}` }] },
  ];
  if (shown.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escape(shown.join('\n')) } });
  return { text: title, blocks, ...(channel !== undefined ? { channel } : {}) };
}

function sameChange(a: Alert['plan']['changes'][number], b: Alert['plan']['changes'][number]): boolean {
  return a.kind === b.kind && a.address.endpointGroupArn === b.address.endpointGroupArn;
}

/** Slack mrkdwn needs only &, < and > escaped. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
