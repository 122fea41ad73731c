// What the controller remembers between cycles. Plain JSON, versioned, parsed on the way in.
// Version 2 adds what a decision needs to aim at where load is heading: each Region's last seen health
// and since when, the routing model's per-Region correction, the flows' lifetime as measured, and what
// the last cycles saw (dials, health, load, demand) for the fit and the demand trend. Version 1 documents are read and upgraded.

import * as z from 'zod';

export const CONTROLLER_STATE_VERSION = 2;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });

const groupStateSchema = z.strictObject({
  /** When ga-steer last changed this group's dial (ISO-8601). */
  lastChangeAt: isoTime.optional(),
  /** Direction of that change. Version 1 also wrote `weights` here. */
  lastDirection: z.enum(['down', 'up', 'weights']).optional(),
  /** When ga-steer last changed this group's endpoint weights. */
  weightsChangedAt: isoTime.optional(),
  /** What ga-steer last set: a live value that differs was changed by someone else. */
  expectedDialPercent: z.number().min(0).max(100).optional(),
  expectedWeights: z.record(z.string(), z.int().min(0).max(255)).optional(),
  /** When a change by someone else was first seen; ga-steer backs off from then. */
  humanOverrideSeenAt: isoTime.optional(),
  /** The live values at that moment: a further change restarts the back-off. */
  humanOverrideDialPercent: z.number().min(0).max(100).optional(),
  humanOverrideWeights: z.record(z.string(), z.int().min(0).max(255)).optional(),
});

const regionStateSchema = z.strictObject({
  /** Health as last seen, and since when (the first cycle that saw it change). */
  healthy: z.boolean(),
  healthSince: isoTime.optional(),
  /**
   * The routing model's correction for this Region, fitted to the load readings of the last cycles: how
   * much more (or less) demand the client groups nearest to it carry than the model says, and the load
   * the model does not route at all, as a share of all demand.
   */
  demandScale: z.number().min(0.01).max(100).optional(),
  residualShare: z.number().min(-1).max(1).optional(),
});

const loadPointSchema = z.strictObject({ value: z.number().min(0), at: isoTime });

/** What one cycle saw: the dials live at the time, health, the newest load reading per Region, demand. */
const cyclePointSchema = z.strictObject({
  at: isoTime,
  /** Endpoint group ARN -> dial, percent. */
  dials: z.record(z.string(), z.number().min(0).max(100)),
  healthy: z.record(z.string(), z.boolean()),
  load: z.record(z.string(), loadPointSchema).default({}),
  demandAt: isoTime.optional(),
  demand: z.record(z.string(), z.number().min(0)).default({}),
});

export const controllerStateSchema = z.strictObject({
  stateVersion: z.literal(CONTROLLER_STATE_VERSION),
  groups: z.record(z.string(), groupStateSchema).default({}),
  regions: z.record(z.string(), regionStateSchema).default({}),
  /** Which client groups the learnt corrections were fitted over (a hash): another set voids them. */
  learntOver: z.string().max(64).optional(),
  /** How long flows last, as the readings of the last cycles tell (seconds): new routing shows at this pace. */
  flowLifetimeSeconds: z.number().positive().max(86_400).optional(),
  /** Where spill goes, as the readings tell: the share that follows the backbone from the Region it leaves. */
  spillMix: z.number().min(0).max(1).optional(),
  /** The last cycles, oldest first. */
  history: z.array(cyclePointSchema).max(64).default([]),
});

const versionOneSchema = z.strictObject({
  stateVersion: z.literal(1),
  groups: z.record(z.string(), groupStateSchema).default({}),
});

/** Reads a stored state of any known version; version 1 becomes version 2. */
export const storedControllerStateSchema = z.discriminatedUnion('stateVersion', [
  controllerStateSchema,
  versionOneSchema.transform((v1): ControllerState => ({ stateVersion: CONTROLLER_STATE_VERSION, groups: v1.groups, regions: {}, history: [] })),
]);

export type ControllerState = z.output<typeof controllerStateSchema>;
export type GroupState = z.output<typeof groupStateSchema>;
export type RegionState = z.output<typeof regionStateSchema>;
export type CyclePoint = z.output<typeof cyclePointSchema>;

/** What `evaluate` accepts: the current state, or one written by an earlier version (missing parts are empty). */
export type ControllerStateInput =
  | ControllerState
  | {
      readonly stateVersion: number;
      readonly groups?: Readonly<Record<string, GroupState>>;
      readonly regions?: Readonly<Record<string, RegionState>>;
      readonly history?: readonly CyclePoint[];
      readonly learntOver?: string;
      readonly flowLifetimeSeconds?: number;
      readonly spillMix?: number;
    };

export function normalizeControllerState(input: ControllerStateInput): ControllerState {
  const s = input as Partial<ControllerState>;
  return {
    stateVersion: CONTROLLER_STATE_VERSION,
    groups: s.groups ?? {},
    regions: s.regions ?? {},
    ...(s.learntOver !== undefined ? { learntOver: s.learntOver } : {}),
    ...(s.flowLifetimeSeconds !== undefined ? { flowLifetimeSeconds: s.flowLifetimeSeconds } : {}),
    ...(s.spillMix !== undefined ? { spillMix: s.spillMix } : {}),
    history: s.history ?? [],
  };
}

export function emptyControllerState(): ControllerState {
  return { stateVersion: CONTROLLER_STATE_VERSION, groups: {}, regions: {}, history: [] };
}
