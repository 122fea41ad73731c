// Fills metro->Region RTTs that were not measured, from the nearest measured metros.
//
// Estimate for place X and Region R: the inverse-distance-weighted mean over the NEIGHBOURS nearest
// metros N with a measured RTT to R of  rtt(N,R) + FIBRE_RTT_MS_PER_KM * (d(X,R) - d(N,R)),
// i.e. the neighbour's measured path (with its detours) moved by the change in distance to the Region,
// at the speed of light in fibre. Never below the fibre bound LOCAL_RTT_MS + FIBRE_RTT_MS_PER_KM * d(X,R).

import { greatCircleKm } from '../../src/model/geo-distance.js';

/** Light in fibre covers about 200 km per ms; a round trip over d km takes at least d / 100 ms. */
export const FIBRE_RTT_MS_PER_KM = 0.01;
/** Median measured RTT per great-circle km over WonderNetwork pairs more than 1,000 km apart (about 0.0195). */
export const TYPICAL_RTT_MS_PER_KM = 0.02;
/** RTT inside one metro (host to host in the same city, one or two hops). */
export const LOCAL_RTT_MS = 1;
export const NEIGHBOURS = 3;
/** Neighbours closer than this weigh the same, so one very near server does not dominate alone. */
export const MIN_NEIGHBOUR_KM = 50;

export interface Place {
  readonly latitude: number;
  readonly longitude: number;
}

export interface MeasuredPlace extends Place {
  readonly id: string;
  readonly countryCode: string;
  /** Measured RTT (ms) per Region; estimated values are never used as neighbours. */
  readonly measuredRttMs: ReadonlyMap<string, number>;
}

export interface RegionPlace extends Place {
  readonly code: string;
}

export interface RttEstimate {
  readonly rttMs: number;
  /** Ids of the measured metros the estimate came from, nearest first. */
  readonly fromMetros: readonly string[];
}

export function distanceKm(a: Place, b: Place): number {
  return greatCircleKm(a.latitude, a.longitude, b.latitude, b.longitude);
}

/** RTT between a host and a Region in (nearly) the same place: local hop plus the typical path over the gap. */
export function localRttMs(gapKm: number): number {
  return LOCAL_RTT_MS + TYPICAL_RTT_MS_PER_KM * gapKm;
}

/** `candidates` must already be sorted nearest first from `target`. */
export function estimateRtt(target: Place, region: RegionPlace, candidates: readonly MeasuredPlace[]): RttEstimate | undefined {
  const toRegionKm = distanceKm(target, region);
  let weightSum = 0;
  let valueSum = 0;
  const from: string[] = [];
  for (const n of candidates) {
    if (from.length === NEIGHBOURS) break;
    const measured = n.measuredRttMs.get(region.code);
    if (measured === undefined) continue;
    const w = 1 / Math.max(distanceKm(target, n), MIN_NEIGHBOUR_KM);
    weightSum += w;
    valueSum += w * (measured + FIBRE_RTT_MS_PER_KM * (toRegionKm - distanceKm(n, region)));
    from.push(n.id);
  }
  if (from.length === 0) return undefined;
  const floor = LOCAL_RTT_MS + FIBRE_RTT_MS_PER_KM * toRegionKm;
  return { rttMs: Math.max(floor, valueSum / weightSum), fromMetros: from };
}

export function sortByDistance<T extends Place>(target: Place, places: readonly T[]): T[] {
  return places
    .map((p) => ({ p, d: distanceKm(target, p) }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.p);
}

export interface EstimateAccuracy {
  readonly pairs: number;
  readonly medianAbsErrorMs: number;
  readonly p90AbsErrorMs: number;
  readonly medianRelError: number;
}

/**
 * Leave-one-out check: estimate every measured pair from metros in other countries only (the situation
 * of a country with no measurement) and compare with the measurement.
 */
export function leaveOneOutAccuracy(measured: readonly MeasuredPlace[], regions: readonly RegionPlace[]): EstimateAccuracy {
  const abs: number[] = [];
  const rel: number[] = [];
  for (const m of measured) {
    const others = sortByDistance(
      m,
      measured.filter((o) => o.countryCode !== m.countryCode),
    );
    for (const r of regions) {
      const actual = m.measuredRttMs.get(r.code);
      if (actual === undefined) continue;
      const est = estimateRtt(m, r, others);
      if (est === undefined) continue;
      abs.push(Math.abs(est.rttMs - actual));
      rel.push(Math.abs(est.rttMs - actual) / actual);
    }
  }
  abs.sort((a, b) => a - b);
  rel.sort((a, b) => a - b);
  const at = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  return { pairs: abs.length, medianAbsErrorMs: at(abs, 0.5), p90AbsErrorMs: at(abs, 0.9), medianRelError: at(rel, 0.5) };
}
