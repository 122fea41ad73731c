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

/**
 * S3 refused to read the state object. Without s3:ListBucket S3 answers a missing object with 403, so
 * a first cycle (no object yet) looks like this too: say which permissions the role needs.
 */
export class StateAccessDeniedError extends GaSteerError {
  override readonly name = 'StateAccessDeniedError';
  constructor(
    readonly location: string,
    readonly bucket: string,
    cause: unknown,
  ) {
    super(
      `${location}: S3 denied GetObject (403 AccessDenied). If the object does not exist yet, this is S3 hiding that: ` +
        `without s3:ListBucket on arn:aws:s3:::${bucket} it answers a missing object with 403, not 404. ` +
        `The role needs s3:ListBucket on the bucket and s3:GetObject and s3:PutObject on the object.`,
      { cause },
    );
  }
}
