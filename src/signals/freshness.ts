// Ages of timestamped signals, judged in one place with one clock-skew allowance. `now` is an argument:
// the core never reads the clock.

/** A timestamp up to this far in the future is taken as clock skew between hosts, not as bad data. */
export const CLOCK_SKEW_ALLOWANCE_SECONDS = 60;

export function ageSeconds(observedAt: string, now: Date): number {
  return (now.getTime() - parseTime(observedAt)) / 1000;
}

// A snapshot repeats the same few timestamps thousands of times (every measurement of a collection
// run); parsing each once keeps a decision fast. The cache is bounded and holds only strings -> numbers.
const parsed = new Map<string, number>();
const MAX_CACHED = 4096;

export function parseTime(iso: string): number {
  let t = parsed.get(iso);
  if (t === undefined) {
    t = Date.parse(iso);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(iso, t);
  }
  return t;
}

export function isFresh(observedAt: string, now: Date, maxAgeSeconds: number): boolean {
  const age = ageSeconds(observedAt, now);
  return age <= maxAgeSeconds && age >= -CLOCK_SKEW_ALLOWANCE_SECONDS;
}
