// The outcome of an apply, as text: what was applied, what was not, and why.

import type { ApplyReport } from '../ports/accelerator-gateway.js';
import { describeAddress, describeChangeValues } from './describe.js';

const MARK: Record<string, string> = {
  applied: 'applied',
  'already-applied': 'already so',
  'dry-run': 'dry run',
  stale: 'STALE',
  failed: 'FAILED',
  'not-attempted': 'not attempted',
};

export function renderApplyReportText(report: ApplyReport): string {
  const lines = [`Apply: ${report.outcome}${report.deployed === undefined ? '' : report.deployed ? ' (accelerator DEPLOYED)' : ' (accelerator still IN_PROGRESS at the deadline)'}`];
  for (const c of report.changes) {
    lines.push(`  [${MARK[c.status] ?? c.status}] ${describeAddress(c.change.address)}: ${describeChangeValues(c.change)}${c.message !== undefined ? `\n      ${c.message}` : ''}`);
  }
  if (report.changes.length === 0) lines.push('  No changes.');
  const r = report.ranOut;
  if (r !== undefined) {
    lines.push(`  Stopped by the cycle deadline (${r.limitMs} ms): ${r.service} ${r.operation}${r.target !== '' ? ` (${r.target})` : ''} was cut off after ${r.elapsedMs} ms.`);
  }
  return `${lines.join('\n')}\n`;
}
