// What a user pays in RTT where GA lands him, given the Region nearest to him.
//
// A client group's RTT to each Region is a mean over its users, and its users are split by which Region
// is nearest to each (proximity.ts). A user whose nearest Region is s pays about the group's RTT to s
// there. Landed in j instead he pays that plus the gap between j and s as seen by a user for whom s is
// the nearer one: E[D | D > 0] for D ~ N(mu_j - mu_s, 2 sigma^2), the same pairwise model that splits the
// group. So a user's nearest Region is always his cheapest and bringing users back to it is always a
// gain, even where the group's mean RTT to j is lower than to s (many of its users are nearer j; those
// in row s are not). Charging the group's mean to j instead would make a planner keep users away from
// their nearest Region for a latency gain that is not there.

import { erf } from './proximity.js';

/** Below this z the direct form loses precision (the erf approximation's absolute error nears the CDF) and an asymptotic series takes over. */
const ASYMPTOTE_BELOW_Z = -4;

/**
 * Row-major R x R costs (ms): [s * R + j] for a user whose nearest Region is s landing in j. Unmeasured
 * RTT counts as the group's highest measured one. With `rows`, off the diagonal only the rows whose
 * share is above 0 are filled (only users nearest those Regions exist; the rest stay NaN), which is
 * most of the work saved for a group nearest to a few of many Regions. With `into` (R x R numbers) the
 * costs are written there instead of into a new array (a caller making one per client group cuts them
 * from one block: each new array of this size is a separate allocation outside the heap).
 */
export function landingCostMatrix(rttMs: ArrayLike<number>, sigmaMs: number, rows?: ArrayLike<number>, into?: Float64Array): Float64Array {
  const R = rttMs.length;
  if (into !== undefined && into.length !== R * R) throw new RangeError(`landingCostMatrix: into holds ${into.length} numbers, not ${R} x ${R}`);
  let highest = 0;
  for (let i = 0; i < R; i += 1) if (!Number.isNaN(rttMs[i] as number)) highest = Math.max(highest, rttMs[i] as number);
  // One matrix at a time: the row is reused (a list per client group would be garbage in every decision).
  if (muScratch.length !== R) muScratch = new Float64Array(R);
  const mu = muScratch;
  for (let i = 0; i < R; i += 1) mu[i] = Number.isNaN(rttMs[i] as number) ? highest : (rttMs[i] as number);
  const sd = sigmaMs * Math.SQRT2;
  const out = (into ?? new Float64Array(R * R)).fill(Number.NaN);
  for (let s = 0; s < R; s += 1) {
    out[s * R + s] = mu[s] as number;
    if (rows !== undefined && !((rows[s] as number) > 0)) continue;
    for (let j = 0; j < R; j += 1) if (j !== s) out[s * R + j] = (mu[s] as number) + positiveGap((mu[j] as number) - (mu[s] as number), sd);
  }
  return out;
}

let muScratch = new Float64Array(0);

/** E[D | D > 0] for D ~ N(m, sd^2): always above 0, close to m when m is well above sd. */
export function positiveGap(m: number, sd: number): number {
  if (!(sd > 0)) return Math.max(0, m);
  const z = m / sd;
  if (z < ASYMPTOTE_BELOW_Z) {
    const a = -z;
    return sd * (1 / a - 2 / a ** 3 + 10 / a ** 5 - 74 / a ** 7);
  }
  const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  const cdf = 0.5 * (1 + erf(z / Math.SQRT2));
  return m + (sd * pdf) / cdf;
}
