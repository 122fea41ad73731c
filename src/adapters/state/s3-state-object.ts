// The S3 state object: the controller state and its lease in one JSON object, so a conditional PUT
// (If-Match on the ETag just read) changes both or neither. An object written before leases existed
// (the bare state) reads as a state with no lease.

import { z } from 'zod';
import { emptyControllerState, type ControllerState } from '../../planner/controller-state.js';
import { StateCorruptError } from './errors.js';
import { leaseRecordSchema, type LeaseRecord } from './lease-record.js';
import { parseStateValue } from './stored-state.js';

export const S3_OBJECT_VERSION = 1;

const objectSchema = z.strictObject({
  objectVersion: z.literal(S3_OBJECT_VERSION),
  lease: leaseRecordSchema.nullable(),
  state: z.unknown(),
});

export interface S3StateObject {
  readonly lease: LeaseRecord | undefined;
  /** undefined: no state saved yet. */
  readonly state: ControllerState | undefined;
}

export function parseS3StateObject(text: string, location: string): S3StateObject {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StateCorruptError(location, `not JSON: ${(e as Error).message}`);
  }
  if (typeof data === 'object' && data !== null && 'stateVersion' in data) return { lease: undefined, state: parseStateValue(data, location) };
  const parsed = objectSchema.safeParse(data);
  if (!parsed.success) throw new StateCorruptError(location, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return { lease: parsed.data.lease ?? undefined, state: parsed.data.state === null || parsed.data.state === undefined ? undefined : parseStateValue(parsed.data.state, location) };
}

export function s3StateObjectText(object: S3StateObject): string {
  return `${JSON.stringify({ objectVersion: S3_OBJECT_VERSION, lease: object.lease ?? null, state: object.state ?? null }, null, 2)}\n`;
}

export function stateOf(object: S3StateObject): ControllerState {
  return object.state ?? emptyControllerState();
}
