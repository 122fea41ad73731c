// The client-group preference skips the pairwise factors where erf is exactly 1 (they cannot change
// the product): these pin that the skip is exact, so no plan depends on it.

import { describe, expect, it } from 'vitest';
import { derivePreference, erf, ERF_IS_ONE_FROM, userSigmaMs } from '../../src/model/proximity.js';
import { Random } from '../../src/sim/random.js';

describe('erf as the planner computes it', () => {
  it(`is exactly 1 from ${ERF_IS_ONE_FROM} on`, () => {
    const notOne: number[] = [];
    for (let x = ERF_IS_ONE_FROM; x < ERF_IS_ONE_FROM + 3; x += 1e-5) if (erf(x) !== 1) notOne.push(x);
    for (let x = ERF_IS_ONE_FROM; x < 1e6; x *= 1.001) if (erf(x) !== 1) notOne.push(x);
    expect(notOne).toEqual([]);
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('is below 1 a little before that, so the threshold is not far past where it could be', () => {
    expect(erf(5.9)).toBeLessThan(1);
  });
});

describe('derivePreference', () => {
  const regions = ['eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-north-1', 'us-east-1', 'us-east-2', 'us-west-2', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1'];

  /** Every pairwise factor multiplied in, in the same order, then shares under 1 % dropped: the preference without the skip. */
  function reference(rtt: ReadonlyMap<string, number>, spreadMs: number | undefined): Float64Array {
    const sigma = userSigmaMs(spreadMs);
    const mu = regions.map((r) => rtt.get(r));
    const out = new Float64Array(regions.length);
    mu.forEach((m, r) => {
      if (m === undefined) return;
      let p = 1;
      for (let o = 0; o < regions.length; o += 1) {
        const other = mu[o];
        if (o === r || other === undefined) continue;
        p *= 0.5 * (1 + erf((other - m) / (2 * sigma)));
        if (p < 1e-6) break;
      }
      out[r] = p;
    });
    const total = out.reduce((a, b) => a + b, 0);
    if (total > 0) for (let i = 0; i < out.length; i += 1) if ((out[i] as number) / total < 0.01) out[i] = 0;
    return out;
  }

  it('gives the preference every pairwise factor gives, to the last bit, for groups near and far, compact and wide', () => {
    const random = new Random(20261130);
    for (let k = 0; k < 1000; k += 1) {
      const rtt = new Map<string, number>();
      for (const r of regions) if (random.next() < 0.9) rtt.set(r, 1 + random.next() * (random.next() < 0.5 ? 40 : 300));
      const spreadMs = random.next() < 0.2 ? undefined : random.next() * (random.next() < 0.5 ? 3 : 60);
      const got = derivePreference(regions, { rttMs: rtt, spreadMs, landing: undefined, latitude: undefined, longitude: undefined }, false);
      expect(Array.from(got.prefer)).toEqual(Array.from(reference(rtt, spreadMs)));
    }
  });
});
