// Ages of timestamped signals. `now` is an argument: the core never reads the clock.

export function ageSeconds(observedAt: string, now: Date): number {
  return (now.getTime() - Date.parse(observedAt)) / 1000;
}

export function isFresh(observedAt: string, now: Date, maxAgeSeconds: number): boolean {
  const age = ageSeconds(observedAt, now);
  // A timestamp from the future (clock skew) is not trusted as fresh beyond one minute.
  return age <= maxAgeSeconds && age >= -60;
}
