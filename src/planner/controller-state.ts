// What the controller remembers between cycles. Plain JSON, versioned, parsed on the way in.

import { z } from 'zod';

export const CONTROLLER_STATE_VERSION = 1;

const groupStateSchema = z.strictObject({
  /** When ga-steer last changed this group (ISO-8601). */
  lastChangeAt: z.string().optional(),
  lastDirection: z.enum(['down', 'up', 'weights']).optional(),
  /** What ga-steer last set: a live value that differs was changed by someone else. */
  expectedDialPercent: z.number().min(0).max(100).optional(),
  expectedWeights: z.record(z.string(), z.int().min(0).max(255)).optional(),
  /** When a change by someone else was first seen; ga-steer backs off from then. */
  humanOverrideSeenAt: z.string().optional(),
});

export const controllerStateSchema = z.strictObject({
  stateVersion: z.literal(CONTROLLER_STATE_VERSION),
  groups: z.record(z.string(), groupStateSchema).default({}),
});

export type ControllerState = z.output<typeof controllerStateSchema>;
export type GroupState = z.output<typeof groupStateSchema>;

export function emptyControllerState(): ControllerState {
  return { stateVersion: CONTROLLER_STATE_VERSION, groups: {} };
}
