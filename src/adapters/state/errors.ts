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
