// A call that ran out of time, named so a person can tell which one: service, operation, where it went
// (an AWS Region or a host), how long it had run and which limit stopped it.

import { GaSteerError } from '../../app/errors.js';
import type { RanOutCall } from '../../ports/ran-out-call.js';

export interface CallLabel {
  /** `GlobalAccelerator`, `CloudWatch`, `S3`, `DynamoDB`, `RIPE Atlas`, `Slack`, `synthetic feed`. */
  readonly service: string;
  /** `UpdateEndpointGroup`, `GET results 61000001`, `POST webhook`. */
  readonly operation: string;
  /** An AWS Region, or a host (never a path or a query: they may hold secrets). */
  readonly target: string;
}

export class DeadlineExceededError extends GaSteerError {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly call: CallLabel,
    /** `call`: the call's own deadline passed; `cycle`: the whole cycle's did. */
    readonly limit: RanOutCall['limit'],
    readonly elapsedMs: number,
    readonly limitMs: number,
    readonly attempts = 1,
  ) {
    super(
      `${describeCall(call)} ran out of time after ${formatMs(elapsedMs)} (${limit === 'call' ? `its deadline is ${formatMs(limitMs)}` : `the cycle deadline of ${formatMs(limitMs)} passed`})${attempts > 1 ? ` on attempt ${attempts}` : ''}`,
    );
  }

  withAttempts(attempts: number): DeadlineExceededError {
    return new DeadlineExceededError(this.call, this.limit, this.elapsedMs, this.limitMs, attempts);
  }

  /** Plain data for reports and log lines. */
  toRanOutCall(): RanOutCall {
    return { ...this.call, limit: this.limit, elapsedMs: Math.round(this.elapsedMs), limitMs: Math.round(this.limitMs) };
  }
}

/** The cycle stopped before it could decide: its deadline passed while it was still reading. */
export class CycleDeadlineError extends GaSteerError {
  override readonly name = 'CycleDeadlineError';
  constructor(
    readonly phase: string,
    readonly limitMs: number,
    /** The first call the cycle deadline cut off, when one was. */
    readonly ranOut: RanOutCall | undefined,
  ) {
    super(
      `the cycle deadline of ${formatMs(limitMs)} passed while ${phase}${ranOut !== undefined ? `: ${describeCall(ranOut)} was cut off after ${formatMs(ranOut.elapsedMs)}` : ''}; nothing was applied`,
    );
  }
}

export function describeCall(call: CallLabel): string {
  return `${call.service} ${call.operation}${call.target !== '' ? ` (${call.target})` : ''}`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
