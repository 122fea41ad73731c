// A client group's values per Region, stored as rows over the policy's Regions, read as a Map would be.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regionList, RegionValues } from '../../src/planner/region-values.js';

const CODES = ['eu-central-1', 'eu-west-1', 'us-east-1', 'ap-south-1'];

describe('RegionValues', () => {
  it('reads like a Map fed the same writes: values, sizes and the order Regions were first set', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: CODES.length - 1 }), fc.double({ noNaN: true })), { maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (writes, iterateAfter) => {
        const values = new RegionValues(regionList(CODES));
        const map = new Map<string, number>();
        writes.forEach(([i, v], k) => {
          // Iterating part-way builds the Map view; later writes must still show through it.
          if (k === iterateAfter) expect([...values]).toEqual([...map]);
          values.setAt(i, v);
          map.set(CODES[i] as string, v);
        });
        expect(values.size).toBe(map.size);
        expect([...values]).toEqual([...map]);
        expect([...values.keys()]).toEqual([...map.keys()]);
        expect([...values.values()]).toEqual([...map.values()]);
        const seen: [string, number][] = [];
        values.forEach((v, key) => seen.push([key, v]));
        expect(seen).toEqual([...map]);
        for (const [i, code] of CODES.entries()) {
          expect(values.get(code)).toBe(map.get(code));
          expect(values.has(code)).toBe(map.has(code));
          expect(values.at(i)).toBe(map.get(code));
        }
        expect(values.get('sa-east-1')).toBeUndefined();
        expect(values.has('sa-east-1')).toBe(false);
      }),
    );
  });

  it('indexes a repeated code by its first place', () => {
    const list = regionList(['eu-west-1', 'us-east-1', 'eu-west-1']);
    expect(list.index.get('eu-west-1')).toBe(0);
    expect(list.index.get('us-east-1')).toBe(1);
  });
});
