import { describe, expect, it } from 'vitest';
import { derivePreference } from '../../src/model/proximity.js';
import { readGovernedTopology } from '../../src/planner/governed-topology.js';
import { naturalLanding } from '../../src/planner/natural-landing.js';
import type { ClientGroupSignals } from '../../src/planner/signal-view.js';
import { makePolicy, makeSnapshot, NOW, type RegionSpec } from '../support/planner-fixtures.js';

function topology(regions: RegionSpec[]) {
  const snapshot = makeSnapshot({ regions });
  const accelerator = snapshot.accelerators[0];
  if (accelerator === undefined) throw new Error('fixture has no accelerator');
  return readGovernedTopology(makePolicy({}, regions), accelerator);
}

const FULL: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 500 },
  { region: 'eu-west-1', full: 1000, load: 400 },
];
const LOWERED: RegionSpec[] = [
  { region: 'eu-central-1', full: 1000, load: 500, dial: 60 },
  { region: 'eu-west-1', full: 1000, load: 400 },
];

function group(id: string, landing: Record<string, number> | undefined, samples?: number): ClientGroupSignals {
  return { id, demand: 10, rttMs: new Map([['eu-central-1', 10], ['eu-west-1', 30]]), spreadMs: 5, landing, landingSamples: samples, latitude: undefined, longitude: undefined };
}

const HOUR = 3600 * 1000;

describe('natural landing: where users start, remembered while dials are lowered', () => {
  it('remembers what is seen at full dials with every Region healthy, and uses it once a dial is lowered', () => {
    const seen = naturalLanding(undefined, [group('DE', { 'eu-central-1': 0.9, 'eu-west-1': 0.1 }, 40)], topology(FULL), NOW);
    expect(seen.natural).toBe(true);
    expect(seen.remember?.groups.DE).toEqual({ 'eu-central-1': 0.9, 'eu-west-1': 0.1 });
    expect(seen.remember?.samples.DE).toBe(40);

    // Dials lowered: today's landing mixes in spill, so the remembered one stands in for it.
    const later = new Date(NOW.getTime() + HOUR);
    const lowered = naturalLanding(seen.remember, [group('DE', { 'eu-central-1': 0.5, 'eu-west-1': 0.5 }, 40)], topology(LOWERED), later);
    expect(lowered.natural).toBe(true);
    expect(lowered.clientGroups[0]?.landing).toEqual({ 'eu-central-1': 0.9, 'eu-west-1': 0.1 });
    expect(lowered.clientGroups[0]?.landingSamples).toBe(40);
    expect(lowered.remember).toBe(seen.remember);
  });

  it('forgets it after a day, and never takes a landing mixed with spill for one', () => {
    const seen = naturalLanding(undefined, [group('DE', { 'eu-central-1': 0.9, 'eu-west-1': 0.1 }, 40)], topology(FULL), NOW);
    const dayLater = new Date(NOW.getTime() + 25 * HOUR);
    const stale = naturalLanding(seen.remember, [group('DE', { 'eu-central-1': 0.5, 'eu-west-1': 0.5 }, 40)], topology(LOWERED), dayLater);
    expect(stale.natural).toBe(false);
    expect(stale.clientGroups[0]?.landing).toBeUndefined();
    expect(stale.remember).toBeUndefined();
  });

  it('does not remember a landing seen while a Region is down (its users are failed over)', () => {
    const down: RegionSpec[] = [
      { region: 'eu-central-1', full: 1000, load: 0, healthy: false },
      { region: 'eu-west-1', full: 1000, load: 900 },
    ];
    const before = naturalLanding(undefined, [group('DE', { 'eu-central-1': 0.9, 'eu-west-1': 0.1 }, 40)], topology(FULL), NOW);
    const during = naturalLanding(before.remember, [group('DE', { 'eu-west-1': 1 }, 40)], topology(down), new Date(NOW.getTime() + HOUR));
    expect(during.remember).toBe(before.remember);
  });
});

describe('landing against the RTT ranking, by how many results it rests on', () => {
  const regions = ['eu-central-1', 'eu-west-1'];
  const input = (landingSamples: number | undefined) => ({
    rttMs: new Map([['eu-central-1', 10], ['eu-west-1', 40]]),
    spreadMs: 4,
    landing: { 'eu-west-1': 1 },
    landingSamples,
    latitude: undefined,
    longitude: undefined,
  });

  it('follows many landing results, and leans on the RTT ranking when there are only a few', () => {
    const many = derivePreference(regions, input(1000), true);
    const few = derivePreference(regions, input(3), true);
    const unknown = derivePreference(regions, input(undefined), true);
    expect(unknown.first[1]).toBe(1);
    expect(many.first[1]).toBeGreaterThan(0.98);
    // 3 results against 10 from the RTT ranking, which puts nearly everyone in eu-central-1.
    expect(few.first[1]).toBeGreaterThan(0.2);
    expect(few.first[1]).toBeLessThan(0.3);
    expect(few.first[0]).toBeGreaterThan(0.7);
  });
});
