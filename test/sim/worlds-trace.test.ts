// npm run worlds:trace: one row per ga-steer decision of a simulated run, the truth beside the plan.

import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { runSimulation } from '../../src/sim/run-simulation.js';
import { loadWorld } from '../../src/sim/world/load-world.js';
import { shortRegion, traceRows } from '../../scripts/worlds/trace-world.js';
import { FLASH_CROWD_POLICY_FILE, flashCrowdScenario } from '../support/flash-crowd-scenario.js';

describe('worlds:trace', () => {
  it('names Regions short', () => {
    expect(shortRegion('eu-west-2')).toBe('euw2');
    expect(shortRegion('ap-southeast-1')).toBe('aps1');
    expect(shortRegion('us-east-1')).toBe('use1');
  });

  it('prints a row per decision with the truth, the plan\'s figures, its dials and holds, within the minutes asked', async () => {
    const policy = (await loadPolicyFile(FLASH_CROWD_POLICY_FILE, { use: 'snapshot' })).policy;
    const scenario = flashCrowdScenario({
      name: 'trace-flash-crowd',
      durationMinutes: 40,
      events: [{ kind: 'demand-spike', at: 5, durationMinutes: 35, countries: ['DE', 'PL', 'CZ', 'AT', 'CH', 'HU'], factor: 1.9, rampMinutes: 5 }],
    });
    const plans: Plan[] = [];
    const run = await runSimulation({ world: loadWorld(), scenario, policy, controller: 'ga-steer', onPlan: (p) => plans.push(p) });
    const start = Date.parse(scenario.start);

    const rows = traceRows(plans, run.series, start);
    expect(rows).toHaveLength(plans.length);
    for (const row of rows) expect(row).toMatch(/^\s*\d+ euc1 t\d+ m(\d+|-) u(\d+|-) p(\d+|-) d[\d.>]+ \| euw1 t\d+ /);
    // The flash crowd makes ga-steer lower Frankfurt's dial: that row shows before>after.
    const cut = run.changes.find((c) => c.region === 'eu-central-1' && c.after < c.before);
    expect(cut).toBeDefined();
    expect(rows.some((r) => r.includes(`euc1 `) && new RegExp(`d${cut?.before}>${cut?.after}`).test(r))).toBe(true);
    // Before the first probe results there is nothing to plan on: the plan says why.
    expect(rows[0]).toMatch(/NoData|StaleData/);

    const late = traceRows(plans, run.series, start, 20, 30);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((r) => Number(r.trim().split(' ')[0]) >= 20 && Number(r.trim().split(' ')[0]) <= 30)).toBe(true);
  });
});
