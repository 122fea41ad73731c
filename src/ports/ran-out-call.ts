// A call that ran out of time, as plain data for apply reports, cycle results and log lines.

export interface RanOutCall {
  readonly service: string;
  readonly operation: string;
  /** An AWS Region or a host. */
  readonly target: string;
  /** `call`: the call's own deadline passed; `cycle`: the whole cycle's did. */
  readonly limit: 'call' | 'cycle';
  readonly elapsedMs: number;
  readonly limitMs: number;
}
