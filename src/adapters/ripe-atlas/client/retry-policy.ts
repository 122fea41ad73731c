// When to retry a request and how long to wait first. Pure functions, so the timing rules are testable.

/** 429 asks to come back later; 5xx is the server's own trouble. Other statuses will not change on retry. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so waits grow
 * steadily while concurrent clients still spread out. `retry` counts from 0.
 */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(retry, 30));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(step / 2 + (step / 2) * r);
}

/** Retry-After as milliseconds: either delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The wait before the next attempt, or undefined when the server asked for longer than the client
 * is willing to wait (the error is then reported rather than sleeping for hours).
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  config: { readonly retryBaseDelayMs: number; readonly maxRetryDelayMs: number; readonly random: () => number },
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs > config.maxRetryDelayMs ? undefined : retryAfterMs;
  return backoffDelayMs(retry, config.retryBaseDelayMs, config.maxRetryDelayMs, config.random);
}
