// What on-call sets without a redeploy, kept in the stored state beside the controller state (an
// optional field, so state written before it loads as it was): the mode every cycle reads (apply, or
// paused: plan and report, never write), who set it, when and why, whether a cycle has announced it
// yet (once per setting), and per endpoint group the baseline `ga-steer restore` returns to, recorded
// the first time ga-steer changed that group.

import * as z from 'zod';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });

export const CONTROL_MODES = ['apply', 'paused'] as const;
export type ControlMode = (typeof CONTROL_MODES)[number];

const modeSettingSchema = z.strictObject({
  mode: z.enum(CONTROL_MODES),
  /** Who set it (`--by`, else the user and host that ran the command). */
  by: z.string().min(1).max(200),
  at: isoTime,
  reason: z.string().max(1000),
  /** When a cycle first ran under this setting and alerted it: each setting is announced once. */
  announcedAt: isoTime.optional(),
});

const baselineEndpointSchema = z.strictObject({ endpointId: z.string().min(1), weight: z.int().min(0).max(255) });

const baselineSchema = z.strictObject({
  region: z.string().min(1),
  listenerArn: z.string().min(1),
  /** When ga-steer first changed the group: these are its values from just before. */
  recordedAt: isoTime,
  trafficDialPercent: z.number().min(0).max(100),
  /** Every endpoint of the group then, in its order. */
  endpoints: z.array(baselineEndpointSchema).max(1000),
});

export const controlRecordSchema = z.strictObject({
  setting: modeSettingSchema.optional(),
  /** Endpoint group ARN -> its values before ga-steer first changed it. */
  baselines: z.record(z.string(), baselineSchema).default({}),
});

export type ControlRecord = z.output<typeof controlRecordSchema>;
export type ModeSetting = z.output<typeof modeSettingSchema>;
export type GroupBaseline = z.output<typeof baselineSchema>;

export function emptyControlRecord(): ControlRecord {
  return { baselines: {} };
}

/** The mode the record sets: apply when nothing was ever set. */
export function controlModeOf(control: ControlRecord | undefined): ControlMode {
  return control?.setting?.mode ?? 'apply';
}

/** One line for logs, alerts and `status`: "paused by alice at 2026-12-01T18:00:00Z: deploy freeze". */
export function describeSetting(setting: ModeSetting): string {
  const verb = setting.mode === 'paused' ? 'paused' : 'resumed';
  return `${verb} by ${setting.by} at ${setting.at}${setting.reason !== '' ? `: ${setting.reason}` : ''}`;
}
