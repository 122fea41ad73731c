// The snapshot: everything one decision reads, as one versioned JSON document.
// This zod schema is the single source of the TypeScript types and of schemas/snapshot.schema.json.

import * as z from 'zod';

export const SNAPSHOT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true }).describe('ISO-8601 timestamp');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region code such as eu-central-1');
const dialPercent = z.number().min(0).max(100);
const weight = z.int().min(0).max(255);

export const endpointSchema = z.strictObject({
  endpointId: z.string().min(1).max(255),
  weight,
  healthState: z.enum(['INITIAL', 'HEALTHY', 'UNHEALTHY']),
  healthReason: z.string().optional(),
  clientIpPreservation: z.boolean(),
});

export const healthCheckSchema = z.strictObject({
  protocol: z.enum(['TCP', 'HTTP', 'HTTPS']),
  port: z.int().min(1).max(65535).optional(),
  path: z.string().optional(),
  intervalSeconds: z.int().min(10).max(30),
  thresholdCount: z.int().min(1).max(10),
});

export const endpointGroupSchema = z.strictObject({
  arn: z.string().min(1),
  region,
  trafficDialPercent: dialPercent,
  healthCheck: healthCheckSchema,
  endpoints: z.array(endpointSchema),
});

export const listenerSchema = z.strictObject({
  arn: z.string().min(1),
  protocol: z.enum(['TCP', 'UDP']),
  portRanges: z.array(z.strictObject({ fromPort: z.int().min(1).max(65535), toPort: z.int().min(1).max(65535) })),
  clientAffinity: z.enum(['NONE', 'SOURCE_IP']).default('NONE'),
  endpointGroups: z.array(endpointGroupSchema),
});

export const acceleratorSchema = z.strictObject({
  arn: z.string().min(1),
  name: z.string(),
  status: z.enum(['DEPLOYED', 'IN_PROGRESS']),
  enabled: z.boolean(),
  /** When the topology was read; the topology's own age. */
  observedAt: isoTime,
  listeners: z.array(listenerSchema),
});

const signalSource = z.enum(['ripe-atlas', 'synthetic', 'cloudwatch', 'simulator', 'recorded']);

/** One load reading: a named load signal (defined by the policy) for a Region or one endpoint. */
export const loadSampleSchema = z.strictObject({
  region,
  /** Absent for a Region-wide reading. */
  endpointId: z.string().min(1).optional(),
  signal: z.string().min(1),
  value: z.number().min(0),
  periodSeconds: z.int().min(1).optional(),
  observedAt: isoTime,
  source: signalSource,
});

/** RTT statistics of one client group to one Region's unicast addresses. */
export const latencyMeasurementSchema = z.strictObject({
  clientGroup: z.string().min(1),
  region,
  p50Ms: z.number().min(0),
  p90Ms: z.number().min(0),
  p95Ms: z.number().min(0),
  lossPercent: z.number().min(0).max(100),
  sampleCount: z.int().min(0),
  vantageCount: z.int().min(0),
  /**
   * Share of the group's vantage points (those that measured every Region this source measured for
   * the group) for which this Region has the lowest RTT: where the group's users start, as far as
   * the probes show. Absent when no vantage point measured every Region.
   */
  nearestShare: z.number().min(0).max(1).optional(),
  /** Time of the newest sample used. */
  observedAt: isoTime,
  source: signalSource,
});

/** Where a client group lands today through the anycast address. `shares` sums to 1 over matched answers. */
export const landingMeasurementSchema = z.strictObject({
  clientGroup: z.string().min(1),
  shares: z.record(region, z.number().min(0).max(1)),
  sampleCount: z.int().min(0),
  /** Answers that matched no policy rule; reported, never silently dropped. */
  unmatchedCount: z.int().min(0),
  observedAt: isoTime,
  source: signalSource,
});

/** Relative demand of a client group (or of a GA source area, spread over its client groups). */
export const demandSampleSchema = z.strictObject({
  clientGroup: z.string().min(1).optional(),
  /** GA `SourceRegion` area such as `EU` or `NA`, when demand comes from GA's flow metrics. */
  sourceArea: z.string().min(1).optional(),
  value: z.number().min(0),
  unit: z.string().min(1).describe('flows/min, users, requests/s, ... only ratios matter to the planner'),
  observedAt: isoTime,
  source: signalSource,
});

export const clientGroupSchema = z.strictObject({
  id: z.string().min(1),
  countryCode: z.string().length(2).optional(),
  asn: z.int().min(0).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  sourceArea: z.string().optional(),
});

/**
 * The local clock against the AWS services' own, from the `Date` header of this collection's responses:
 * the response furthest from the local clock. Absent when no response was compared (recorded snapshots,
 * or nothing answered).
 */
export const serverClockSchema = z.strictObject({
  /** Local clock minus the server's (the middle of the `Date` header's second), seconds: positive when the local clock is ahead. */
  offsetSeconds: z.number(),
  /** That response's `Date` header (whole seconds), and the local clock when it arrived. */
  serverTime: isoTime,
  localTime: isoTime,
  /** Who answered: `globalaccelerator`, `cloudwatch eu-central-1`. */
  source: z.string().min(1).max(100),
  /** How many responses were compared. */
  responseCount: z.int().min(1),
});

export const snapshotSchema = z.strictObject({
  snapshotVersion: z.literal(SNAPSHOT_VERSION),
  takenAt: isoTime,
  accelerators: z.array(acceleratorSchema).min(1),
  load: z.array(loadSampleSchema).default([]),
  latency: z.array(latencyMeasurementSchema).default([]),
  landing: z.array(landingMeasurementSchema).default([]),
  demand: z.array(demandSampleSchema).default([]),
  clientGroups: z.array(clientGroupSchema).default([]),
  serverClock: serverClockSchema.optional(),
});

export type Snapshot = z.output<typeof snapshotSchema>;
export type SnapshotInput = z.input<typeof snapshotSchema>;
export type AcceleratorTopology = Snapshot['accelerators'][number];
export type ListenerTopology = AcceleratorTopology['listeners'][number];
export type EndpointGroupTopology = ListenerTopology['endpointGroups'][number];
export type EndpointTopology = EndpointGroupTopology['endpoints'][number];
export type LoadSample = z.output<typeof loadSampleSchema>;
export type LatencyMeasurement = z.output<typeof latencyMeasurementSchema>;
export type LandingMeasurement = z.output<typeof landingMeasurementSchema>;
export type DemandSample = z.output<typeof demandSampleSchema>;
export type ClientGroup = z.output<typeof clientGroupSchema>;
export type ServerClockCheck = z.output<typeof serverClockSchema>;
