// A small synthetic two-controller run for the simulation report's tests: an eu-central-1 overload at
// minute 20 that "none" leaves alone and "ga-steer" relieves by lowering the dial.

import type { SimulationControllerRun, SimulationRunReport } from '../../src/report/simulation-report-data.js';

const START = Date.parse('2025-03-04T12:00:00Z');
export const RUN_MINUTES = 60;

const at = (minute: number): string => new Date(START + minute * 60_000).toISOString();

function controller(name: string, steers: boolean): SimulationControllerRun {
  const series = Array.from({ length: RUN_MINUTES }, (_, m) => {
    const overloaded = m >= 20;
    const dial = steers && m >= 22 ? 70 : 100;
    return {
      t: at(m),
      dials: { 'eu-central-1': dial, 'eu-west-1': 100 },
      utilizationPercent: {
        'eu-central-1': overloaded ? (dial < 100 ? 78 : 112) : 60 + (m % 5),
        'eu-west-1': overloaded && dial < 100 ? 70 : 45,
      },
      meanLatencyMs: overloaded ? (dial < 100 ? 33 : 48) : 30,
      p95LatencyMs: overloaded ? (dial < 100 ? 61 : 140) : 55,
      lpBoundMeanMs: overloaded ? 32 : 29.5,
      ...(steers ? { bestDialMeanMs: overloaded ? 32.5 : 30 } : {}),
    };
  });
  return {
    name,
    series,
    changes: steers
      ? [{ t: at(22), region: 'eu-central-1', kind: 'dial', before: 100, after: 70, reason: 'utilization 112 % over target 75 % (DialReduced)' }]
      : [],
    figures: steers
      ? { regionMinutesOverCapacity: 2, meanLatencyMs: 31.6, p95LatencyMs: 58.2, ratioToLp: 1.04, changes: 1, timeToRelieveMinutes: 2, oscillations: 0 }
      : { regionMinutesOverCapacity: 40, meanLatencyMs: 42, p95LatencyMs: 111.7, ratioToLp: 1.38, changes: 0, timeToRelieveMinutes: null, oscillations: 0 },
  };
}

export function syntheticSimulationRun(overrides: Partial<SimulationRunReport> = {}): SimulationRunReport {
  return {
    title: 'Flash crowd in Frankfurt',
    scenario: { name: 'flash-crowd-fra', description: 'Demand in eu-central-1 doubles at minute 20.' },
    generatedAt: '2025-03-05T08:00:00Z',
    seed: 7,
    stepSeconds: 60,
    regions: [
      { code: 'eu-central-1', capacity: 1000, targetPercent: 75 },
      { code: 'eu-west-1', capacity: 1200, targetPercent: 75 },
    ],
    controllers: [controller('none', false), controller('ga-steer', true)],
    events: [
      { t: at(20), label: 'flash crowd starts in eu-central-1' },
      { t: at(45), label: 'eu-west-1 health check flaps' },
    ],
    ...overrides,
  };
}
