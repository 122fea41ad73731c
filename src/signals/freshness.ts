// Ages of timestamped signals, judged in one place with one clock-skew allowance. `now` is an argument:
// the core never reads the clock.

/** A timestamp up to this far in the future is taken as clock skew between hosts, not as bad data. */
export const CLOCK_SKEW_ALLOWANCE_SECONDS = 60;

export function ageSeconds(observedAt: string, now: Date): number {
  return (now.getTime() - Date.parse(observedAt)) / 1000;
}

export function isFresh(observedAt: string, now: Date, maxAgeSeconds: number): boolean {
  const age = ageSeconds(observedAt, now);
  return age <= maxAgeSeconds && age >= -CLOCK_SKEW_ALLOWANCE_SECONDS;
}
