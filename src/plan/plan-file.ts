// The plan file: what `plan --out` writes and `apply --plan` applies without planning again. The plan
// (types.ts) and, beside it, the governed topology it was made from: every endpoint group's dial and
// endpoints with their weights. `apply --plan` refuses the file when the live topology differs from
// that `before` in any of them, when it is older than a limit, or when it is for another accelerator.
// The zod schema is the parser and the published JSON Schema (schemas/plan.schema.json).

import * as z from 'zod';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export const PLAN_FILE_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });
const dial = z.number().min(0).max(100);
const weight = z.int().min(0).max(255);
const region = z.string().min(1);

const address = z.strictObject({ acceleratorArn: z.string().min(1), listenerArn: z.string().min(1), endpointGroupArn: z.string().min(1), region });
const endpointWeight = z.strictObject({ endpointId: z.string().min(1), weight });
const changeReason = z.enum(['DialReduced', 'DialRestored', 'WeightsShifted']);
const holdReason = z.enum([
  'Disabled', 'AcceleratorNotDeployed', 'AcceleratorNotFound', 'NoData', 'StaleData', 'Pinned', 'CoolingDown', 'AwaitingEffect', 'HumanOverride',
  'DialFloorReached', 'MinRegionsServing', 'LastHealthyRegion', 'LatencyBudgetExceeded', 'InsufficientCapacity', 'ReceiverAtCapacity', 'NoHealthyEndpoints', 'ClockSkew', 'LeaseHeld',
]);
const percentOrNull = z.number().nullable();

const evidence = z.strictObject({
  utilizationPercent: percentOrNull,
  predictedIfUnchangedPercent: percentOrNull,
  predictedUtilizationPercent: percentOrNull,
  targetPercent: z.number(),
  drainAbovePercent: z.number(),
  restoreBelowPercent: z.number(),
  predictedLanding: z.record(region, z.number()),
  receiverUtilizationPercent: z.record(region, z.number()),
  addedLatencyMs: z.strictObject({ meanMs: z.number(), worstMs: z.number(), worstClientGroup: z.string().nullable() }),
  notes: z.array(z.string()),
});

const dialChange = z.strictObject({
  kind: z.literal('dial'),
  address,
  before: z.strictObject({ trafficDialPercent: dial }),
  after: z.strictObject({ trafficDialPercent: dial }),
  reason: changeReason,
  evidence,
  dryRun: z.boolean(),
});

const weightsChange = z.strictObject({
  kind: z.literal('weights'),
  address,
  before: z.strictObject({ endpoints: z.array(endpointWeight) }),
  after: z.strictObject({ endpoints: z.array(endpointWeight) }),
  reason: changeReason,
  evidence,
  dryRun: z.boolean(),
});

const hold = z.strictObject({
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('global') }),
    z.strictObject({ kind: z.literal('region'), region }),
    z.strictObject({ kind: z.literal('endpoint-group'), address }),
  ]),
  reason: holdReason,
  message: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const regionAssessment = z.strictObject({
  region,
  utilizationPercent: percentOrNull,
  predictedIfUnchangedPercent: percentOrNull,
  predictedUtilizationPercent: percentOrNull,
  targetPercent: z.number(),
  condition: z.enum(['hot', 'warm', 'cool', 'unknown']),
  healthy: z.boolean(),
  dialBeforePercent: dial,
  dialAfterPercent: dial,
});

const objectiveFigures = z.strictObject({
  worstOverCapacityPoints: z.number(),
  overCapacityDemandPercent: z.number(),
  inCapacityMarginDemandPercent: z.number(),
  overThresholdDemandPercent: z.number(),
  meanRttMs: z.number(),
});

export const planSchema = z.strictObject({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  generatedAt: isoTime,
  policy: z.strictObject({ name: z.string(), apiVersion: z.string() }),
  snapshot: z.strictObject({ takenAt: isoTime }),
  acceleratorArn: z.string().min(1),
  changes: z.array(z.discriminatedUnion('kind', [dialChange, weightsChange])),
  holds: z.array(hold),
  regions: z.array(regionAssessment),
  summary: z.strictObject({
    verdict: z.enum(['changes', 'no-changes', 'hold']),
    changeCount: z.int().min(0),
    appliedChangeCount: z.int().min(0),
    dryRunChangeCount: z.int().min(0),
    holdCount: z.int().min(0),
    hotRegions: z.array(region),
    movedDemandPercent: z.number(),
    predictedMeanAddedLatencyMs: z.number(),
    headline: z.string(),
  }),
  decision: z
    .strictObject({
      method: z.enum(['exhaustive', 'coordinate-descent', 'nothing-to-move']),
      evaluations: z.int().min(0),
      before: objectiveFigures,
      after: objectiveFigures,
      overload: z.strictObject({ overCapacityDemandPercent: z.number().min(0), roomDemandPercent: z.number().min(0), absorbable: z.boolean() }).optional(),
    })
    .optional(),
});

const groupBefore = z.strictObject({
  endpointGroupArn: z.string().min(1),
  listenerArn: z.string().min(1),
  region,
  trafficDialPercent: dial,
  /** Every endpoint, in the group's order. */
  endpoints: z.array(endpointWeight),
});

export const planFileSchema = z.strictObject({
  planFileVersion: z.literal(PLAN_FILE_VERSION),
  /** The governed topology the plan was made from; apply refuses the file unless the live one is the same. */
  before: z.strictObject({ acceleratorArn: z.string().min(1), observedAt: isoTime, groups: z.array(groupBefore) }),
  plan: planSchema,
});

/** As parsed; the plan as the rest of the code reads it. */
export type PlanFile = Omit<z.output<typeof planFileSchema>, 'plan'> & { readonly plan: Plan };
export type GroupBefore = z.output<typeof groupBefore>;

// The schema and the plan type must not drift apart: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
const schemaMatchesPlan: Same<DeepMutable<Plan>, DeepMutable<z.output<typeof planSchema>>> = true;
void schemaMatchesPlan;
