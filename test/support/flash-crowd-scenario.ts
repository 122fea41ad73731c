// A short flash crowd on the CrazyCall VoIP policy's two Regions: Frankfurt's countries nearly double
// their demand for most of the run. The simulator's tests shorten or reshape it with overrides.

import { resolve } from 'node:path';
import { scenarioSchema, type Scenario } from '../../src/sim/scenario/scenario-schema.js';
import { REPO_ROOT } from './repo-data.js';

export const FLASH_CROWD_POLICY_FILE = resolve(REPO_ROOT, 'policies/crazycall-voip.yaml');

export function flashCrowdScenario(overrides: Partial<Scenario> = {}): Scenario {
  return scenarioSchema.parse({
    apiVersion: 'ga-steer.io/v1',
    kind: 'Scenario',
    name: 'short-flash-crowd',
    policy: FLASH_CROWD_POLICY_FILE,
    start: '2026-11-23T17:40:00Z',
    durationMinutes: 100,
    seed: 7,
    service: { capacity: { 'eu-central-1': 24000, 'eu-west-1': 16000 }, clients: { maxRttMs: 40 }, peakFlows: 26000, flowLifetimeSeconds: 300 },
    events: [{ kind: 'demand-spike', at: 15, durationMinutes: 70, countries: ['DE', 'PL', 'CZ', 'AT', 'CH', 'HU'], factor: 1.9, rampMinutes: 10 }],
    ...overrides,
  });
}
