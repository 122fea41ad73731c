// An AWS API call that failed, in ga-steer's own terms: no SDK type crosses into the core.

import { GaSteerError } from '../../app/errors.js';

/** `clock-skew`: refused for the request's time, which the SDK has since corrected from the answer's Date (its own retries would retry it). */
export type AwsFailureKind = 'throttled' | 'server' | 'network' | 'clock-skew' | 'not-found' | 'invalid' | 'quota' | 'access' | 'other';

export class AwsCallError extends GaSteerError {
  override readonly name = 'AwsCallError';
  constructor(
    readonly service: string,
    readonly operation: string,
    /** The service's error name, e.g. `EndpointGroupNotFoundException`, or a network code. */
    readonly code: string,
    readonly kind: AwsFailureKind,
    readonly httpStatus: number | undefined,
    readonly requestId: string | undefined,
    detail: string,
    readonly attempts: number,
  ) {
    super(`${service} ${operation} failed: ${code}${httpStatus !== undefined ? ` (HTTP ${httpStatus})` : ''}: ${detail}${attempts > 1 ? ` after ${attempts} attempts` : ''}`);
  }

  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'server' || this.kind === 'network' || this.kind === 'clock-skew';
  }
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'SlowDown',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Classifies whatever the SDK threw. Quota (`LimitExceededException`) and validation are not retryable. */
export function toAwsCallError(service: string, operation: string, e: unknown, attempts: number): AwsCallError {
  if (e instanceof AwsCallError) return e;
  const err = (typeof e === 'object' && e !== null ? e : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown; clockSkewCorrected?: unknown };
  };
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const code = typeof err.code === 'string' && NETWORK.has(err.code) ? err.code : name;
  const status = typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : undefined;
  const requestId = typeof err.$metadata?.requestId === 'string' ? err.$metadata.requestId : undefined;
  const message = typeof err.message === 'string' ? err.message : String(e);
  let kind: AwsFailureKind = 'other';
  if (THROTTLING.has(name) || status === 429) kind = 'throttled';
  else if (err.$metadata?.clockSkewCorrected === true) kind = 'clock-skew';
  else if (NETWORK.has(code) || NETWORK.has(name)) kind = 'network';
  else if (status !== undefined && status >= 500) kind = 'server';
  else if (name.endsWith('NotFoundException')) kind = 'not-found';
  else if (name === 'LimitExceededException' || name === 'LimitExceededFault') kind = 'quota';
  else if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'ExpiredTokenException' || status === 403) kind = 'access';
  else if (status === 400 || /Invalid|Validation|Missing|Serialization/.test(name)) kind = 'invalid';
  else if (status === undefined && name !== 'Error') kind = 'network';
  return new AwsCallError(service, operation, code, kind, status, requestId, message, attempts);
}
