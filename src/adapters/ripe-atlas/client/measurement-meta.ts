// Measurement metadata, read from the v2 document ({id, type: "dns", target, target_ip, ...}) and
// also from the deprecated v1 shape ({msm_id, type: {id, name, af}, dst_name, dst_addr}) that
// older recordings hold.

import * as z from 'zod';
import { lenientBool, lenientInt, lenientString, lenientUnixSeconds, statusSchema } from './lenient-fields.js';

export interface AtlasMeasurement {
  readonly id: number;
  /** ping, traceroute, dns, sslcert, http, ntp, wifi */
  readonly type: string;
  readonly af: 4 | 6 | null;
  readonly status: { readonly id: number; readonly name: string | null } | null;
  readonly startTime: number | null;
  readonly stopTime: number | null;
  readonly interval: number | null;
  readonly isOneoff: boolean | null;
  readonly isPublic: boolean | null;
  readonly description: string | null;
  readonly target: string | null;
  readonly targetIp: string | null;
  readonly participantCount: number | null;
  /** The document as received, for type-specific fields. */
  readonly raw: Readonly<Record<string, unknown>>;
}

const typeObject = z.looseObject({ name: z.string(), af: z.unknown().optional() });

const measurementDoc = z.looseObject({
  id: lenientInt,
  msm_id: lenientInt,
  type: z.union([z.string(), typeObject]),
  af: lenientInt,
  status: statusSchema,
  start_time: lenientUnixSeconds,
  stop_time: lenientUnixSeconds,
  interval: lenientInt,
  is_oneoff: lenientBool,
  is_public: lenientBool,
  description: lenientString,
  target: lenientString,
  target_ip: lenientString,
  dst_name: lenientString,
  dst_addr: lenientString,
  participant_count: lenientInt,
});

/** The normalised measurement, or a reason why the document is not one. */
export function readMeasurement(doc: unknown): AtlasMeasurement | string {
  const parsed = measurementDoc.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  const d = parsed.data;
  const id = d.id ?? d.msm_id;
  if (id === null || id <= 0) return 'no measurement id';
  const type = typeof d.type === 'string' ? d.type : d.type.name;
  const af = d.af ?? (typeof d.type === 'string' ? null : lenientInt.parse(d.type.af));
  return {
    id,
    type,
    af: af === 4 || af === 6 ? af : null,
    status: d.status === null ? null : { id: d.status.id, name: d.status.name },
    startTime: d.start_time,
    stopTime: d.stop_time,
    interval: d.interval,
    isOneoff: d.is_oneoff,
    isPublic: d.is_public,
    description: d.description,
    target: d.target ?? d.dst_name,
    targetIp: d.target_ip ?? d.dst_addr,
    participantCount: d.participant_count,
    raw: doc as Record<string, unknown>,
  };
}
