// What ga-steer has posted and not yet seen clear: kept in the stored state beside the controller state
// (the optional `alerts` field), so every cycle, in any process, knows that a hold or a failure was
// already posted and when to remind. Keys and titles name scopes, reasons, stages and error names only,
// never an error's text: nothing a secret could hide in is stored.

import * as z from 'zod';

export const ALERT_MEMORY_VERSION = 1;
/** More open alerts than this are not remembered (the oldest go first): the stored state stays small. */
export const MAX_OPEN_ALERTS = 200;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });

/** hold: a plan's hold; failure: a failed cycle or apply; proposal: a change planned but not applied. */
export const openAlertKindSchema = z.enum(['hold', 'failure', 'proposal']);

export const openAlertSchema = z.strictObject({
  kind: openAlertKindSchema,
  /** A short line for reminders and "resolved": scope and reason, stage and error name. */
  title: z.string().min(1).max(300),
  /** When it was first posted. */
  firstPostedAt: isoTime,
  /** When it was last posted (first post or reminder). */
  lastPostedAt: isoTime,
  /** Cycles that have seen it since it was first posted. */
  seenCount: z.int().min(1),
});

export const alertMemorySchema = z.strictObject({
  version: z.literal(ALERT_MEMORY_VERSION),
  /** Condition key (kind, scope, reason; a failure's stage and fingerprint) -> what was posted. */
  open: z
    .record(z.string().min(1).max(400), openAlertSchema)
    .refine((open) => Object.keys(open).length <= MAX_OPEN_ALERTS, { message: `holds at most ${MAX_OPEN_ALERTS} open alerts` }),
});

export type AlertMemory = z.output<typeof alertMemorySchema>;
export type OpenAlert = z.output<typeof openAlertSchema>;
export type OpenAlertKind = z.output<typeof openAlertKindSchema>;

export function emptyAlertMemory(): AlertMemory {
  return { version: ALERT_MEMORY_VERSION, open: {} };
}
