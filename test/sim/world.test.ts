import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveWorld } from '../../scripts/world/derive-world.js';
import { estimateRtt, FIBRE_RTT_MS_PER_KM, type MeasuredPlace } from '../../scripts/world/estimate-rtt.js';
import { formatWorldJson } from '../../scripts/world/format-world.js';
import { readWorldSources } from '../../scripts/world/read-sources.js';
import { standardUtcOffsetHours } from '../../scripts/world/utc-offset.js';
import { FileReadError } from '../../src/app/errors.js';
import { greatCircleKm } from '../../src/model/geo-distance.js';
import { WorldFileError } from '../../src/sim/world/errors.js';
import { COMMITTED_WORLD_FILE, loadWorld } from '../../src/sim/world/load-world.js';
import type { Metro, World } from '../../src/sim/world/world-schema.js';
import { DATA_DIR } from '../support/repo-data.js';

let world: World;
beforeAll(() => {
  world = loadWorld();
});

function metro(id: string): Metro {
  const m = world.metros.find((x) => x.id === id);
  if (m === undefined) throw new Error(`no metro ${id}`);
  return m;
}

function rtt(metroId: string, region: string): number {
  const v = metro(metroId).rttMs[region];
  if (v === undefined) throw new Error(`no RTT ${metroId} -> ${region}`);
  return v;
}

describe('committed world file', () => {
  it('parses and passes the cross-checks', () => {
    expect(world.worldVersion).toBe(1);
    expect(world.regions.length).toBeGreaterThanOrEqual(30);
    expect(world.metros.length).toBeGreaterThan(200);
  });

  it('stays compact (under 1 MB)', () => {
    expect(readFileSync(COMMITTED_WORLD_FILE).byteLength).toBeLessThan(1_000_000);
  });

  it('gives every metro an RTT for every Region, and every Region a backbone RTT to every other', () => {
    const codes = world.regions.map((r) => r.code).sort();
    for (const m of world.metros) expect(Object.keys(m.rttMs).sort(), m.id).toEqual(codes);
    for (const from of codes) expect(Object.keys(world.interRegionRttMs[from] ?? {}).sort(), from).toEqual(codes);
  });

  it('has plausible RTTs near and across oceans', () => {
    expect(rtt('de-frankfurt', 'eu-central-1')).toBeLessThan(15);
    expect(rtt('au-sydney', 'ap-southeast-2')).toBeLessThan(15);
    expect(rtt('jp-tokyo', 'ap-northeast-1')).toBeLessThan(15);
    expect(rtt('us-manhattan', 'us-east-1')).toBeLessThan(15);
    expect(rtt('gb-london', 'us-east-1')).toBeGreaterThan(60);
    expect(rtt('us-manhattan', 'eu-west-2')).toBeGreaterThan(60);
    expect(rtt('de-frankfurt', 'us-east-1')).toBeGreaterThan(60);
    expect(rtt('au-sydney', 'eu-west-1')).toBeGreaterThan(200);
    // Backbone: Frankfurt to N. Virginia is about 90 ms (cloudping p50).
    expect(world.interRegionRttMs['eu-central-1']?.['us-east-1']).toBeGreaterThan(70);
    expect(world.interRegionRttMs['eu-central-1']?.['us-east-1']).toBeLessThan(110);
  });

  it('never beats light in fibre over the distance to the Region (less the proxy gap)', () => {
    for (const m of world.metros) {
      for (const r of world.regions) {
        const km = greatCircleKm(m.latitude, m.longitude, r.latitude, r.longitude) - r.proxy.distanceKm;
        expect(m.rttMs[r.code] ?? 0, `${m.id} -> ${r.code}`).toBeGreaterThanOrEqual(FIBRE_RTT_MS_PER_KM * km - 0.1);
      }
    }
  });

  it('flags estimated RTTs: metros of unmeasured countries, and measured metros\' gaps', () => {
    const estimated = world.metros.filter((m) => m.rtt.basis === 'estimated');
    expect(estimated.length).toBeGreaterThan(0);
    const measuredIds = new Set(world.metros.filter((m) => m.rtt.basis === 'measured').map((m) => m.id));
    for (const m of estimated) if (m.rtt.basis === 'estimated') for (const id of m.rtt.fromMetros) expect(measuredIds.has(id)).toBe(true);
    // Frankfurt's own server is eu-central-1's proxy, so that pair is a local estimate, not a measurement.
    const fra = metro('de-frankfurt').rtt;
    expect(fra.basis === 'measured' && fra.estimatedRegions).toEqual(['eu-central-1']);
  });

  it('has demand weights that sum to 1, per metro and per country, and metros that add up to their country', () => {
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(world.metros.map((m) => m.demandWeight))).toBeCloseTo(1, 6);
    expect(sum(world.countries.map((c) => c.demandWeight))).toBeCloseTo(1, 6);
    const us = sum(world.metros.filter((m) => m.countryCode === 'US').map((m) => m.demandWeight));
    expect(us).toBeCloseTo(world.countries.find((c) => c.code === 'US')?.demandWeight ?? -1, 6);
    // Most users are where most people are online: China, India, the US lead.
    const top = [...world.countries].sort((a, b) => b.demandWeight - a.demandWeight).slice(0, 3).map((c) => c.code);
    expect(top).toEqual(expect.arrayContaining(['CN', 'IN', 'US']));
  });

  it('gives each metro a standard UTC offset matching its time zone', () => {
    expect(metro('de-frankfurt').utcOffsetHours).toBe(1);
    expect(metro('us-manhattan').utcOffsetHours).toBe(-5);
    expect(metro('in-new-delhi').utcOffsetHours).toBe(5.5);
    expect(metro('au-sydney').utcOffsetHours).toBe(10);
  });

  it('names a source and licence for every input', () => {
    expect(world.attribution.length).toBeGreaterThanOrEqual(8);
    for (const a of world.attribution) expect(a.license.length).toBeGreaterThan(2);
  });
});

describe('derivation from the repository data', () => {
  it('reproduces the committed file byte for byte', () => {
    const derived = formatWorldJson(deriveWorld(readWorldSources(DATA_DIR)));
    expect(derived === readFileSync(COMMITTED_WORLD_FILE, 'utf8')).toBe(true);
  });
});

describe('RTT estimate', () => {
  const region = { code: 'xx-test-1', latitude: 50, longitude: 8 };
  const neighbour = (id: string, latitude: number, longitude: number, ms: number): MeasuredPlace => ({
    id,
    countryCode: 'XX',
    latitude,
    longitude,
    measuredRttMs: new Map([[region.code, ms]]),
  });

  it('moves a neighbour\'s measurement by the change in distance to the Region', () => {
    // 10 degrees of latitude is about 1,112 km: at 0.01 ms/km the estimate is about 11 ms lower.
    const est = estimateRtt({ latitude: 50, longitude: 28 }, region, [neighbour('n', 60, 28, 100)]);
    const delta = FIBRE_RTT_MS_PER_KM * (greatCircleKm(50, 28, 50, 8) - greatCircleKm(60, 28, 50, 8));
    expect(est?.rttMs).toBeCloseTo(100 + delta, 6);
    expect(est?.fromMetros).toEqual(['n']);
  });

  it('never goes below light in fibre', () => {
    // The neighbour is 20 degrees further east than the target: moving 1,400 km closer would go below zero.
    const est = estimateRtt({ latitude: 50, longitude: 28 }, region, [neighbour('n', 50, 48, 10)]);
    expect(est?.rttMs).toBeCloseTo(1 + FIBRE_RTT_MS_PER_KM * greatCircleKm(50, 28, 50, 8), 6);
  });

  it('has nothing to say without a measured neighbour', () => {
    expect(estimateRtt({ latitude: 0, longitude: 0 }, region, [])).toBeUndefined();
  });

  it('reads standard offsets from the time-zone data', () => {
    expect(standardUtcOffsetHours('Asia/Kathmandu')).toBe(5.75);
    expect(standardUtcOffsetHours('America/Sao_Paulo')).toBe(-3);
    expect(standardUtcOffsetHours('Australia/Melbourne')).toBe(10);
  });
});

describe('loading a world file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ga-steer-world-'));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const committed = (): World => JSON.parse(readFileSync(COMMITTED_WORLD_FILE, 'utf8')) as World;

  it('names the metro and the Regions when RTTs are missing', () => {
    const w = committed();
    const m = w.metros[3];
    if (m === undefined) throw new Error('fixture');
    delete m.rttMs['eu-west-1'];
    delete m.rttMs['us-east-1'];
    const file = write('missing-rtt.json', JSON.stringify(w));
    expect(() => loadWorld(file)).toThrow(WorldFileError);
    expect(() => loadWorld(file)).toThrow(/metros\.3\.rttMs: no RTT for eu-west-1, us-east-1/);
  });

  it('reports every schema issue with its path', () => {
    const w = committed() as unknown as { metros: Record<string, unknown>[] };
    const [a, b] = w.metros;
    if (a === undefined || b === undefined) throw new Error('fixture');
    a['latitude'] = 123;
    b['demandWeight'] = -1;
    try {
      loadWorld(write('bad-values.json', JSON.stringify(w)));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorldFileError);
      const paths = (err as WorldFileError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['metros.0.latitude', 'metros.1.demandWeight']));
    }
  });

  it('catches demand that does not add up', () => {
    const w = committed();
    const m = w.metros[0];
    if (m === undefined) throw new Error('fixture');
    m.demandWeight += 0.01;
    expect(() => loadWorld(write('demand.json', JSON.stringify(w)))).toThrow(/metros: demand weights sum to 1\.0099/);
  });

  it('says when the file is not JSON or cannot be read', () => {
    expect(() => loadWorld(write('not-json.json', '{"worldVersion": 1,'))).toThrow(/not JSON/);
    expect(() => loadWorld(join(dir, 'absent.json'))).toThrow(FileReadError);
  });
});
