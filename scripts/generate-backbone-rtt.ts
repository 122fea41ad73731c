// Writes src/model/backbone-rtt.ts: the AWS backbone RTT between Regions that the planner's routing
// model uses for where spill and failover go, taken from the committed world file (cloudping.co
// one-year p50, captured 2025-05-29; see the README's data attribution). A test checks the two agree.
// Usage: npx tsx scripts/generate-backbone-rtt.ts

import { writeFileSync } from 'node:fs';
import { loadWorld } from '../src/sim/world/load-world.js';
import { renderBackboneModule } from './world/backbone-module.js';

const world = await loadWorld();
writeFileSync('src/model/backbone-rtt.ts', renderBackboneModule(world.interRegionRttMs));
process.stdout.write('wrote src/model/backbone-rtt.ts\n');
