// The S3 state object: the controller state and its lease in one JSON object, so a conditional PUT
// (If-Match on the ETag just read) changes both or neither. An object written before leases existed
// (the bare state) reads as a state with no lease. Read through the one guarded state parser.

import * as z from 'zod';
import { emptyControllerState } from '../../planner/controller-state.js';
import type { StoredState } from '../../ports/state-store.js';
import { leaseRecordSchema, type LeaseRecord } from './lease-record.js';
import { checkStored, checkStoredState, readStoredJson } from './parse-state-text.js';
import { corruptError } from './stored-state.js';

export const S3_OBJECT_VERSION = 1;

/** The envelope; `state` is checked by the one state parser (checkStoredState). */
const objectSchema = z.strictObject({
  objectVersion: z.literal(S3_OBJECT_VERSION),
  lease: leaseRecordSchema.nullable(),
  state: z.unknown(),
});

export interface S3StateObject {
  readonly lease: LeaseRecord | undefined;
  /** undefined: no state saved yet. */
  readonly state: StoredState | undefined;
}

export function parseS3StateObject(text: string, location: string): S3StateObject {
  const read = readStoredJson(text, location);
  if (!read.ok) throw corruptError(location, read.issues);
  if (typeof read.data === 'object' && read.data !== null && 'stateVersion' in read.data) {
    const bare = checkStoredState(read.data, read.locate, location);
    if (!bare.ok) throw corruptError(location, bare.issues);
    return { lease: undefined, state: bare.value };
  }
  const parsed = checkStored(objectSchema, read, location);
  if (!parsed.ok) throw corruptError(location, parsed.issues);
  if (parsed.value.state === null || parsed.value.state === undefined) return { lease: parsed.value.lease ?? undefined, state: undefined };
  const state = checkStoredState(parsed.value.state, read.locate, location, ['state']);
  if (!state.ok) throw corruptError(location, state.issues);
  return { lease: parsed.value.lease ?? undefined, state: state.value };
}

export function s3StateObjectText(object: S3StateObject): string {
  return `${JSON.stringify({ objectVersion: S3_OBJECT_VERSION, lease: object.lease ?? null, state: object.state ?? null }, null, 2)}\n`;
}

export function stateOf(object: S3StateObject): StoredState {
  return object.state ?? emptyControllerState();
}
