// Every outbound call gets a deadline: its own (per call or attempt) and the cycle's, whichever comes
// first. The call receives an AbortSignal and must hand it to its client (the AWS SDK's `abortSignal`,
// undici's `signal`), which closes the connection, so a server that never answers, stalls after the
// headers or trickles its body cannot hold the cycle. The caller is not left waiting even when a
// client ignores the signal: the helper gives up at the deadline itself.
//
// AWS clients go through adapters/aws/retry.ts, which builds on this (the DynamoDB state store:
//   callWithRetry('DynamoDB', 'GetItem', retry, (abortSignal) => client.send(command, { abortSignal }), region));
// any other client:
//   callWithDeadline({ service, operation, target }, timeoutMs, (signal) => send(request, { signal }));

import { performance } from 'node:perf_hooks';
import { currentDeadline } from './ambient-deadline.js';
import type { CycleDeadline } from './cycle-deadline.js';
import { DeadlineExceededError, type CallLabel } from './errors.js';

export interface CallScope {
  /** Aborted, with the DeadlineExceededError as its reason, when either deadline passes. */
  readonly signal: AbortSignal;
  /** The error once a deadline has passed; undefined while time remains. */
  ranOut(): DeadlineExceededError | undefined;
  /** The call is over: stops the timer. */
  end(): void;
}

/**
 * A deadline for a call that outlives one promise (a body streamed to a parser): the signal covers
 * everything until `end()`. `timeoutMs` is the call's own limit; the cycle's is taken from the context.
 */
export function openCallScope(label: CallLabel, timeoutMs: number, deadline: CycleDeadline | undefined = currentDeadline()): CallScope {
  const started = performance.now();
  const controller = new AbortController();
  let error: DeadlineExceededError | undefined;
  const fire = (limit: 'call' | 'cycle'): void => {
    if (controller.signal.aborted) return;
    error = new DeadlineExceededError(label, limit, performance.now() - started, limit === 'call' ? timeoutMs : (deadline?.limitMs ?? timeoutMs));
    if (limit === 'cycle') deadline?.recordRanOut(error);
    controller.abort(error);
  };
  const timer = setTimeout(() => fire('call'), Math.max(0, timeoutMs));
  const onCycle = (): void => fire('cycle');
  if (deadline?.expired === true) fire('cycle');
  else deadline?.signal.addEventListener('abort', onCycle, { once: true });
  return {
    signal: controller.signal,
    ranOut: () => error,
    end: () => {
      clearTimeout(timer);
      deadline?.signal.removeEventListener('abort', onCycle);
    },
  };
}

/** Runs one call under its deadline and the cycle's; rejects with DeadlineExceededError when either passes. */
export async function callWithDeadline<T>(label: CallLabel, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>, deadline: CycleDeadline | undefined = currentDeadline()): Promise<T> {
  const scope = openCallScope(label, timeoutMs, deadline);
  const stop = whenAborted(scope.signal);
  try {
    if (scope.signal.aborted) throw scope.ranOut();
    const running = call(scope.signal);
    // Once the deadline has won the race, the call's own late failure is of no interest.
    running.catch(() => undefined);
    return await Promise.race([running, stop.promise]);
  } catch (e) {
    // Whatever the client threw on abort (AbortError, socket hang up), the deadline is the reason.
    throw scope.ranOut() ?? e;
  } finally {
    stop.cancel();
    scope.end();
  }
}

/**
 * The backstop for a port the cycle calls: `work` normally ends itself at the deadline (its calls are
 * bounded); if it has not `graceMs` after the deadline, the cycle stops waiting for it.
 */
export async function finishWithin<T>(deadline: CycleDeadline | undefined, label: CallLabel, work: Promise<T>, graceMs = 2_000): Promise<T> {
  if (deadline === undefined) return work;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(label, 'cycle', performance.now() - started, deadline.limitMs);
      deadline.recordRanOut(error);
      reject(error);
    }, deadline.remainingMs() + graceMs);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a wait of `ms` still fits before the cycle's deadline (always, outside a cycle). */
export function fitsBeforeDeadline(ms: number, deadline: CycleDeadline | undefined = currentDeadline()): boolean {
  return deadline === undefined || ms < deadline.remainingMs();
}

function whenAborted(signal: AbortSignal): { promise: Promise<never>; cancel: () => void } {
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => signal.removeEventListener('abort', onAbort) };
}
