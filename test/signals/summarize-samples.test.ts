import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LandingSample, LatencySample } from '../../src/domain/samples.js';
import { probeDirectoryFromApi, type ProbeInfo } from '../../src/adapters/ripe-atlas/parse/probe-directory.js';
import { summarizeLanding, summarizeLatency } from '../../src/signals/summarize-samples.js';
import { toLandingSamples, toLatencySamples } from '../../src/adapters/ripe-atlas/parse/to-samples.js';
import { landingMeasurementSchema, latencyMeasurementSchema } from '../../src/snapshot/schema.js';
import { dataPath } from '../support/repo-data.js';
import { parsedOf } from '../ripe-atlas/atlas-fixtures.js';


const NOW = new Date('2030-01-01T00:00:00Z');

function lat(vantage: string, rttMs: number | null, at: string, extra: Partial<LatencySample> = {}): LatencySample {
  return { clientGroup: 'DE', vantage, region: 'eu-central-1', rttMs, sent: 3, received: rttMs === null ? 0 : 3, observedAt: at, source: 'ripe-atlas', ...extra };
}

function land(vantage: string, region: string | null, at: string, extra: Partial<LandingSample> = {}): LandingSample {
  return { clientGroup: 'DE', vantage, region, answer: region ?? 'somewhere-else', rttMs: 10, observedAt: at, source: 'ripe-atlas', ...extra };
}

describe('latency measurements from the recorded pings', () => {
  const probes = probeDirectoryFromApi(JSON.parse(readFileSync(dataPath('ripe-atlas', 'probes.json'), 'utf8'))).directory;
  const samples = toLatencySamples(parsedOf('ping.jsonl'), {
    probes,
    clientGroupRule: 'country',
    targets: { '193.170.114.242': 'eu-central-1', '194.88.241.228': 'eu-west-1' },
    now: NOW,
  }).samples;
  const { measurements, problems } = summarizeLatency(samples);

  it('gives one valid measurement per client group and Region', () => {
    expect(problems).toEqual([]);
    expect(measurements.map((m) => [m.clientGroup, m.region, m.sampleCount, m.vantageCount])).toEqual([
      ['DE', 'eu-central-1', 4, 4],
      ['DE', 'eu-west-1', 3, 3],
      ['GB', 'eu-central-1', 1, 1],
    ]);
    for (const m of measurements) expect(() => latencyMeasurementSchema.parse(m)).not.toThrow();
  });

  it('computes the quantiles across vantage points', () => {
    // Vantage RTTs (minimum of each burst): 36.921608, 42.196233, 42.220215.
    const west = measurements.find((m) => m.region === 'eu-west-1');
    expect(west).toMatchObject({ p50Ms: 42.196, lossPercent: 0, observedAt: '2015-10-29T19:21:35.000Z', source: 'ripe-atlas' });
    expect(west?.p90Ms).toBeGreaterThan(42.196);
    expect(west?.p95Ms).toBeLessThanOrEqual(42.221);
    expect(west!.p50Ms).toBeLessThanOrEqual(west!.p90Ms);
    expect(west!.p90Ms).toBeLessThanOrEqual(west!.p95Ms);
    const gb = measurements.find((m) => m.clientGroup === 'GB');
    expect(gb).toMatchObject({ p50Ms: 29.527, p90Ms: 29.527, p95Ms: 29.527 });
  });
});

describe('latency summary, outliers and loss', () => {
  it('lets neither one chatty vantage nor one spike move the group', () => {
    const chatty = Array.from({ length: 50 }, (_, i) => lat('noisy', 200, new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString()));
    const quiet = ['a', 'b', 'c', 'd'].map((v) => lat(v, 30, '2024-01-01T00:00:00Z'));
    const spike = [lat('e', 31, '2024-01-01T00:00:00Z'), lat('e', 32, '2024-01-01T00:05:00Z'), lat('e', 900, '2024-01-01T00:10:00Z')];
    const [m] = summarizeLatency([...chatty, ...quiet, ...spike]).measurements;
    // Vantage medians: 30, 30, 30, 30, 32 (e), 200 (noisy).
    expect(m).toMatchObject({ p50Ms: 30, sampleCount: 57, vantageCount: 6, observedAt: '2024-01-01T00:49:00.000Z' });
    expect(m?.p95Ms).toBeLessThanOrEqual(200);
  });

  it('takes loss per vantage, then the median across vantages', () => {
    const blocked = [lat('fw', null, '2024-01-01T00:00:00Z'), lat('fw', null, '2024-01-01T00:05:00Z')];
    const fine = [lat('a', 20, '2024-01-01T00:00:00Z'), lat('b', 22, '2024-01-01T00:00:00Z', { received: 2 })];
    const [m] = summarizeLatency([...blocked, ...fine]).measurements;
    // Per-vantage loss: 0 (a), 33.3 (b), 100 (fw) -> median 33.333.
    expect(m).toMatchObject({ p50Ms: 21, lossPercent: 33.333, sampleCount: 4, vantageCount: 3 });
  });

  it('reports a group where every packet was lost instead of inventing an RTT', () => {
    const s = summarizeLatency([lat('a', null, '2024-01-01T00:00:00Z'), lat('b', null, '2024-01-01T00:00:00Z')]);
    expect(s.measurements).toEqual([]);
    expect(s.problems).toEqual(['DE -> eu-central-1 (ripe-atlas): 2 samples, every packet lost; no RTT to report']);
  });

  it('merges duplicates, keeps sources apart and honours the time window', () => {
    const a = lat('a', 20, '2024-01-01T00:00:00Z');
    const synthetic = lat('a', 25, '2024-01-01T00:00:00Z', { source: 'synthetic' });
    const old = lat('b', 99, '2023-12-31T00:00:00Z');
    const future = lat('c', 1, '2024-01-01T02:00:00Z');
    const s = summarizeLatency([a, a, synthetic, old, future], { now: new Date('2024-01-01T01:00:00Z'), maxAgeSeconds: 3600 });
    expect(s.measurements.map((m) => [m.source, m.p50Ms, m.sampleCount])).toEqual([
      ['ripe-atlas', 20, 1],
      ['synthetic', 25, 1],
    ]);
    expect(s.problems).toEqual(['1 duplicate latency samples merged', '2 latency samples outside the time window left out']);
  });
});

describe('nearest share: where the vantage points start', () => {
  const at = '2024-01-01T00:00:00Z';
  const ping = (vantage: string, region: string, rttMs: number): LatencySample => lat(vantage, rttMs, at, { clientGroup: 'JP', region });

  it('counts each vantage point at the Region of its own lowest RTT, which the quantiles cannot tell', () => {
    // Four probes in Osaka, two in Tokyo: the medians put all of Japan in Osaka.
    const osaka = ['o1', 'o2', 'o3', 'o4'].flatMap((v) => [ping(v, 'ap-northeast-3', 1), ping(v, 'ap-northeast-1', 8)]);
    const tokyo = ['t1', 't2'].flatMap((v) => [ping(v, 'ap-northeast-1', 1.5), ping(v, 'ap-northeast-3', 8.5)]);
    const byRegion = new Map(summarizeLatency([...osaka, ...tokyo]).measurements.map((m) => [m.region, m]));
    expect(byRegion.get('ap-northeast-3')).toMatchObject({ p50Ms: 1, nearestShare: 0.667, vantageCount: 6 });
    expect(byRegion.get('ap-northeast-1')).toMatchObject({ p50Ms: 8, nearestShare: 0.333 });
    for (const m of byRegion.values()) expect(() => latencyMeasurementSchema.parse(m)).not.toThrow();
  });

  it('shares a vantage point between Regions within a millisecond, and leaves out one that measured only some Regions', () => {
    const even = [ping('a', 'ap-northeast-1', 5), ping('a', 'ap-northeast-3', 5.8)];
    const clear = [ping('b', 'ap-northeast-1', 9), ping('b', 'ap-northeast-3', 2)];
    const partial = [ping('c', 'ap-northeast-1', 1)];
    const byRegion = new Map(summarizeLatency([...even, ...clear, ...partial]).measurements.map((m) => [m.region, m.nearestShare]));
    expect(byRegion.get('ap-northeast-1')).toBe(0.25);
    expect(byRegion.get('ap-northeast-3')).toBe(0.75);
  });

  it('has none when no vantage point measured every Region, and compares one source only with itself', () => {
    const split = [ping('a', 'ap-northeast-1', 1), ping('b', 'ap-northeast-3', 1)];
    expect(summarizeLatency(split).measurements.map((m) => m.nearestShare)).toEqual([undefined, undefined]);
    const synthetic = [ping('s', 'ap-northeast-1', 3), ping('s', 'ap-northeast-3', 1)].map((s) => ({ ...s, source: 'synthetic' as const }));
    const atlas = [ping('a', 'ap-northeast-1', 1), ping('a', 'ap-northeast-3', 4)];
    const got = summarizeLatency([...synthetic, ...atlas]).measurements.map((m) => [m.source, m.region, m.nearestShare]);
    expect(got).toEqual([
      ['ripe-atlas', 'ap-northeast-1', 1],
      ['synthetic', 'ap-northeast-1', 0],
      ['ripe-atlas', 'ap-northeast-3', 0],
      ['synthetic', 'ap-northeast-3', 1],
    ]);
  });
});

describe('landing measurements', () => {
  it('summarises the recorded CHAOS answers through an anycast address', () => {
    const dns = parsedOf('dns.jsonl').filter((r) => r.msmId === 29083406);
    // Two stand-in client groups, by probe id parity: the recording has no probe metadata.
    const probes = new Map<number, ProbeInfo>(dns.map((r) => [r.probeId, { countryCode: r.probeId % 2 === 0 ? 'DE' : 'FR' }]));
    const samples = toLandingSamples(dns, {
      probes,
      clientGroupRule: 'country',
      answers: [
        { match: '\\.(fra|vie|zrh|prg|waw)\\.', region: 'eu-central-1' },
        { match: '\\.(ams|lhr|dub|cdg)\\.', region: 'eu-west-1' },
      ],
      now: NOW,
    }).samples;
    const { measurements, problems } = summarizeLanding(samples);
    expect(measurements.map((m) => m.clientGroup)).toEqual(['DE', 'FR']);
    expect(measurements.reduce((n, m) => n + m.sampleCount, 0)).toBe(samples.length);
    expect(measurements.reduce((n, m) => n + m.unmatchedCount, 0)).toBe(samples.filter((s) => s.region === null).length);
    for (const m of measurements) {
      expect(() => landingMeasurementSchema.parse(m)).not.toThrow();
      const total = Object.values(m.shares).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 2);
      expect(Object.keys(m.shares).sort()).toEqual(['eu-central-1', 'eu-west-1']);
      expect(m.observedAt <= '2021-02-16').toBe(true);
    }
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^DE \(ripe-atlas\): \d+ answers match no rule: res\d+\./);
  });

  it('weighs every vantage point the same', () => {
    const busy = Array.from({ length: 10 }, (_, i) => land('busy', 'eu-central-1', `2024-01-01T00:0${i}:00Z`));
    const [m] = summarizeLanding([...busy, land('rare', 'eu-west-1', '2024-01-01T00:00:00Z')]).measurements;
    expect(m?.shares).toEqual({ 'eu-central-1': 0.5, 'eu-west-1': 0.5 });
    expect(m).toMatchObject({ sampleCount: 11, unmatchedCount: 0, observedAt: '2024-01-01T00:09:00.000Z' });
  });

  it('splits a vantage seen in two Regions, and counts unmatched answers without sharing them', () => {
    const s = [land('a', 'eu-central-1', '2024-01-01T00:00:00Z'), land('a', 'eu-west-1', '2024-01-01T00:01:00Z'), land('b', 'eu-central-1', '2024-01-01T00:00:00Z'), land('c', null, '2024-01-01T00:00:00Z')];
    const { measurements, problems } = summarizeLanding(s);
    expect(measurements[0]).toMatchObject({ shares: { 'eu-central-1': 0.75, 'eu-west-1': 0.25 }, sampleCount: 4, unmatchedCount: 1 });
    expect(problems).toEqual(['DE (ripe-atlas): 1 answers match no rule: somewhere-else']);
  });

  it('keeps a group whose answers all went unmatched, with no shares', () => {
    const { measurements } = summarizeLanding([land('a', null, '2024-01-01T00:00:00Z')]);
    expect(measurements).toEqual([{ clientGroup: 'DE', shares: {}, sampleCount: 1, unmatchedCount: 1, observedAt: '2024-01-01T00:00:00.000Z', source: 'ripe-atlas' }]);
  });
});
