// Derives src/sim/world/world.json from the repository's real data in data/world/ (sources: data/world/SOURCES.md).
// Usage: npx tsx scripts/derive-world.ts [--data data] [--out src/sim/world/world.json]
// Defaults are in the repository, wherever it is run from; given paths are relative to the working directory.

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deriveWorld } from './world/derive-world.js';
import { formatWorldJson } from './world/format-world.js';
import { readWorldSources } from './world/read-sources.js';
import { formatWorldIssue } from '../src/sim/world/errors.js';
import { parseWorld } from '../src/sim/world/load-world.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repoRoot, 'data') },
    out: { type: 'string', default: resolve(repoRoot, 'src/sim/world/world.json') },
  },
});

const checked = parseWorld(deriveWorld(readWorldSources(resolve(values.data))));
if (!checked.ok) {
  process.stderr.write(`derived world is not valid:\n${checked.issues.map(formatWorldIssue).join('\n')}\n`);
  process.exit(1);
}
const world = checked.world;
const text = formatWorldJson(world);
writeFileSync(values.out, text);

const estimated = world.metros.filter((m) => m.rtt.basis === 'estimated').length;
const partly = world.metros.filter((m) => m.rtt.basis === 'measured' && m.rtt.estimatedRegions.length > 0).length;
process.stderr.write(
  `${values.out}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB, ${world.regions.length} Regions, ${world.metros.length} metros ` +
    `(${world.metros.length - estimated} measured, ${partly} of them with some estimated pairs; ${estimated} estimated), ` +
    `${world.countries.length} countries, ${world.edgeLocations.length} edge locations\n`,
);
