// A simulation scenario, as users write it in YAML: the service (Regions, clients, peak demand), how
// the controller's measurements differ from the truth, and the events that stress the controller.
// `at` and durations are minutes from the scenario's start.

import * as z from 'zod';
import { regionCodeSchema } from '../../policy/region-codes.js';

export const SCENARIO_API_VERSION = 'ga-steer.io/v1';

const region = regionCodeSchema;
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as DE');
const minutes = z.number().min(0, 'must not be negative');
const positiveMinutes = z.number().positive('must be greater than 0');

const window = { at: minutes.describe('Minutes from the start.'), durationMinutes: positiveMinutes.describe('How long it lasts.') };

export const scenarioEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('demand-spike'),
    ...window,
    countries: z.array(country).min(1).optional().describe('Whose demand spikes (default: every client).'),
    nearestRegion: region.optional().describe('Or: the clients whose nearest Region this is.'),
    factor: z.number().positive().describe('Demand multiplier at full strength.'),
    rampMinutes: minutes.default(5).describe('Linear ramp up at the start and down at the end.'),
  }),
  z.strictObject({ kind: z.literal('capacity-change'), ...window, region, factor: z.number().positive().describe('Capacity multiplier, e.g. 0.5 halves it.') }),
  z.strictObject({ kind: z.literal('region-failure'), ...window, region }),
  z.strictObject({ kind: z.literal('atlas-outage'), ...window }),
  z.strictObject({
    kind: z.literal('noisy-probes'),
    ...window,
    fraction: z.number().min(0).max(1).describe('Share of probes affected.'),
    jitterMs: z.number().positive().describe('Standard deviation of extra, random RTT.'),
  }),
  z.strictObject({
    kind: z.literal('lying-probes'),
    ...window,
    fraction: z.number().min(0).max(1),
    offsetMs: z.number().describe('Constant error added to every RTT they report (negative: looks nearer).'),
  }),
]);

export const scenarioSchema = z.strictObject({
  apiVersion: z.literal(SCENARIO_API_VERSION),
  kind: z.literal('Scenario'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  description: z.string().default(''),
  policy: z.string().min(1).describe('The ga-steer policy the scenario is written for (path relative to the scenario file).'),
  start: z.iso.datetime({ offset: true }).describe('Simulated start time (UTC); sets where the daily peak is.'),
  durationMinutes: positiveMinutes.max(7 * 24 * 60),
  stepSeconds: z.int().min(10).max(600).default(60),
  seed: z.int().min(0).default(1),
  service: z.strictObject({
    capacity: z.record(region, z.number().positive()).optional().describe('Active flows at 100 % per Region (default: the policy\'s capacity.full).'),
    clients: z
      .strictObject({
        countries: z.array(country).min(1).optional(),
        maxRttMs: z.number().positive().optional().describe('Metros within this RTT of one of the service\'s Regions.'),
      })
      .refine((c) => c.countries !== undefined || c.maxRttMs !== undefined, { message: 'name countries, maxRttMs, or both' }),
    peakFlows: z.number().positive('must be greater than 0').describe('Active flows of all clients together at the daily peak, before events.'),
    flowLifetimeSeconds: z.number().positive().default(600).describe('Mean flow duration: existing flows drain with this time constant after a dial change.'),
    demandNoisePercent: z.number().min(0).max(50).default(3).describe('Random minute-to-minute variation of each metro\'s demand.'),
    initialDials: z
      .array(z.strictObject({ region, listener: z.int().min(0).describe('Listener position in the policy (0 = first).'), percent: z.number().min(0).max(100) }))
      .default([])
      .describe('Endpoint-group dials at the start (default 100), e.g. one listener already turned down by hand.'),
  }),
  measurement: z
    .strictObject({
      probesPerCountry: z.int().min(1).max(50).default(4),
      probeIntervalSeconds: z.int().min(60).default(240).describe('How often each probe measures (RIPE Atlas ping default: 240 s).'),
      rttJitterMs: z.number().min(0).default(2),
      latencyLagSeconds: z.int().min(0).default(300).describe('Delay before probe results reach the controller.'),
      loadLagSeconds: z.int().min(0).default(120).describe('Delay before a minute\'s load appears in CloudWatch.'),
      demandLagSeconds: z.int().min(0).default(120),
    })
    .prefault({}),
  controllerIntervalSeconds: z.int().min(30).default(120).describe('How often every controller decides.'),
  events: z.array(scenarioEventSchema).default([]),
  baselines: z
    .strictObject({
      fixedDials: z.record(region, z.number().min(0).max(100)).default({}).describe('The "fixed manual dial" baseline\'s setting.'),
      threshold: z
        .strictObject({
          stepPercent: z.number().min(1).max(100).default(10),
          drainAbovePercent: z.number().min(0).max(200).default(80),
          restoreBelowPercent: z.number().min(0).max(200).default(60),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioEvent = z.output<typeof scenarioEventSchema>;
