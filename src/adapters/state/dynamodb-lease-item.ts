// One DynamoDB item per accelerator holds its lease and its controller state, so a single conditional
// UpdateItem both checks the lease and writes the state. The item, attribute by attribute:
//   id (S, key) | leaseOwner (S) | leaseToken (N) | leaseExpiresAtMs (N) | leaseAcquiredAt (S)
//   state (S, the state JSON) | stateSavedAt (S) | stateSavedByToken (N)

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { emptyControllerState } from '../../planner/controller-state.js';
import type { StoredState } from '../../ports/state-store.js';
import { StateCorruptError } from './errors.js';
import type { LeaseRecord } from './lease-record.js';
import { parseStoredState } from './stored-state.js';

export const KEY_ATTRIBUTE = 'id';

/** Names for expressions (`#owner`, ...), so no attribute name collides with a reserved word. */
export const NAMES = {
  '#owner': 'leaseOwner',
  '#token': 'leaseToken',
  '#exp': 'leaseExpiresAtMs',
  '#acq': 'leaseAcquiredAt',
  '#state': 'state',
  '#savedAt': 'stateSavedAt',
  '#savedBy': 'stateSavedByToken',
} as const;

export type Item = Record<string, AttributeValue>;

export interface LeaseItem {
  readonly lease: LeaseRecord | undefined;
  readonly stateText: string | undefined;
}

/** Reads an item as it is stored; anything unexpected is a StateCorruptError naming the item. */
export function parseLeaseItem(item: Item | undefined, location: string): LeaseItem {
  if (item === undefined) return { lease: undefined, stateText: undefined };
  const stateText = stringOf(item, NAMES['#state'], location);
  const owner = stringOf(item, NAMES['#owner'], location);
  const token = numberOf(item, NAMES['#token'], location);
  const expiresAtMs = numberOf(item, NAMES['#exp'], location);
  const acquiredAt = stringOf(item, NAMES['#acq'], location);
  if (owner === undefined || token === undefined || expiresAtMs === undefined || acquiredAt === undefined) {
    if (owner !== undefined || token !== undefined || expiresAtMs !== undefined) throw new StateCorruptError(location, 'the lease attributes are incomplete', 'lease');
    return { lease: undefined, stateText };
  }
  if (!Number.isSafeInteger(token) || token < 1 || !Number.isSafeInteger(expiresAtMs) || Number.isNaN(Date.parse(acquiredAt))) {
    throw new StateCorruptError(location, `lease token ${token}, expiry ${expiresAtMs}, acquired ${acquiredAt}`, 'lease');
  }
  return { lease: { owner, token, expiresAt: new Date(expiresAtMs).toISOString(), acquiredAt: new Date(acquiredAt).toISOString() }, stateText };
}

export function stateOfItem(item: LeaseItem, location: string): StoredState {
  return item.stateText === undefined ? emptyControllerState() : parseStoredState(item.stateText, location);
}

function stringOf(item: Item, name: string, location: string): string | undefined {
  const v = item[name];
  if (v === undefined) return undefined;
  if (v.S === undefined) throw new StateCorruptError(location, `attribute ${name} is not a string`);
  return v.S;
}

function numberOf(item: Item, name: string, location: string): number | undefined {
  const v = item[name];
  if (v === undefined) return undefined;
  if (v.N === undefined) throw new StateCorruptError(location, `attribute ${name} is not a number`, 'lease');
  return Number(v.N);
}
