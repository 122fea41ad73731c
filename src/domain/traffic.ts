// Value types shared by every layer. Nothing here imports anything.

/** An AWS Region code such as `eu-central-1`. */
export type RegionCode = string;

/** A traffic dial in percent, 0-100 (GA stores it as a 32-bit float). */
export type DialPercent = number;

/** An endpoint weight, integer 0-255 (GA default 128). */
export type EndpointWeight = number;

export const DIAL_MIN_PERCENT = 0;
export const DIAL_MAX_PERCENT = 100;
export const WEIGHT_MIN = 0;
export const WEIGHT_MAX = 255;
export const WEIGHT_DEFAULT = 128;

/** Dials are floats on the wire; two dials closer than this are the same dial. */
export const DIAL_TOLERANCE_PERCENT = 0.01;

export function dialsEqual(a: DialPercent, b: DialPercent): boolean {
  return Math.abs(a - b) < DIAL_TOLERANCE_PERCENT;
}

export function clampDial(value: number): DialPercent {
  return Math.min(DIAL_MAX_PERCENT, Math.max(DIAL_MIN_PERCENT, value));
}

/** Rounds to the 0.1 % grid the planner works on, so plans are stable and readable. */
export function roundDial(value: number): DialPercent {
  return Math.round(clampDial(value) * 10) / 10;
}

export type HealthState = 'INITIAL' | 'HEALTHY' | 'UNHEALTHY';
export type AcceleratorStatus = 'DEPLOYED' | 'IN_PROGRESS';
