// landGroup with a preference's support (where its weights are not 0) visits only those Regions; the
// dial search relies on that giving the same landing and cost as visiting every Region, to the last bit.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landGroup, preferenceSupport, type GroupPreference } from '../../src/model/routing.js';

const weight = fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }));

const routingCase = fc.integer({ min: 1, max: 12 }).chain((R) =>
  fc.record({
    first: fc.array(weight, { minLength: R, maxLength: R }),
    prefer: fc.array(weight, { minLength: R, maxLength: R }),
    spillFrom: fc.option(fc.array(fc.option(fc.array(weight, { minLength: R, maxLength: R }), { nil: undefined }), { minLength: R, maxLength: R }), { nil: undefined }),
    spillMix: fc.option(fc.constantFrom(0, 0.5, 1), { nil: undefined }),
    order: fc.shuffledSubarray([...Array(R).keys()], { minLength: R, maxLength: R }),
    present: fc.array(fc.oneof(fc.constant(1), fc.constant(1), fc.constant(0)), { minLength: R, maxLength: R }),
    healthy: fc.array(fc.oneof(fc.constant(1), fc.constant(1), fc.constant(0)), { minLength: R, maxLength: R }),
    dial: fc.array(fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: R, maxLength: R }),
    cost: fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: R * R, maxLength: R * R }),
  }),
);

describe('landGroup with a preference support', () => {
  it('lands a group exactly where visiting every Region lands it, at the same cost', () => {
    fc.assert(
      fc.property(routingCase, (c) => {
        const R = c.first.length;
        const pref: GroupPreference = {
          first: Float64Array.from(c.first),
          prefer: Float64Array.from(c.prefer),
          order: Int32Array.from(c.order),
          ...(c.spillFrom !== undefined ? { spillFrom: c.spillFrom.map((row) => (row === undefined ? undefined : Float64Array.from(row))) } : {}),
          ...(c.spillMix !== undefined ? { spillMix: c.spillMix } : {}),
        };
        const dense = new Float64Array(R);
        const sparse = new Float64Array(R);
        const denseCost = landGroup(pref, c.present, c.dial, c.healthy, dense, c.cost);
        const sparseCost = landGroup(pref, c.present, c.dial, c.healthy, sparse, c.cost, preferenceSupport(pref, R));
        expect(Object.is(sparseCost, denseCost)).toBe(true);
        expect(Array.from(sparse)).toEqual(Array.from(dense));
      }),
      { numRuns: 1000, seed: 20261130 },
    );
  });
});
