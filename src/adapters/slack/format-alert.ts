// An alert as a Slack message (Block Kit with a `text` fallback), short enough to read on a phone and
// always within Slack's limits (slack-limits.ts): each change its own section (what changed, from what
// to what, why, the predicted effect on every receiver, the latency cost, applied or not), failures
// first, then holds, then what cleared. A large plan is cut with "… and N more", never rejected.

import { describeChangeValues, describeHoldScope, describeLatency, describeWhy, formatPercent, shortArnId, trim } from '../../plan/describe.js';
import type { PlannedChange, RegionAssessment } from '../../plan/types.js';
import type { Alert, ChangeLine, FailureLine, HoldLine, Reminder, ResolvedLine } from '../../ports/notifier.js';
import { cutText, fitLines, SLACK_LIMITS } from './slack-limits.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly channel?: string;
}

/** Global Accelerator's console lives in us-west-2, whatever the Regions of its endpoints. */
export function consoleLink(acceleratorArn: string): string {
  return `https://us-west-2.console.aws.amazon.com/globalaccelerator/home?region=us-west-2#AcceleratorDetails:AcceleratorArn=${acceleratorArn}`;
}

export function formatSlackAlert(alert: Alert, channel?: string): SlackMessage {
  const title = alertTitle(alert);
  const context = [
    `accelerator ${escape(shortArnId(alert.acceleratorArn))}`,
    alert.mode === 'apply' ? 'mode *apply*' : 'mode *plan*: nothing is applied',
    escape(humanTime(alert.at)),
    `<${consoleLink(alert.acceleratorArn)}|Open in the AWS console>`,
  ].join(' · ');
  const head: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cutText(title, SLACK_LIMITS.headerTextChars), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: cutText(context, SLACK_LIMITS.sectionTextChars) }] },
  ];
  const notes = (alert.notes ?? []).map((n) => escape(n));
  const tail: string[] = [];
  if (alert.holds.length > 0) tail.push(fitLines(['*Holding* (nothing changes there):', ...alert.holds.map(holdLine)], SLACK_LIMITS.sectionTextChars));
  if (alert.resolved.length > 0) tail.push(fitLines(['*Resolved:*', ...alert.resolved.map((r) => resolvedLine(r, alert.at))], SLACK_LIMITS.sectionTextChars));
  const details = [...notes, ...alert.failures.map((f) => failureText(f, alert.at)), ...alert.changes.map((c) => changeText(c, alert))];
  // Keep one block for "and N more" when the details do not all fit.
  const room = SLACK_LIMITS.blocksPerMessage - head.length - tail.length;
  const shown = details.length <= room ? details : details.slice(0, room - 1);
  const body = shown.map((t) => section(t));
  if (shown.length < details.length) body.push(section(`… and ${details.length - shown.length} more (see the log or \`ga-steer plan\`)`));
  const blocks = [...head, ...body, ...tail.map((t) => section(t))];
  const text = fitLines([title, ...fallbackLines(alert)], 3000);
  return { text, blocks, ...(channel !== undefined ? { channel } : {}) };
}

/** One line saying what the alert is about (the header, the notification, the log). */
export function alertTitle(alert: Alert): string {
  const name = `ga-steer ${alert.policyName}`;
  const failure = alert.failures[0];
  if (failure !== undefined) {
    const again = failure.reminder !== undefined ? 'still failing: ' : '';
    return `🚨 ${name}: ${again}${failure.stage === 'applying' ? 'apply failed' : `cycle failed while ${failure.stage}`}`;
  }
  const applied = alert.changes.filter((c) => c.status === 'applied' && c.outcome?.status === 'applied').length;
  if (applied > 0) return `🔀 ${name}: ${applied} change(s) applied`;
  const proposed = alert.changes.filter((c) => c.status === 'proposed').length;
  if (proposed > 0) return `📝 ${name}: ${proposed} change(s) planned, not applied`;
  const hold = alert.holds[0];
  if (hold !== undefined) {
    const reasons = [...new Set(alert.holds.map((h) => h.hold.reason))].join(', ');
    return `⏸️ ${name}: ${alert.holds.every((h) => h.reminder !== undefined) ? 'still holding' : 'holding'} (${reasons})`;
  }
  if (alert.control !== undefined && alert.resolved.length === 0) return `🎛️ ${name}: ${alert.control}`;
  return `✅ ${name}: resolved: ${alert.resolved.map((r) => r.title).join('; ')}`;
}

/** The alert as plain lines (the `text` fallback and the log). */
export function fallbackLines(alert: Alert): string[] {
  return [
    ...(alert.notes ?? []),
    ...alert.failures.map((f) => `${f.what}: ${f.error}. Left as it was: ${f.leftAsItWas}`),
    ...alert.changes.map((c) => `${c.change.address.region}: ${describeChangeValues(c.change)} ${c.change.reason} (${changeStatus(c, alert.mode)})`),
    ...alert.holds.map((h) => `${describeHoldScope(h.hold)}: ${h.hold.reason} ${h.hold.message}`),
    ...alert.resolved.map((r) => `resolved: ${r.title}`),
  ];
}

function changeText(line: ChangeLine, alert: Alert): string {
  const c = line.change;
  const listener = alert.listeners?.[c.address.listenerArn] ?? shortArnId(c.address.listenerArn);
  const lines = [
    `*${escape(c.address.region)} · listener ${escape(listener)}* (group ${escape(shortArnId(c.address.endpointGroupArn))}): *${escape(changeStatus(line, alert.mode))}*${reminderText(line.reminder, alert.at, 'proposed')}`,
    `${escape(describeChangeValues(c))} · ${c.reason}`,
    `*Why:* ${escape(describeWhy(c))}`,
  ];
  const receivers = receiversText(c, alert.plan?.regions ?? []);
  if (receivers !== undefined) lines.push(`*Receivers, predicted after:* ${escape(receivers)}`);
  const latency = describeLatency(c);
  if (latency !== undefined) lines.push(`*Latency:* ${escape(latency)}`);
  const outcome = line.outcome;
  if (outcome !== undefined && outcome.status !== 'applied' && outcome.message !== undefined) lines.push(`*Outcome:* ${escape(outcome.message)}`);
  return fitLines(lines, SLACK_LIMITS.sectionTextChars);
}

function changeStatus(line: ChangeLine, mode: Alert['mode']): string {
  if (line.status === 'proposed') return line.change.dryRun ? 'dry-run: planned, not applied' : mode === 'plan' ? 'plan mode: planned, not applied' : 'planned, not applied';
  const s = line.outcome?.status;
  if (s === undefined || s === 'applied') return 'applied';
  if (s === 'already-applied') return 'already as planned';
  return s;
}

/** Every Region that receives the moved traffic: its utilization now, predicted after, its target, and its share. */
function receiversText(c: PlannedChange, regions: readonly RegionAssessment[]): string | undefined {
  const e = c.evidence;
  const names = [...new Set([...Object.keys(e.receiverUtilizationPercent), ...Object.keys(e.predictedLanding)])].filter((r) => r !== c.address.region);
  if (names.length === 0) return undefined;
  names.sort((a, b) => (e.predictedLanding[b] ?? 0) - (e.predictedLanding[a] ?? 0));
  return names
    .map((r) => {
      const now = regions.find((x) => x.region === r);
      const after = e.receiverUtilizationPercent[r] ?? now?.predictedUtilizationPercent ?? null;
      const share = e.predictedLanding[r];
      const target = now !== undefined ? ` (target ${trim(now.targetPercent)} %)` : '';
      return `${r} ${formatPercent(now?.utilizationPercent ?? null)} -> ${formatPercent(after)}${target}${share !== undefined ? `, takes ${trim(Math.round(share * 1000) / 10)} % of the moved traffic` : ''}`;
    })
    .join('; ');
}

function failureText(f: FailureLine, at: string): string {
  return fitLines(
    [
      `*${escape(f.stage === 'applying' ? 'Apply failed' : `Cycle failed while ${f.stage}`)}*${reminderText(f.reminder, at, 'failure')}`,
      `*What failed:* ${escape(f.what)}`,
      `*Error:* ${escape(f.error)}`,
      `*Left as it was:* ${escape(f.leftAsItWas)}`,
    ],
    SLACK_LIMITS.sectionTextChars,
  );
}

function holdLine(h: HoldLine): string {
  return `• ${escape(describeHoldScope(h.hold))}: ${h.hold.reason}: ${escape(h.hold.message)}${h.reminder !== undefined ? ` _(still, since ${escape(humanTime(h.reminder.firstPostedAt))})_` : ''}`;
}

function resolvedLine(r: ResolvedLine, at: string): string {
  return `• ${escape(r.title)}: cleared after ${escape(humanDuration(Date.parse(at) - Date.parse(r.firstPostedAt)))}`;
}

function reminderText(reminder: Reminder | undefined, at: string, kind: 'failure' | 'proposed'): string {
  if (reminder === undefined) return '';
  const lasted = humanDuration(Date.parse(at) - Date.parse(reminder.firstPostedAt));
  return kind === 'failure' ? ` _(still failing: ${lasted}, ${reminder.seenCount} cycles)_` : ` _(still proposed: ${lasted})_`;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: cutText(text, SLACK_LIMITS.sectionTextChars) } };
}

/** `2026-11-30 12:00 UTC`. */
function humanTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2 h 5 min`, `40 min`, `3 d 4 h`. */
export function humanDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Slack mrkdwn needs only &, < and > escaped. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
