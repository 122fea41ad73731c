// `npm run campaign`: the fault campaign (scripts/campaign/run-campaign.ts). CAMPAIGN_SEED (default 1)
// and CAMPAIGN_CYCLES (default 10,000); CAMPAIGN_TRACE=<end of a group ARN> traces one group. Prints cycles, faults by kind, what the cycles did, and every
// violation; exits 1 on any violation.

import { runCampaign } from './run-campaign.js';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    process.stderr.write(`${name} must be a whole number, got "${raw}"\n`);
    process.exit(2);
  }
  return Number(raw);
}

const seed = intFromEnv('CAMPAIGN_SEED', 1);
const cycles = intFromEnv('CAMPAIGN_CYCLES', 10_000);
const humanDialDecimals = intFromEnv('CAMPAIGN_HUMAN_DIAL_DECIMALS', 1);
// SIGTERM or SIGINT: stop after the cycle in flight and print the figures of the cycles run.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void (stopping = true));
const result = await runCampaign({ seed, cycles, humanDialDecimals, stop: () => stopping, progressEvery: 500, log: (line) => void process.stderr.write(`${line}\n`) });

const table = (m: ReadonlyMap<string, number>): string =>
  [...m].sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => `  ${String(n).padStart(7)}  ${k}`).join('\n');
const lines = [
  `seed ${seed}: ${result.cycles} cycles${result.cycles < cycles ? ` (stopped early, of ${cycles})` : ''} in ${Math.round(result.elapsedMs / 1000)} s`,
  '',
  'faults injected (times fired):',
  table(result.faults),
  '',
  'what the cycles did:',
  table(result.counts),
  '',
  `violations: ${result.violations.length}`,
  ...result.violations.slice(0, 200).map((v) => `  cycle ${v.cycle} ${v.kind}: ${v.message}`),
  ...(result.violations.length > 200 ? [`  ... and ${result.violations.length - 200} more`] : []),
];
process.stdout.write(`${lines.join('\n')}\n`, () => process.exit(result.violations.length > 0 ? 1 : 0));
