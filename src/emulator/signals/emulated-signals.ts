// Latency and landing signals that follow the emulator's snapshot: a RIPE Atlas API serving the
// policy's measurements (ping per probe and Region target, CHAOS TXT id.server answers through the
// accelerator's anycast address) and a synthetic feed. Results are stamped by the emulator's clock, so
// they stay fresh while it runs.

import type { Policy } from '../../policy/schema.js';
import type { Snapshot } from '../../snapshot/schema.js';
import type { HttpRoute } from '../http-server.js';
import { atlasApiRoute } from '../ripe-atlas/atlas-api.js';
import { landingAnswersFor } from '../ripe-atlas/landing-answers.js';
import { AtlasResultMaker, type EmulatedMeasurement } from '../ripe-atlas/measurement-results.js';
import { buildProbeFleet, type Location } from '../ripe-atlas/probe-fleet.js';
import { planGroups } from './group-plans.js';
import { syntheticFeedRoute, SYNTHETIC_FEED_PATH } from './synthetic-feed.js';

export interface SignalOptions {
  readonly snapshot: Snapshot;
  /** Names the RIPE Atlas measurements, their targets and answer rules; without it only the feed is served. */
  readonly policy?: Policy;
  /** The anycast address landing measurements query (the accelerator's); none without an accelerator. */
  readonly anycastAddress: string | undefined;
  /** A country's location, for groups the snapshot gives none. */
  readonly locate?: (countryCode: string) => Location | undefined;
  /** Seconds between two results of one probe (default 300). */
  readonly intervalSeconds?: number;
}

export interface EmulatedSignals {
  readonly routes: readonly HttpRoute[];
  readonly probeCount: number;
  readonly clientGroupCount: number;
  readonly measurements: readonly { readonly id: number; readonly type: 'ping' | 'dns' }[];
  readonly syntheticFeedPath: string;
  /** What could not be emulated, and why. */
  readonly problems: readonly string[];
}

const DEFAULT_INTERVAL_SECONDS = 300;
const DEFAULT_HISTORY_SECONDS = 7200;

export function emulateSignals(options: SignalOptions, now: () => number): EmulatedSignals {
  const interval = options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const plans = planGroups(options.snapshot);
  const problems = [...plans.problems];
  const ages = options.policy?.guardrails.maxSignalAgeSeconds;
  const historySeconds = ages !== undefined ? Math.max(ages.latency, ages.landing) : DEFAULT_HISTORY_SECONDS;
  const routes: HttpRoute[] = [syntheticFeedRoute({ plans: plans.groups, intervalSeconds: interval, windowSeconds: ages?.latency ?? DEFAULT_HISTORY_SECONDS / 2, now })];

  const atlas = options.policy?.signals.ripeAtlas;
  const measurements: EmulatedMeasurement[] = [];
  let probeCount = 0;
  if (atlas !== undefined && atlas.measurements.length > 0) {
    const fleet = buildProbeFleet(plans.groups, { clientGroupBy: atlas.clientGroupBy, intervalSeconds: interval, ...(options.locate !== undefined ? { locate: options.locate } : {}) });
    problems.push(...fleet.problems);
    probeCount = fleet.probes.length;
    const landingRegions = [...new Set(plans.groups.flatMap((g) => g.landing ?? []))].sort();
    for (const spec of atlas.measurements) {
      if (measurements.some((m) => m.id === spec.id)) continue;
      if (spec.role === 'latency') {
        const targets = Object.entries(spec.targets ?? {}).map(([address, region]) => ({ address, region }));
        measurements.push({ id: spec.id, type: 'ping', targets });
      } else if (options.anycastAddress === undefined) {
        problems.push(`measurement ${spec.id}: the snapshot has no accelerator whose anycast address it could query`);
      } else {
        const answers = landingAnswersFor(spec.answers ?? [], landingRegions);
        problems.push(...answers.problems.map((p) => `measurement ${spec.id}: ${p}`));
        measurements.push({ id: spec.id, type: 'dns', target: options.anycastAddress, answers: answers.byRegion });
      }
    }
    const results = new AtlasResultMaker(fleet.probes, interval, Math.floor(now() / 1000) - historySeconds);
    routes.push(atlasApiRoute({ probes: fleet.probes, measurements, results, now }));
  }
  return {
    routes,
    probeCount,
    clientGroupCount: plans.groups.length,
    measurements: measurements.map((m) => ({ id: m.id, type: m.type })),
    syntheticFeedPath: SYNTHETIC_FEED_PATH,
    problems,
  };
}
