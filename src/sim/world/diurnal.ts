// Daily demand curve by local time: how much of its mean daily demand a metro sends at a given local hour.
//
// Shape facts, from published residential-internet traffic measurements (summarised in the shared
// data's data/world/SOURCES.md, "Removed on purpose"): traffic bottoms out around 04:00-05:00 local
// time at roughly 40-50 % of the daily peak and peaks around 20:00-22:00; office traffic lifts the
// 10:00-16:00 daytime. The curve is a two-harmonic Fourier series fitted (least squares) to those
// anchors: peak about 20:45 (1.32 x mean), trough about 04:55 (0.63 x mean, 48 % of the peak).
// A constant term of exactly 1 makes the mean over any 24 h exactly 1, so daily totals are unchanged.

/** `m(h) = 1 + a1 cos(2 pi (h - peak1Hour) / 24) + a2 cos(4 pi (h - peak2Hour) / 24)`, h in local hours. */
export const DIURNAL_CURVE = {
  a1: 0.28,
  peak1Hour: 18.4,
  a2: 0.12,
  peak2Hour: 10.1,
} as const;

const HOURS_PER_DAY = 24;
const MS_PER_HOUR = 3_600_000;

/** Demand multiplier at a local hour of day (any real number; taken modulo 24). Mean over a day is 1. */
export function diurnalMultiplier(localHour: number): number {
  const { a1, peak1Hour, a2, peak2Hour } = DIURNAL_CURVE;
  const w = (2 * Math.PI) / HOURS_PER_DAY;
  return 1 + a1 * Math.cos(w * (localHour - peak1Hour)) + a2 * Math.cos(2 * w * (localHour - peak2Hour));
}

/** Local hour of day in [0, 24) at a UTC instant for a fixed UTC offset in hours. */
export function localHourAt(epochMs: number, utcOffsetHours: number): number {
  const hours = epochMs / MS_PER_HOUR + utcOffsetHours;
  return ((hours % HOURS_PER_DAY) + HOURS_PER_DAY) % HOURS_PER_DAY;
}

/** Demand multiplier of a place with the given UTC offset at a UTC instant. */
export function diurnalMultiplierAt(epochMs: number, utcOffsetHours: number): number {
  return diurnalMultiplier(localHourAt(epochMs, utcOffsetHours));
}
