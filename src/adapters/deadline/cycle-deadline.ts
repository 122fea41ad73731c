// The whole cycle's deadline: one point in time every outbound call of the cycle must finish by. It
// fires an AbortSignal when it passes and remembers the first call it cut off, so the cycle can say
// which call ran out. A work deadline ends earlier than the cycle's, leaving time to persist the state
// and report what happened.

import { performance } from 'node:perf_hooks';
import type { RanOutCall } from '../../ports/ran-out-call.js';
import type { DeadlineExceededError } from './errors.js';

export class CycleDeadline {
  readonly limitMs: number;
  readonly #startedAt: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #parent: CycleDeadline | undefined;
  #ranOut: DeadlineExceededError | undefined;

  private constructor(limitMs: number, startedAt: number, parent: CycleDeadline | undefined) {
    if (!Number.isFinite(limitMs) || limitMs < 0) throw new RangeError(`a deadline must be a non-negative number of milliseconds (got ${limitMs})`);
    this.limitMs = limitMs;
    this.#startedAt = startedAt;
    this.#parent = parent;
    const left = Math.max(0, startedAt + limitMs - performance.now());
    // Never what keeps the process alive: the calls it bounds do that.
    this.#timer = setTimeout(() => this.#controller.abort(), left).unref();
    if (left === 0) this.#controller.abort();
    if (parent !== undefined) {
      if (parent.signal.aborted) this.#controller.abort();
      else parent.signal.addEventListener('abort', () => this.#controller.abort(), { once: true });
    }
  }

  /** A deadline `limitMs` from now. */
  static start(limitMs: number): CycleDeadline {
    return new CycleDeadline(limitMs, performance.now(), undefined);
  }

  /** A deadline `byMs` before this one (never before its start): the part of the cycle that does the work. */
  earlier(byMs: number): CycleDeadline {
    return new CycleDeadline(Math.max(0, this.limitMs - byMs), this.#startedAt, this);
  }

  /** Fires when the deadline passes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get expired(): boolean {
    // The timer may be a tick late; the clock is not.
    if (!this.#controller.signal.aborted && this.elapsedMs() >= this.limitMs) this.#controller.abort();
    return this.#controller.signal.aborted;
  }

  elapsedMs(): number {
    return performance.now() - this.#startedAt;
  }

  remainingMs(): number {
    return this.expired ? 0 : Math.max(0, this.limitMs - this.elapsedMs());
  }

  /** Kept by the call helper: the first call this deadline cut off. */
  recordRanOut(error: DeadlineExceededError): void {
    this.#ranOut ??= error;
    this.#parent?.recordRanOut(error);
  }

  get ranOut(): RanOutCall | undefined {
    return this.#ranOut?.toRanOutCall();
  }

  /** Stops the timer (the cycle is over). */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
