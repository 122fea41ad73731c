// Who holds a lease, as other processes are told in their LeaseHeld hold: enough to find the process
// (host and pid, or the Lambda function and log stream), never a secret.

import { hostname } from 'node:os';

/** A crashed holder blocks the next writer at most this long; a live one renews every third of it. */
export const DEFAULT_LEASE_TTL_MS = 120_000;

export function processLeaseOwner(env: Readonly<Record<string, string | undefined>>): string {
  const fn = env.AWS_LAMBDA_FUNCTION_NAME;
  if (fn !== undefined && fn !== '') return `lambda ${fn}${env.AWS_LAMBDA_LOG_STREAM_NAME !== undefined ? ` ${env.AWS_LAMBDA_LOG_STREAM_NAME}` : ''}`;
  return `ga-steer on ${hostname()} pid ${process.pid}`;
}
