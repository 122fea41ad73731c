// Where a client group's users start: a country with two clusters of users (Tokyo and Osaka) has one
// median RTT per Region, which the RTT model reads as one cluster at the larger one. The vantage
// points' own nearest Regions tell the two apart.

import { describe, expect, it } from 'vitest';
import { derivePreference, type ProximityInput } from '../../src/model/proximity.js';

const regions = ['ap-northeast-1', 'ap-northeast-3', 'ap-northeast-2'];
// Four probes in Osaka (1 ms to ap-northeast-3, 8 ms to ap-northeast-1), two in Tokyo: the medians say Osaka.
const rttMs = new Map([
  ['ap-northeast-1', 8],
  ['ap-northeast-3', 1],
  ['ap-northeast-2', 34],
]);
const input: ProximityInput = { rttMs, spreadMs: 1, landing: undefined, latitude: undefined, longitude: undefined };
const nearest = {
  shares: new Map([
    ['ap-northeast-1', 2 / 6],
    ['ap-northeast-3', 4 / 6],
  ]),
  vantages: 6,
};

describe('where a group with two clusters of users starts', () => {
  it('the RTT model alone starts the whole group at the Region of the larger cluster', () => {
    const first = Array.from(derivePreference(regions, input, false).first);
    expect(first[0]).toBe(0);
    expect(first[1]).toBeCloseTo(1, 6);
  });

  it('the vantage points nearest to each Region give each cluster its share, the RTT model counting as one vantage point', () => {
    const first = Array.from(derivePreference(regions, { ...input, nearest }, false).first);
    // 6/7 of the vantages' shares (1/3, 2/3) and 1/7 of the model's (0, 1).
    expect(first[0]).toBeCloseTo((6 / 7) * (1 / 3), 6);
    expect(first[1]).toBeCloseTo((6 / 7) * (2 / 3) + 1 / 7, 6);
    expect(first[2]).toBe(0);
  });

  it('one vantage point weighs as much as the model: it does not decide alone', () => {
    const one = { shares: new Map([['ap-northeast-1', 1]]), vantages: 1 };
    const first = Array.from(derivePreference(regions, { ...input, nearest: one }, false).first);
    expect(first[0]).toBeCloseTo(0.5, 6);
    expect(first[1]).toBeCloseTo(0.5, 6);
  });

  it('leaves the spill preference to the RTT model, and the landing seen at full dials still decides', () => {
    const pref = derivePreference(regions, { ...input, nearest }, false);
    expect(Array.from(pref.prefer)).toEqual(Array.from(derivePreference(regions, input, false).prefer));
    const landing = { 'ap-northeast-1': 0.55, 'ap-northeast-3': 0.45 };
    const seen = Array.from(derivePreference(regions, { ...input, nearest, landing }, true).first);
    expect(seen[0]).toBeCloseTo(0.55, 6);
    expect(seen[1]).toBeCloseTo(0.45, 6);
  });
});
