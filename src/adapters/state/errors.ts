// Errors of the state stores. Each names the store and key it is about.

import { GaSteerError } from '../../app/errors.js';

/** What a store holds at `location` cannot be read as a state or a lease: never silently reset. */
export class StateCorruptError extends GaSteerError {
  override readonly name = 'StateCorruptError';
  constructor(
    readonly location: string,
    readonly detail: string,
    what: 'state' | 'lease' = 'state',
  ) {
    super(`${location}: the stored ${what} is not valid (${detail}); refusing to reset it`);
  }
}

/** The lease kept changing hands while this process tried to take it: the cycle fails and the next tries again. */
export class LeaseContendedError extends GaSteerError {
  override readonly name = 'LeaseContendedError';
  constructor(
    readonly location: string,
    attempts: number,
  ) {
    super(`${location}: the lease changed hands ${attempts} times while it was being taken; not taken`);
  }
}

/** How many times a store re-reads a lease that changed under it before giving up. */
export const MAX_ACQUIRE_ATTEMPTS = 10;
