// The recurring RIPE Atlas measurements a policy needs, as measurement-creation definitions with their
// daily credit cost: a ping to each Region's unicast address (the policy's latency `targets`), and a
// DNS CHAOS TXT `id.server` query to each anycast address of the accelerator, answered by a responder
// in each Region with its Region code (the method of the public RIPE Atlas Global Accelerator
// experiment), which shows where each probe lands. All go in one request, so Atlas gives every
// measurement the same probes and the Regions are compared from the same vantage points.

import { isIP } from 'node:net';
import type { RegionCode } from '../../../domain/traffic.js';
import type { Policy } from '../../../policy/schema.js';
import type { MeasurementRequest } from '../client/atlas-client.js';
import { dailyCredits, dnsUnitCost, pingUnitCost, resultsPerProbePerDay } from './credit-cost.js';

export interface AtlasSetupOptions {
  /** The accelerator's static anycast addresses: targets of the landing (CHAOS TXT) measurements. */
  readonly anycastAddresses: readonly string[];
  /** Probes requested from the worldwide area. */
  readonly probes: number;
  /** Seconds between two results of one probe. */
  readonly intervalSeconds: number;
}

export const SETUP_DEFAULTS = { probes: 50, intervalSeconds: 900 } as const;
/** RIPE Atlas does not schedule recurring pings or DNS queries more often than this. */
export const MIN_INTERVAL_SECONDS = 60;
/** Probes one measurement may request without special arrangement. */
export const MAX_PROBES = 1000;
const PING_PACKETS = 3;
const PING_SIZE_BYTES = 48;

export interface PlannedMeasurement {
  readonly role: 'latency' | 'landing';
  readonly target: string;
  /** The Region a latency target belongs to; absent for anycast addresses. */
  readonly region?: RegionCode;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly unitCost: number;
  readonly dailyCredits: number;
}

export interface AtlasSetupPlan {
  readonly measurements: readonly PlannedMeasurement[];
  readonly request: MeasurementRequest;
  readonly probes: number;
  readonly intervalSeconds: number;
  readonly resultsPerProbePerDay: number;
  readonly totalDailyCredits: number;
  /** Things the operator should know before creating: odd intervals, missing pieces. */
  readonly notes: readonly string[];
}

export class AtlasSetupError extends Error {
  override readonly name = 'AtlasSetupError';
}

export function planAtlasSetup(policy: Policy, options: AtlasSetupOptions): AtlasSetupPlan {
  const { probes, intervalSeconds } = options;
  if (!Number.isSafeInteger(probes) || probes < 1 || probes > MAX_PROBES) throw new AtlasSetupError(`probes must be a whole number from 1 to ${MAX_PROBES} (got ${probes})`);
  if (!Number.isSafeInteger(intervalSeconds) || intervalSeconds < MIN_INTERVAL_SECONDS) {
    throw new AtlasSetupError(`interval must be a whole number of seconds, at least ${MIN_INTERVAL_SECONDS} (got ${intervalSeconds})`);
  }
  for (const a of options.anycastAddresses) if (isIP(a) === 0) throw new AtlasSetupError(`anycast address "${a}" is not an IP address`);

  const notes: string[] = [];
  const measurements: PlannedMeasurement[] = [];
  const targets = new Map<string, RegionCode>();
  for (const m of policy.signals.ripeAtlas?.measurements ?? []) {
    if (m.role !== 'latency') continue;
    for (const [target, region] of Object.entries(m.targets ?? {})) {
      const known = targets.get(target);
      if (known !== undefined && known !== region) throw new AtlasSetupError(`target ${target} is listed for both ${known} and ${region}`);
      targets.set(target, region);
    }
  }
  const pingCost = pingUnitCost(PING_PACKETS, PING_SIZE_BYTES);
  for (const [target, region] of [...targets.entries()].sort(([a, ra], [b, rb]) => ra.localeCompare(rb) || a.localeCompare(b))) {
    measurements.push({
      role: 'latency',
      target,
      region,
      definition: {
        type: 'ping',
        af: isIP(target) === 6 ? 6 : 4,
        target,
        description: `ga-steer ${policy.name}: latency to ${region} (${target})`,
        packets: PING_PACKETS,
        size: PING_SIZE_BYTES,
        interval: intervalSeconds,
        ...(isIP(target) === 0 ? { resolve_on_probe: false } : {}),
      },
      unitCost: pingCost,
      dailyCredits: dailyCredits(pingCost, probes, intervalSeconds),
    });
  }
  const dnsCost = dnsUnitCost('UDP');
  for (const address of [...new Set(options.anycastAddresses)]) {
    measurements.push({
      role: 'landing',
      target: address,
      definition: {
        type: 'dns',
        af: isIP(address) === 6 ? 6 : 4,
        target: address,
        description: `ga-steer ${policy.name}: landing Region through ${address} (CHAOS TXT id.server)`,
        query_class: 'CHAOS',
        query_type: 'TXT',
        query_argument: 'id.server',
        protocol: 'UDP',
        use_probe_resolver: false,
        set_rd_bit: false,
        include_abuf: true,
        interval: intervalSeconds,
      },
      unitCost: dnsCost,
      dailyCredits: dailyCredits(dnsCost, probes, intervalSeconds),
    });
  }
  if (measurements.length === 0) {
    throw new AtlasSetupError('nothing to set up: the policy lists no latency targets (signals.ripeAtlas.measurements[].targets) and no anycast address was given');
  }
  if (targets.size === 0) notes.push('no latency measurement: the policy lists no latency targets (signals.ripeAtlas.measurements[].targets)');
  if (options.anycastAddresses.length === 0) notes.push('no landing measurement: give the accelerator\'s anycast addresses with --anycast-address');
  const regionsWithoutTarget = Object.keys(policy.regions).filter((r) => ![...targets.values()].includes(r));
  if (targets.size > 0 && regionsWithoutTarget.length > 0) notes.push(`no latency target for ${regionsWithoutTarget.join(', ')}: RTT to ${regionsWithoutTarget.length > 1 ? 'these Regions' : 'this Region'} stays unknown`);
  const ages = policy.guardrails.maxSignalAgeSeconds;
  if (targets.size > 0 && intervalSeconds * 2 > ages.latency) {
    notes.push(`an interval of ${intervalSeconds} s leaves fewer than two rounds within maxSignalAgeSeconds.latency (${ages.latency} s): one missed round makes latency stale`);
  }
  if (options.anycastAddresses.length > 0 && intervalSeconds * 2 > ages.landing) {
    notes.push(`an interval of ${intervalSeconds} s leaves fewer than two rounds within maxSignalAgeSeconds.landing (${ages.landing} s)`);
  }
  return {
    measurements,
    request: {
      definitions: measurements.map((m) => m.definition),
      probes: [{ type: 'area', value: 'WW', requested: probes }],
      is_oneoff: false,
    },
    probes,
    intervalSeconds,
    resultsPerProbePerDay: resultsPerProbePerDay(intervalSeconds),
    totalDailyCredits: measurements.reduce((sum, m) => sum + m.dailyCredits, 0),
    notes,
  };
}

/**
 * The `signals.ripeAtlas` block that uses the created measurements: each ping with its own target, each
 * CHAOS measurement with one answer rule per Region (the responder's TXT answer names its Region).
 */
export function policySnippet(policy: Policy, plan: AtlasSetupPlan, ids: readonly number[]): Record<string, unknown> {
  if (ids.length !== plan.measurements.length) throw new AtlasSetupError(`RIPE Atlas returned ${ids.length} measurement ids for ${plan.measurements.length} definitions`);
  const regions = Object.keys(policy.regions).sort();
  return {
    signals: {
      ripeAtlas: {
        clientGroupBy: policy.signals.ripeAtlas?.clientGroupBy ?? 'country',
        apiKeyEnv: policy.signals.ripeAtlas?.apiKeyEnv ?? 'RIPE_ATLAS_KEY',
        measurements: plan.measurements.map((m, i) =>
          m.role === 'latency'
            ? { id: ids[i], role: 'latency', targets: { [m.target]: m.region } }
            : { id: ids[i], role: 'landing', answers: regions.map((region) => ({ match: region, region })) },
        ),
      },
    },
  };
}
