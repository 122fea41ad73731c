// Derives src/sim/world/world.json from the shared real data.
// Usage: npx tsx scripts/derive-world.ts [--shared ../shared] [--out src/sim/world/world.json]

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deriveWorld } from './world/derive-world.js';
import { formatWorldJson } from './world/format-world.js';
import { readWorldSources } from './world/read-sources.js';
import { formatWorldIssue } from '../src/sim/world/errors.js';
import { parseWorld } from '../src/sim/world/load-world.js';

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: '../shared' },
    out: { type: 'string', default: 'src/sim/world/world.json' },
  },
});

const checked = parseWorld(deriveWorld(readWorldSources(join(resolve(values.shared), 'data'))));
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
