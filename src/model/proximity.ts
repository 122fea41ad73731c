// Where a client group's users start and where their spill goes (a GroupPreference, see routing.ts),
// from what its probes measured.
//
// A client group is a country (or country and network): its users do not all share one nearest
// Region. The probes give, per Region, the RTT of the group's typical user (the policy's statistic)
// and how much it varies between the group's vantage points (p90 - p50). Taking each Region's RTT
// over the group's users as normal with that spread, the share of users for whom Region r is the
// nearest is about the product over the other Regions r' of P(RTT_r < RTT_r'); the same weights say
// where their spill goes. A compact country ranks its Regions sharply; a wide one (the United States
// between us-east-1 and us-west-2) splits.
// When every dial is at 100 and the group was seen landing through the anycast address, those shares
// are where its users start: what GA was seen doing beats what RTT suggests.
// Regions without a measurement follow in the strict order, by great-circle distance when the group's
// location is known.

import type { RegionCode } from '../domain/traffic.js';
import { greatCircleKm } from './geo-distance.js';
import { REGION_COORDINATES } from './region-coordinates.js';
import { BACKBONE_RTT_MS } from './backbone-rtt.js';
import { Preference, type GroupPreference } from './routing.js';
import { takeFloatRow, takeIntRow } from './row-blocks.js';

export interface ProximityInput {
  readonly rttMs: ReadonlyMap<RegionCode, number>;
  /** How much RTT varies between the group's vantage points (p90 - p50, ms), when known. */
  readonly spreadMs: number | undefined;
  readonly landing: Readonly<Record<RegionCode, number>> | undefined;
  /** Share of the group's vantage points nearest to each Region (their own lowest RTT), and how many vantage points. */
  readonly nearest?: { readonly shares: ReadonlyMap<RegionCode, number>; readonly vantages: number } | undefined;
  readonly latitude: number | undefined;
  readonly longitude: number | undefined;
}

/** The spread assumed for a group whose probes do not tell (ms); and the least any group gets. */
const DEFAULT_SPREAD_MS = 6;
const MIN_SIGMA_MS = 1.5;
/** Shares below this are dropped (and the rest renormalised): too small to matter, costly to route. */
const MIN_SHARE = 0.01;

/**
 * How far one user's RTT to a Region strays from his group's, as a normal's standard deviation: from
 * the group's spread (p90 - p50 across its probes, 1.2816 standard deviations), at least MIN_SIGMA_MS.
 */
export function userSigmaMs(spreadMs: number | undefined): number {
  return Math.max(MIN_SIGMA_MS, (spreadMs ?? DEFAULT_SPREAD_MS) / 1.2816);
}

/** The Regions nearest first: measured ones by RTT, then the rest by distance. */
export function deriveProximity(regions: readonly RegionCode[], input: Pick<ProximityInput, 'rttMs' | 'latitude' | 'longitude'>): RegionCode[] {
  const { mu, measured } = rttRow(regions, input.rttMs);
  const order = proximityOrder(regions, mu, measured, input);
  const out: RegionCode[] = [];
  for (let k = 0; k < order.length; k += 1) out.push(regions[order[k] as number] as RegionCode);
  return out;
}

/**
 * The group's RTT per Region index as plain numbers (0 where unmeasured) and whether it was measured:
 * read from its map once (an array mixing numbers and undefined holds each number boxed).
 */
function rttRow(regions: readonly RegionCode[], rttMs: ReadonlyMap<RegionCode, number>): { mu: Float64Array; measured: Uint8Array } {
  const R = regions.length;
  if (rowScratch.mu.length !== R) rowScratch = { mu: new Float64Array(R), measured: new Uint8Array(R) };
  const { mu, measured } = rowScratch;
  for (let i = 0; i < R; i += 1) {
    const ms = rttMs.get(regions[i] as RegionCode);
    mu[i] = ms ?? 0;
    measured[i] = ms === undefined ? 0 : 1;
  }
  return rowScratch;
}

// rttRow's rows: one group's at a time, read before the next group's are written (nothing keeps them).
let rowScratch = { mu: new Float64Array(0), measured: new Uint8Array(0) };

/** deriveProximity as indices into `regions` (the order derivePreference keeps, without finding each code again); `mu`, `measured` from rttRow. */
function proximityOrder(regions: readonly RegionCode[], mu: Float64Array, isMeasured: Uint8Array, input: Pick<ProximityInput, 'latitude' | 'longitude'>): Int32Array {
  // The measured Regions' indices go first, sorted by RTT straight into the order (the comparator
  // reads numbers, not the map nor objects whose fields V8 may re-type as it sees more groups); the
  // rest, usually none, follow in a list of their own.
  const order = takeIntRow(regions.length);
  let measured = 0;
  let rest: number[] | undefined;
  for (let i = 0; i < regions.length; i += 1) {
    if (isMeasured[i] === 1) order[measured++] = i;
    else (rest ??= []).push(i);
  }
  sortByRtt(order, measured, mu, regions);
  if (rest !== undefined) {
    rest.sort((a, b) => distanceKm(input, regions[a] as RegionCode) - distanceKm(input, regions[b] as RegionCode) || (regions[a] as RegionCode).localeCompare(regions[b] as RegionCode));
    for (let m = 0; m < rest.length; m += 1) order[measured + m] = rest[m] as number;
  }
  return order;
}

/**
 * The first `count` Region indices sorted as sort((a, b) => mu[a] - mu[b] || regions[a].localeCompare(regions[b]))
 * sorts them: by insertion, which for a few dozen indices costs less than the built-in sort (its comparator
 * calls and work array, for every client group in every decision). That comparator is a strict order
 * (the codes differ), so both give the same order; with a NaN RTT it is not, and the built-in sort
 * of an array decides.
 */
function sortByRtt(indices: Int32Array, count: number, mu: Float64Array, regions: readonly RegionCode[]): void {
  for (let k = 0; k < count; k += 1) {
    if (Number.isNaN(mu[indices[k] as number] as number)) {
      const list = Array.from(indices.subarray(0, count));
      list.sort((a, b) => (mu[a] as number) - (mu[b] as number) || (regions[a] as RegionCode).localeCompare(regions[b] as RegionCode));
      indices.set(list);
      return;
    }
  }
  for (let i = 1; i < count; i += 1) {
    const v = indices[i] as number;
    let j = i - 1;
    while (j >= 0 && rttAfter(indices[j] as number, v, mu, regions)) {
      indices[j + 1] = indices[j] as number;
      j -= 1;
    }
    indices[j + 1] = v;
  }
}

/** Whether that comparator puts a after b: compared, not subtracted (a difference is a number to box in slower tiers). */
function rttAfter(a: number, b: number, mu: Float64Array, regions: readonly RegionCode[]): boolean {
  const x = mu[a] as number;
  const y = mu[b] as number;
  if (x > y) return true;
  if (x < y) return false;
  // Equal, or two infinities of one sign (their difference is NaN): the codes decide, as there.
  return (regions[a] as RegionCode).localeCompare(regions[b] as RegionCode) > 0;
}

/** Backbone RTTs within this many ms of the nearest count as a tie (shared between them). */
const BACKBONE_TIE_MS = 2;

/**
 * Where users leaving each Region go, by the AWS backbone RTT from it: per source index, weights over
 * `regions` (undefined for a Region the table does not know). Shared by every client group.
 */
export function backboneSpill(regions: readonly RegionCode[]): readonly (Float64Array | undefined)[] {
  // A function of the Regions and a fixed table alone: worked out once per set of Regions (a process
  // decides for the same Regions cycle after cycle). Shared, so never written to.
  const key = regions.join(',');
  let spill = spillByRegions.get(key);
  if (spill === undefined) {
    spill = backboneSpillOf(regions);
    if (spillByRegions.size >= MAX_SPILL_TABLES) spillByRegions.clear();
    spillByRegions.set(key, spill);
  }
  return spill;
}

const spillByRegions = new Map<string, readonly (Float64Array | undefined)[]>();
const MAX_SPILL_TABLES = 64;

function backboneSpillOf(regions: readonly RegionCode[]): (Float64Array | undefined)[] {
  return regions.map((from) => {
    const row = BACKBONE_RTT_MS[from];
    if (row === undefined) return undefined;
    const rtt = regions.map((to) => (to === from ? undefined : row[to]));
    const known = rtt.filter((x): x is number => x !== undefined);
    if (known.length === 0) return undefined;
    const best = Math.min(...known);
    const w = Float64Array.from(rtt, (x) => (x === undefined ? 0 : Math.exp(-(x - best) / BACKBONE_TIE_MS)));
    sparsify(w);
    return w;
  });
}

/** The group's preference over `regions` (indices into it); `spillFrom` from backboneSpill(regions). */
export function derivePreference(
  regions: readonly RegionCode[],
  input: ProximityInput,
  allDialsFull: boolean,
  spillFrom?: readonly (Float64Array | undefined)[],
): GroupPreference {
  const R = regions.length;
  // Plain loops and one shape of result: this runs for every client group, first in V8's slower tiers.
  const { mu, measured } = rttRow(regions, input.rttMs);
  const order = proximityOrder(regions, mu, measured, input);
  const sigma = userSigmaMs(input.spreadMs);
  const prefer = pairwisePreference(mu, measured, sigma);
  sparsify(prefer);
  let first: Float64Array;
  const seen = allDialsFull ? observedFirst(regions, input.landing) : undefined;
  if (seen !== undefined) first = seen;
  else if (anyPositive(prefer)) {
    first = takeFloatRow(R);
    first.set(prefer);
    blendNearest(first, regions, input.nearest);
  }
  else {
    first = takeFloatRow(R);
    if (order[0] !== undefined) first[order[0]] = 1;
  }
  normalize(first);
  return new Preference(first, prefer, order, spillFrom, undefined);
}

/**
 * Per Region, the share of the group's users nearest to it: the product over the other measured
 * Regions of P(RTT_r < RTT_o). A function of its own: it runs for every group, and a small loop is
 * optimised sooner and at less cost than the whole of derivePreference.
 */
function pairwisePreference(mu: Float64Array, measured: Uint8Array, sigma: number): Float64Array {
  const R = mu.length;
  const prefer = takeFloatRow(R);
  for (let r = 0; r < R; r += 1) {
    if (measured[r] !== 1) continue;
    const m = mu[r] as number;
    let p = 1;
    for (let o = 0; o < R; o += 1) {
      if (o === r || measured[o] !== 1) continue;
      const other = mu[o] as number;
      // P(RTT_r < RTT_o) for two independent normals with the group's spread: a factor of exactly 1
      // (the product unchanged) where o is far enough behind r.
      const x = (other - m) / (2 * sigma);
      if (x >= ERF_IS_ONE_FROM) continue;
      p *= 0.5 * (1 + erf(x));
      if (p < 1e-6) break;
    }
    prefer[r] = p;
  }
  return prefer;
}

/**
 * How many vantage points the RTT model counts for, against the vantage points' own nearest Regions:
 * with one or two probes the model smooths their verdict; with many, the probes decide.
 */
const MODEL_WEIGHT_VANTAGES = 1;

/**
 * Where users start, from the vantage points' own nearest Regions where measured: the RTT model
 * (`first`, normalised here) assumes each Region's RTT over the group is one normal spread around its
 * median, so a country with two clusters (Tokyo and Osaka) starts wholly at the Region of the larger.
 */
function blendNearest(first: Float64Array, regions: readonly RegionCode[], nearest: ProximityInput['nearest']): void {
  if (nearest === undefined || nearest.vantages <= 0) return;
  const seen = takeFloatRow(regions.length);
  for (let i = 0; i < regions.length; i += 1) seen[i] = nearest.shares.get(regions[i] as RegionCode) ?? 0;
  const seenTotal = sumOf(seen);
  const modelTotal = sumOf(first);
  if (!(seenTotal > 0) || !(modelTotal > 0)) return;
  const w = nearest.vantages / (nearest.vantages + MODEL_WEIGHT_VANTAGES);
  for (let i = 0; i < first.length; i += 1) first[i] = (w * (seen[i] as number)) / seenTotal + ((1 - w) * (first[i] as number)) / modelTotal;
  sparsify(first);
}

function observedFirst(regions: readonly RegionCode[], landing: Readonly<Record<RegionCode, number>> | undefined): Float64Array | undefined {
  if (landing === undefined) return undefined;
  const out = takeFloatRow(regions.length);
  // The few Regions the group was seen landing in, looked up by index: not every Region looked up in
  // the record, most of them absent (a slow lookup each, the records' shapes differing by group).
  const index = indexOfRegion(regions);
  for (const region in landing) {
    const i = index.get(region);
    if (i !== undefined) out[i] = landing[region] ?? 0;
  }
  if (!(sumOf(out) > 0)) return undefined;
  sparsify(out);
  return out;
}

// The Regions of a decision are one array, shared by all its client groups.
const regionIndexes = new WeakMap<readonly RegionCode[], ReadonlyMap<RegionCode, number>>();

/** Region code -> its first index in `regions`. */
function indexOfRegion(regions: readonly RegionCode[]): ReadonlyMap<RegionCode, number> {
  let index = regionIndexes.get(regions);
  if (index === undefined) {
    const made = new Map<RegionCode, number>();
    for (let i = regions.length - 1; i >= 0; i -= 1) made.set(regions[i] as RegionCode, i);
    index = made;
    regionIndexes.set(regions, index);
  }
  return index;
}

function sparsify(x: Float64Array): void {
  const total = sumOf(x);
  if (total <= 0) return;
  for (let i = 0; i < x.length; i += 1) if ((x[i] as number) / total < MIN_SHARE) x[i] = 0;
}

function normalize(x: Float64Array): void {
  const total = sumOf(x);
  if (total > 0) for (let i = 0; i < x.length; i += 1) x[i] = (x[i] as number) / total;
}

// Plain loops, not reduce/some/from with a callback: these run for every client group in every decision.
function sumOf(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < x.length; i += 1) total += x[i] as number;
  return total;
}

function anyPositive(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i += 1) if ((x[i] as number) > 0) return true;
  return false;
}

function distanceKm(input: Pick<ProximityInput, 'latitude' | 'longitude'>, region: RegionCode): number {
  const c = REGION_COORDINATES[region];
  if (c === undefined || input.latitude === undefined || input.longitude === undefined) return Number.POSITIVE_INFINITY;
  return greatCircleKm(input.latitude, input.longitude, c.latitude, c.longitude);
}

/**
 * From here on erf(x), as computed below, is exactly 1: 1 - t x poly(t) x e^-x^2 with t < 0.34 and
 * poly(t) < 0.26 leaves less than half the last bit of 1 (2^-54) once e^-x^2 < 6.3e-16 (x > 5.93).
 */
export const ERF_IS_ONE_FROM = 6;

/** The error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7): the planner calls it a lot. */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
