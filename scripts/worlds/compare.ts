// `npm run worlds:compare -- A/summary.json B/summary.json [A2/summary.json B2/summary.json ...]`: two runs of
// the random-worlds campaign, world by world (compare-campaigns.ts). Pairs of the same seed, A first.
// Bad input is an error naming the file; exits 2 then.

import { readFileSync } from 'node:fs';
import { campaignSummarySchema, compareCampaigns, renderComparison, type CampaignSummary } from './compare-campaigns.js';

const USAGE = 'usage: npm run worlds:compare -- A/summary.json B/summary.json [A2/summary.json B2/summary.json ...]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function readSummary(file: string): CampaignSummary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = campaignSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${file}: not a campaign summary: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const files = process.argv.slice(2);
if (files.length === 0 || files.length % 2 !== 0) fail(`give summaries in pairs, A then B (${USAGE})`);
const pairs: [CampaignSummary, CampaignSummary][] = [];
for (let i = 0; i < files.length; i += 2) {
  const a = readSummary(files[i] as string);
  const b = readSummary(files[i + 1] as string);
  if (a.seed !== b.seed) fail(`${files[i]} is seed ${a.seed} and ${files[i + 1]} seed ${b.seed}: a pair compares the same worlds (${USAGE})`);
  pairs.push([a, b]);
}
process.stdout.write(`${renderComparison(compareCampaigns(pairs))}\n`);
