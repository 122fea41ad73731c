// The steering policy, as network engineers write it in YAML. This zod schema is the single source of
// the Policy type, of the documented defaults and of schemas/policy.schema.json.

import * as z from 'zod';
import { secretEnvVarName } from './env-var-names.js';
import { regionCodeSchema } from './region-codes.js';

export const POLICY_API_VERSION = 'ga-steer.io/v1';

const region = regionCodeSchema;
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
    signal: z.string().min(1).describe('Load-signal name that a Region\'s `capacity.signal` refers to.'),
    endpointId: z.string().min(1).optional().describe('Set when the reading is for one endpoint (weights by headroom).'),
    periodSeconds: z.int().min(60).multipleOf(60, 'must be a multiple of 60').default(60),
    metric: metricSpec.optional(),
    expression: z
      .strictObject({
        expression: z.string().min(1).max(2048),
        inputs: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'must start with a lower-case letter'), metricSpec),
      })
      .optional(),
    gap: z.enum(['no-data', 'zero']).default('no-data').describe('`zero` only where a gap means no traffic by the metric\'s documented meaning.'),
  })
  .refine((q) => (q.metric === undefined) !== (q.expression === undefined), {
    message: 'exactly one of metric or expression is required',
  });

const regionPolicy = z.strictObject({
  capacity: z
    .strictObject({
      signal: z.string().min(1).describe('Name of the load signal (see signals.load) whose value measures this Region\'s load.'),
      full: z.number().positive('must be greater than 0').optional().describe('Signal value that counts as 100 % utilization (a constant).'),
      fullSignal: z
        .string()
        .min(1)
        .optional()
        .describe('Or: name of a load signal (see signals.load) whose reading is the Region\'s current capacity in the same units, e.g. healthy hosts x per-host capacity.'),
    })
    .refine((c) => (c.full === undefined) !== (c.fullSignal === undefined), { message: 'exactly one of full or fullSignal is required' }),
  targetPercent: percent.default(75).describe('The planner brings utilization under this.'),
  drainAbovePercent: percent.default(80).describe('Hot above this: offload.'),
  restoreBelowPercent: percent.default(60).describe('Cool below this: restore the dial gradually.'),
  dialFloorPercent: percent.optional().describe('Overrides guardrails.dialFloorPercent for this Region.'),
  endpointCapacityShares: z.record(z.string().min(1), z.number().positive()).optional().describe('Capacity share per endpoint, for weights by headroom (default: equal).'),
});

const atlasMeasurement = z
  .strictObject({
    id: z.int().positive(),
    role: z.enum(['latency', 'landing']),
    targets: z.record(z.string().min(1), region).optional().describe('latency: destination IP -> Region.'),
    answers: z.array(z.strictObject({ match: z.string().min(1), region })).optional().describe('landing: regex on the CHAOS TXT answer -> Region; first match wins.'),
  })
  .refine((m) => (m.role === 'latency' ? m.targets !== undefined : m.answers !== undefined), {
    message: 'a latency measurement needs targets; a landing measurement needs answers',
  });

const syntheticFeed = z.strictObject({
  name: z.string().min(1),
  url: z.string().min(1).describe('File path, http(s) URL or s3://bucket/key.'),
  format: z.enum(['jsonl', 'csv']),
});

/** `error`: a cycle that failed (collecting, planning, the state, the lease) before it could finish. */
const alertEvent = z.enum(['changes', 'holds', 'apply-failed', 'human-override', 'stale-data', 'dry-run', 'error']);

export const policySchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION, { message: `must be "${POLICY_API_VERSION}"` }),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  description: z.string().optional(),
  enabled: z.boolean().default(true).describe('The global kill switch: false holds every decision.'),
  accelerator: z.strictObject({
    arn: acceleratorArn,
    listeners: z.array(listenerArn).default([]).describe('Listeners governed; empty or absent: all of the accelerator\'s listeners.'),
  }),
  expectedPeak: z.strictObject({ signal: z.string().min(1), value: z.number().positive() }).optional().describe('The busiest load the service must carry, in one capacity signal\'s units: checked against capacity.'),
  regions: z.record(region, regionPolicy).refine((r) => Object.keys(r).length > 0, 'must name at least one Region'),
  latency: z
    .strictObject({
      statistic: z.enum(['p50', 'p90', 'p95']).default('p50').describe('Statistic the planner compares: p50, p90 or p95 RTT.'),
      objectiveMs: z.number().positive().default(150).describe('The latency objective: the RTT users of this service should see. Reported against.'),
      budgetMs: z.number().min(0).default(80).describe('Most added RTT (ms) an offload may cost the users who move, per client group (groups carrying at least 0.5 % of all demand).'),
      budgetYieldsToCapacity: z.boolean().default(true).describe('Whether relief of load predicted above 100 % of capacity may cost more than budgetMs (the plan names the group and the cost); false: the budget holds even then.'),
      minSamples: z.int().min(1).default(3).describe('Ignore client groups with fewer samples than this.'),
    })
    .prefault({}),
  signals: z
    .strictObject({
      ripeAtlas: z
        .strictObject({
          clientGroupBy: z.enum(['country', 'country-asn']).default('country'),
          apiKeyEnv: secretEnvVarName({ holds: 'the RIPE Atlas API key', sentTo: 'RIPE Atlas', example: 'RIPE_ATLAS_KEY' }).default('RIPE_ATLAS_KEY').describe('Environment variable that holds the API key; the key itself never goes in a policy.'),
          measurements: z.array(atlasMeasurement).default([]),
        })
        .optional(),
      synthetic: z.array(syntheticFeed).default([]),
      load: z.record(region, z.array(loadQuery)).default({}).describe('CloudWatch load queries per Region.'),
      demand: z
        .strictObject({
          /** ga-flow-metrics: GA NewFlowCount by SourceRegion; snapshot: whatever the snapshot holds;
           *  vantage-count: each measured client group weighs by its vantage points (experiments only). */
          source: z.enum(['ga-flow-metrics', 'snapshot', 'vantage-count']).default('snapshot'),
          sourceAreas: z
            .record(z.string().min(1), z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as DE')))
            .default({})
            .describe('GA SourceRegion value (e.g. EU) -> the countries of client groups it covers; spreads ga-flow-metrics demand over the groups measured there.'),
        })
        .prefault({}),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      dialFloorPercent: percent.default(0).describe('No dial goes below this.'),
      maxStepPercent: z.number().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20).describe('Largest dial reduction per cycle, in points.'),
      restoreStepPercent: z.number().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(10).describe('Largest dial increase per cycle, in points: restore gradually.'),
      cooldownSeconds: positiveSeconds.default(300).describe('No change to an endpoint group for this long after the last one (load moves over minutes).'),
      overloadSkipsCooldown: z
        .boolean()
        .default(true)
        .describe('While a Region is predicted above 100 % of its capacity, a cooling-down group may still step its dial down (never up): the prediction already counts the earlier change, and an overload does not wait.'),
      minRegionsServing: z.int().min(1, 'must be at least 1').default(1).describe('Regions that must keep a dial above 0.'),
      humanOverrideBackoffSeconds: positiveSeconds.default(3600).describe('Back off for this long after a human changed a dial or weight outside the controller.'),
      maxSignalAgeSeconds: z
        .strictObject({
          topology: positiveSeconds.default(120),
          load: positiveSeconds.default(300),
          latency: positiveSeconds.default(3600),
          landing: positiveSeconds.default(7200),
          demand: positiveSeconds.default(900),
        })
        .prefault({}),
      weightImbalancePercent: percent.default(15).describe('Weights: shift only when endpoint utilizations differ by more than this.'),
    })
    .prefault({}),
  pins: z
    .array(
      z.strictObject({
        region,
        listener: listenerArn.optional().describe('Absent: every governed listener\'s group in the Region.'),
        reason: z.string().min(1),
        until: z.iso.datetime({ offset: true }).optional().describe('ISO-8601; absent: until removed.'),
      }),
    )
    .default([]),
  alerts: z
    .strictObject({
      slack: z
        .strictObject({
          webhookUrlEnv: secretEnvVarName({ holds: 'the Slack webhook URL', sentTo: 'Slack', example: 'SLACK_WEBHOOK_URL' }).default('SLACK_WEBHOOK_URL').describe('Environment variable that holds the webhook URL; never the URL itself.'),
          channel: z.string().optional(),
          on: z.array(alertEvent).default(['changes', 'holds', 'apply-failed', 'human-override', 'error']),
        })
        .optional(),
      remindEveryMinutes: z
        .int()
        .min(1)
        .max(10_080)
        .default(60)
        .describe('A hold or failure that persists is posted once, then again after this many minutes while it lasts (1 to 10080, a week); "resolved" when it clears.'),
    })
    .prefault({}),
  dryRun: z
    .strictObject({
      all: z.boolean().default(false).describe('Plan and report everything, apply nothing.'),
      regions: z.array(region).default([]).describe('Changes in these Regions are planned and reported but not applied.'),
      reasons: z.array(z.enum(['DialReduced', 'DialRestored', 'WeightsShifted'])).default([]).describe('Changes with these reasons are planned and reported but not applied.'),
    })
    .prefault({}),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type RegionPolicy = Policy['regions'][string];
export type LoadQuerySpec = Policy['signals']['load'][string][number];
export type Guardrails = Policy['guardrails'];
