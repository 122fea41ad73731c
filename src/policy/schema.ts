// The steering policy, as network engineers write it in YAML. This zod schema is the single source of
// the Policy type, of the documented defaults and of schemas/policy.schema.json.

import { z } from 'zod';

export const POLICY_API_VERSION = 'ga-steer.io/v1';

const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region code such as eu-central-1');
const percent = z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100');
const positiveSeconds = z.int('must be a whole number of seconds').min(0, 'must not be negative');
const acceleratorArn = z
  .string()
  .regex(/^arn:aws:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+$/, 'must be an accelerator ARN (arn:aws:globalaccelerator::ACCOUNT:accelerator/ID)');
const listenerArn = z
  .string()
  .regex(/^arn:aws:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+\/listener\/[A-Za-z0-9-]+$/, 'must be a listener ARN');

const metricSpec = z.strictObject({
  namespace: z.string().min(1).max(255),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string().min(1), z.string().min(1)).default({}),
  stat: z.string().min(1).describe('Sum, Average, Maximum, Minimum, SampleCount or pNN'),
});

/** One CloudWatch load query, in the Region whose load it measures. */
const loadQuery = z
  .strictObject({
    /** Load-signal name that a Region's `capacity.signal` refers to. */
    signal: z.string().min(1),
    /** Set when the reading is for one endpoint (weights by headroom). */
    endpointId: z.string().min(1).optional(),
    periodSeconds: z.int().min(60).multipleOf(60, 'must be a multiple of 60').default(60),
    metric: metricSpec.optional(),
    expression: z
      .strictObject({
        expression: z.string().min(1).max(2048),
        inputs: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'must start with a lower-case letter'), metricSpec),
      })
      .optional(),
    /** `zero` only where a gap means no traffic by the metric's documented meaning. */
    gap: z.enum(['no-data', 'zero']).default('no-data'),
  })
  .refine((q) => (q.metric === undefined) !== (q.expression === undefined), {
    message: 'exactly one of metric or expression is required',
  });

const regionPolicy = z.strictObject({
  capacity: z.strictObject({
    /** Name of the load signal (see signals.load) whose value measures this Region's load. */
    signal: z.string().min(1),
    /** Signal value that counts as 100 % utilization. */
    full: z.number().positive('must be greater than 0'),
  }),
  /** The planner brings utilization under this. */
  targetPercent: percent.default(75),
  /** Hot above this: offload. */
  drainAbovePercent: percent.default(80),
  /** Cool below this: restore the dial gradually. */
  restoreBelowPercent: percent.default(60),
  /** Overrides guardrails.dialFloorPercent for this Region. */
  dialFloorPercent: percent.optional(),
  /** Capacity share per endpoint, for weights by headroom (default: equal). */
  endpointCapacityShares: z.record(z.string().min(1), z.number().positive()).optional(),
});

const atlasMeasurement = z
  .strictObject({
    id: z.int().positive(),
    role: z.enum(['latency', 'landing']),
    /** latency: destination IP -> Region. */
    targets: z.record(z.string().min(1), region).optional(),
    /** landing: regex on the CHAOS TXT answer -> Region; first match wins. */
    answers: z.array(z.strictObject({ match: z.string().min(1), region })).optional(),
  })
  .refine((m) => (m.role === 'latency' ? m.targets !== undefined : m.answers !== undefined), {
    message: 'a latency measurement needs targets; a landing measurement needs answers',
  });

const syntheticFeed = z.strictObject({
  name: z.string().min(1),
  /** File path, http(s) URL or s3://bucket/key. */
  url: z.string().min(1),
  format: z.enum(['jsonl', 'csv']),
});

const alertEvent = z.enum(['changes', 'holds', 'apply-failed', 'human-override', 'stale-data', 'dry-run']);

export const policySchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION, { message: `must be "${POLICY_API_VERSION}"` }),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  description: z.string().optional(),
  /** The global kill switch: false holds every decision. */
  enabled: z.boolean().default(true),
  accelerator: z.strictObject({
    arn: acceleratorArn,
    /** Listeners governed; empty or absent: all of the accelerator's listeners. */
    listeners: z.array(listenerArn).default([]),
  }),
  /** The busiest load the service must carry, in one capacity signal's units: checked against capacity. */
  expectedPeak: z.strictObject({ signal: z.string().min(1), value: z.number().positive() }).optional(),
  regions: z.record(region, regionPolicy).refine((r) => Object.keys(r).length > 0, 'must name at least one Region'),
  latency: z
    .strictObject({
      /** Statistic the planner compares: p50, p90 or p95 RTT. */
      statistic: z.enum(['p50', 'p90', 'p95']).default('p50'),
      /** The latency objective: the RTT users of this service should see. Reported against. */
      objectiveMs: z.number().positive().default(150),
      /** Most added latency an offload may cost any client group (demand-weighted expectation). */
      budgetMs: z.number().min(0).default(80),
      /** Ignore client groups with fewer samples than this. */
      minSamples: z.int().min(1).default(3),
    })
    .prefault({}),
  signals: z
    .strictObject({
      ripeAtlas: z
        .strictObject({
          clientGroupBy: z.enum(['country', 'country-asn']).default('country'),
          /** Environment variable that holds the API key; the key itself never goes in a policy. */
          apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('RIPE_ATLAS_KEY'),
          measurements: z.array(atlasMeasurement).default([]),
        })
        .optional(),
      synthetic: z.array(syntheticFeed).default([]),
      /** CloudWatch load queries per Region. */
      load: z.record(region, z.array(loadQuery)).default({}),
      demand: z
        .strictObject({
          /** ga-flow-metrics: GA NewFlowCount by SourceRegion; snapshot: whatever the snapshot holds;
           *  vantage-count: each measured client group weighs by its vantage points (experiments only). */
          source: z.enum(['ga-flow-metrics', 'snapshot', 'vantage-count']).default('snapshot'),
        })
        .prefault({}),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      dialFloorPercent: percent.default(0),
      maxStepPercent: z.number().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20),
      restoreStepPercent: z.number().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(10),
      cooldownSeconds: positiveSeconds.default(300),
      minRegionsServing: z.int().min(1, 'must be at least 1').default(1),
      /** Back off for this long after a human changed a dial or weight outside the controller. */
      humanOverrideBackoffSeconds: positiveSeconds.default(3600),
      maxSignalAgeSeconds: z
        .strictObject({
          topology: positiveSeconds.default(120),
          load: positiveSeconds.default(300),
          latency: positiveSeconds.default(3600),
          landing: positiveSeconds.default(7200),
          demand: positiveSeconds.default(900),
        })
        .prefault({}),
      /** Weights: shift only when endpoint utilizations differ by more than this. */
      weightImbalancePercent: percent.default(15),
    })
    .prefault({}),
  pins: z
    .array(
      z.strictObject({
        region,
        /** Absent: every governed listener's group in the Region. */
        listener: listenerArn.optional(),
        reason: z.string().min(1),
        /** ISO-8601; absent: until removed. */
        until: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .default([]),
  alerts: z
    .strictObject({
      slack: z
        .strictObject({
          /** Environment variable that holds the webhook URL; never the URL itself. */
          webhookUrlEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('SLACK_WEBHOOK_URL'),
          channel: z.string().optional(),
          on: z.array(alertEvent).default(['changes', 'holds', 'apply-failed', 'human-override']),
        })
        .optional(),
    })
    .prefault({}),
  dryRun: z
    .strictObject({
      /** Plan and report everything, apply nothing. */
      all: z.boolean().default(false),
      /** Changes in these Regions are planned and reported but not applied. */
      regions: z.array(region).default([]),
      /** Changes with these reasons are planned and reported but not applied. */
      reasons: z.array(z.enum(['DialReduced', 'DialRestored', 'WeightsShifted'])).default([]),
    })
    .prefault({}),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type RegionPolicy = Policy['regions'][string];
export type LoadQuerySpec = Policy['signals']['load'][string][number];
export type Guardrails = Policy['guardrails'];
