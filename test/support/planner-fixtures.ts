// Builders for policies and snapshots used by the planner tests. Defaults describe a calm two-Region
// service; each test changes only what it is about.

import type { RegionBasis } from '../../src/planner/load-basis.js';
import { policySchema, type Policy } from '../../src/policy/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { snapshotSchema } from '../../src/snapshot/schema.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const ACC = 'arn:aws:globalaccelerator::123456789012:accelerator/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
export const LISTENER = `${ACC}/listener/1a2b3c4d`;
export const groupArn = (region: string): string => `${LISTENER}/endpoint-group/${region.replace(/-/g, '')}`;
/** Listener i (0 is LISTENER) and its endpoint group in a Region. */
export const listenerArn = (i: number): string => (i === 0 ? LISTENER : `${ACC}/listener/${(0x1a2b3c4d + i).toString(16)}`);
export const groupArnOn = (i: number, region: string): string => `${listenerArn(i)}/endpoint-group/${region.replace(/-/g, '')}`;

export interface RegionSpec {
  region: string;
  full: number;
  load?: number;
  dial?: number;
  /** Per listener (index): its dial there, or null where the Region has no endpoint group on it. */
  dials?: readonly (number | null)[];
  healthy?: boolean;
  endpoints?: { id: string; weight: number; load?: number; healthy?: boolean }[];
}

type Overrides = { [key: string]: unknown };

/** A valid policy for `regions`, with `overrides` deep-merged into it (objects merge, the rest replaces). */
export function makePolicy(overrides: Overrides = {}, regions: readonly RegionSpec[] = DEFAULT_REGIONS): Policy {
  const base: Overrides = {
    apiVersion: 'ga-steer.io/v1',
    name: 'test-service',
    accelerator: { arn: ACC },
    regions: Object.fromEntries(
      regions.map((r) => [r.region, { capacity: { signal: 'flows', full: r.full }, targetPercent: 75, drainAbovePercent: 80, restoreBelowPercent: 60 }]),
    ),
    latency: { statistic: 'p50', budgetMs: 60, minSamples: 1 },
    guardrails: { maxStepPercent: 20, restoreStepPercent: 10, cooldownSeconds: 300, minRegionsServing: 1 },
  };
  const result = policySchema.safeParse(deepMerge(base, overrides));
  if (!result.success) throw new Error(`test policy is invalid: ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

function deepMerge(a: Overrides, b: Overrides): Overrides {
  const out: Overrides = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isObject(v: unknown): v is Overrides {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const DEFAULT_REGIONS: readonly RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 500 },
  { region: 'eu-west-1', full: 1000, load: 400 },
];

/** Client groups: RTT (p50) per Region and relative demand. */
export const DEFAULT_GROUPS: Record<string, { rtt: Record<string, number>; demand: number }> = {
  DE: { rtt: { 'eu-central-1': 10, 'eu-west-1': 30 }, demand: 40 },
  PL: { rtt: { 'eu-central-1': 20, 'eu-west-1': 45 }, demand: 20 },
  IE: { rtt: { 'eu-central-1': 30, 'eu-west-1': 8 }, demand: 20 },
  GB: { rtt: { 'eu-central-1': 22, 'eu-west-1': 12 }, demand: 20 },
};

export interface SnapshotOptions {
  regions?: readonly RegionSpec[];
  groups?: Record<string, { rtt: Record<string, number>; demand: number }>;
  /** Listeners on the accelerator (default 1); a Region has a group on each unless its `dials` says null. */
  listeners?: number;
  status?: 'DEPLOYED' | 'IN_PROGRESS';
  topologyAt?: string;
  loadAt?: string;
  latencyAt?: string;
  demandAt?: string;
}

export function makeSnapshot(o: SnapshotOptions = {}): Snapshot {
  const regions = o.regions ?? DEFAULT_REGIONS;
  const groups = o.groups ?? DEFAULT_GROUPS;
  const loadAt = o.loadAt ?? '2026-11-22T11:59:00Z';
  const latencyAt = o.latencyAt ?? '2026-11-22T11:50:00Z';
  return snapshotSchema.parse({
    snapshotVersion: 1,
    takenAt: NOW.toISOString(),
    accelerators: [
      {
        arn: ACC,
        name: 'test',
        status: o.status ?? 'DEPLOYED',
        enabled: true,
        observedAt: o.topologyAt ?? '2026-11-22T11:59:50Z',
        listeners: Array.from({ length: o.listeners ?? 1 }, (_, li) => ({
          arn: listenerArn(li),
          protocol: 'UDP',
          portRanges: [{ fromPort: 5060 + li, toPort: 5060 + li }],
          endpointGroups: regions.filter((r) => r.dials?.[li] !== null).map((r) => ({
            arn: groupArnOn(li, r.region),
            region: r.region,
            trafficDialPercent: r.dials?.[li] ?? r.dial ?? 100,
            healthCheck: { protocol: 'TCP', intervalSeconds: 30, thresholdCount: 3 },
            endpoints: (r.endpoints ?? [{ id: `i-${r.region}`, weight: 128 }]).map((e) => ({
              endpointId: e.id,
              weight: e.weight,
              healthState: r.healthy === false || e.healthy === false ? 'UNHEALTHY' : 'HEALTHY',
              clientIpPreservation: true,
            })),
          })),
        })),
      },
    ],
    load: regions.flatMap((r) => [
      ...(r.load === undefined ? [] : [{ region: r.region, signal: 'flows', value: r.load, observedAt: loadAt, source: 'cloudwatch' }]),
      ...(r.endpoints ?? [])
        .filter((e) => e.load !== undefined)
        .map((e) => ({ region: r.region, endpointId: e.id, signal: 'flows', value: e.load ?? 0, observedAt: loadAt, source: 'cloudwatch' })),
    ]),
    latency: Object.entries(groups).flatMap(([id, g]) =>
      Object.entries(g.rtt).map(([region, rtt]) => ({
        clientGroup: id,
        region,
        p50Ms: rtt,
        p90Ms: rtt * 1.5,
        p95Ms: rtt * 1.8,
        lossPercent: 0,
        sampleCount: 30,
        vantageCount: 5,
        observedAt: latencyAt,
        source: 'ripe-atlas',
      })),
    ),
    demand: Object.entries(groups).map(([id, g]) => ({ clientGroup: id, value: g.demand, unit: 'flows/min', observedAt: o.demandAt ?? loadAt, source: 'cloudwatch' })),
  });
}

/** A Region of capacity 100 where one demand unit routed there is one utilization point (coef 1, no residual): for tests of the objective alone. */
export function unitBasis(region: string, index: number): RegionBasis {
  return { region, index, healthy: true, capacity: 100, coef: 1, offset: 0, measuredPercent: undefined, source: 'fitted', demandScale: 1, residualShare: undefined };
}
