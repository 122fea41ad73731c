// RipeAtlasSignalSource against the local Atlas API server serving the real recorded results
// (restamped to the last minutes) and the recorded probe directory.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RipeAtlasSignalSource, sphericalMean } from '../../src/adapters/ripe-atlas/atlas-signal-source.js';
import { policySchema, type Policy, type PolicyInput } from '../../src/policy/schema.js';
import { latencyMeasurementSchema, landingMeasurementSchema, clientGroupSchema } from '../../src/snapshot/schema.js';
import { loadRecordedResults, startAtlasApiServer, type AtlasApiServer, type ResultQuery } from '../support/atlas-api-server.js';
import { freshResultSource, restamp } from '../support/fresh-atlas-results.js';
import type { SignalReadout } from '../../src/ports/signal-source.js';

const KEY = 'f00dfeed-SECRET-0000-atlas-key-1234';
const NOW = new Date('2026-03-02T12:00:00Z');
const nowSeconds = (): number => Math.floor(NOW.getTime() / 1000);

// Ping to 193.170.114.242 from 5 recorded probes (4 in DE, 1 in GB), all in the probe directory.
const PING_A = 3359986;
// Ping to 194.88.241.228 from 5 recorded probes, 3 of them (DE) in the probe directory.
const PING_B = 2882184;
// Quad9 CHAOS TXT id.server to anycast 149.112.149.112: 96 probes, 2 in the directory (UA -> ams, GB -> lhr).
const CHAOS = 29083406;

let server: AtlasApiServer;

beforeAll(async () => {
  server = await startAtlasApiServer({ apiKey: KEY, resultSource: freshResultSource(nowSeconds) });
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  await server?.close();
});
afterEach(() => {
  server.reset();
});

function policyWith(ripeAtlas: NonNullable<PolicyInput['signals']>['ripeAtlas'], guardrails: PolicyInput['guardrails'] = {}): Policy {
  return policySchema.parse({
    apiVersion: 'ga-steer.io/v1',
    name: 'atlas-source-test',
    accelerator: { arn: 'arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234' },
    regions: {
      'eu-central-1': { capacity: { signal: 'flows', full: 100 } },
      'eu-west-1': { capacity: { signal: 'flows', full: 100 } },
    },
    signals: { ripeAtlas },
    guardrails,
  } satisfies PolicyInput);
}

const fullPolicy = policyWith({
  clientGroupBy: 'country',
  measurements: [
    { id: PING_A, role: 'latency', targets: { '193.170.114.242': 'eu-central-1' } },
    { id: PING_B, role: 'latency', targets: { '194.88.241.228': 'eu-west-1' } },
    { id: CHAOS, role: 'landing', answers: [{ match: '\\.ams\\.rrdns', region: 'eu-central-1' }] },
  ],
});

function source(env: Record<string, string | undefined> = { RIPE_ATLAS_KEY: KEY }): RipeAtlasSignalSource {
  return new RipeAtlasSignalSource({ env, baseUrl: server.url, client: { timeoutMs: 2000, maxRetries: 0 } });
}

describe('RipeAtlasSignalSource', () => {
  it('turns the recorded pings and CHAOS answers into measurements per client group, with ages', async () => {
    const readout = await source().collect(fullPolicy, NOW);

    // Each measurement asked for the policy's age window only, with the key.
    const resultRequests = server.requests.filter((r) => r.route === 'results');
    expect(resultRequests).toHaveLength(3);
    for (const r of resultRequests) {
      expect(r.query['format']).toBe('txt');
      expect(Number(r.query['stop'])).toBe(nowSeconds());
      expect(r.authorization).toBe(`Key ${KEY}`);
    }
    const pingRequest = resultRequests.find((r) => r.path.includes(`/${PING_A}/`));
    expect(Number(pingRequest?.query['start'])).toBe(nowSeconds() - 3600);
    const chaosRequest = resultRequests.find((r) => r.path.includes(`/${CHAOS}/`));
    expect(Number(chaosRequest?.query['start'])).toBe(nowSeconds() - 7200);
    // One probe lookup for every probe seen.
    expect(server.requests.filter((r) => r.route === 'probes')).toHaveLength(1);

    const latency = readout.latency ?? [];
    for (const m of latency) latencyMeasurementSchema.parse(m);
    const byKey = new Map(latency.map((m) => [`${m.clientGroup}>${m.region}`, m]));
    expect([...byKey.keys()].sort()).toEqual(['DE>eu-central-1', 'DE>eu-west-1', 'GB>eu-central-1']);
    // DE -> eu-central-1: four probes whose best replies were 14.319, 30.339, 34.221 and 36.978 ms.
    expect(byKey.get('DE>eu-central-1')).toMatchObject({ vantageCount: 4, sampleCount: 4, p50Ms: 32.28, lossPercent: 0, source: 'ripe-atlas' });
    // DE -> eu-west-1: three known probes (42.196, 42.220, 36.922 ms; the 218 ms spike is not the minimum).
    expect(byKey.get('DE>eu-west-1')).toMatchObject({ vantageCount: 3, p50Ms: 42.196, source: 'ripe-atlas' });
    expect(byKey.get('GB>eu-central-1')).toMatchObject({ vantageCount: 1, p50Ms: 29.527 });
    // The age: the newest sample's time, a minute or so before now.
    const age = (NOW.getTime() - Date.parse(byKey.get('DE>eu-central-1')?.observedAt ?? '')) / 1000;
    expect(age).toBeGreaterThanOrEqual(60);
    expect(age).toBeLessThan(120);

    const landing = readout.landing ?? [];
    for (const m of landing) landingMeasurementSchema.parse(m);
    expect(landing.find((m) => m.clientGroup === 'UA')).toMatchObject({ shares: { 'eu-central-1': 1 }, sampleCount: 1, unmatchedCount: 0, source: 'ripe-atlas' });
    // London's answer matches no rule: counted and reported, not guessed.
    expect(landing.find((m) => m.clientGroup === 'GB')).toMatchObject({ shares: {}, unmatchedCount: 1 });

    const groups = readout.clientGroups ?? [];
    for (const g of groups) clientGroupSchema.parse(g);
    expect(groups.map((g) => g.id)).toEqual(['DE', 'GB', 'UA']);
    const de = groups.find((g) => g.id === 'DE');
    expect(de?.countryCode).toBe('DE');
    expect(de?.asn).toBeUndefined();
    // The centre of the German probes lies in Germany.
    expect(de?.latitude).toBeGreaterThan(50);
    expect(de?.latitude).toBeLessThan(53);
    expect(de?.longitude).toBeGreaterThan(9);
    expect(de?.longitude).toBeLessThan(13);
    expect(groups.find((g) => g.id === 'UA')).toMatchObject({ latitude: 50.4175, longitude: 30.5205 });

    const problems = readout.problems.join('\n');
    expect(problems).toMatch(new RegExp(`measurement ${PING_B}: 2 result\\(s\\) gave no sample \\(unknown-probe 2`));
    expect(problems).toMatch(new RegExp(`measurement ${CHAOS}: 94 result\\(s\\) gave no sample \\(.*unknown-probe`));
    expect(problems).toMatch(/GB \(ripe-atlas\): 1 answers match no rule: res\d+\.lhr\.rrdns\.pch\.net/);
    for (const p of readout.problems) expect(p.startsWith('ripe-atlas: ')).toBe(true);
  });

  it('groups by country and ASN when the policy says so', async () => {
    const policy = policyWith({ clientGroupBy: 'country-asn', measurements: [{ id: PING_A, role: 'latency', targets: { '193.170.114.242': 'eu-central-1' } }] });
    const readout = await source().collect(policy, NOW);
    expect((readout.latency ?? []).map((m) => m.clientGroup).sort()).toEqual(['DE-AS16097', 'DE-AS29562', 'DE-AS3209', 'DE-AS51862', 'GB-AS44574']);
    expect(readout.clientGroups?.find((g) => g.id === 'DE-AS3209')).toMatchObject({ countryCode: 'DE', asn: 3209, latitude: 52.2675, longitude: 10.4985 });
  });

  it('reports stale data as no measurement, so the planner holds', async () => {
    // Results a minute old at NOW are three hours old here: outside both windows.
    const later = new Date(NOW.getTime() + 3 * 3600 * 1000);
    const stale = new RipeAtlasSignalSource({
      env: {},
      baseUrl: server.url,
      client: { timeoutMs: 2000, maxRetries: 0 },
    });
    const atNow = await stale.collect(fullPolicy, later);
    expect(atNow.latency).toEqual([]);
    expect(atNow.landing).toEqual([]);
    expect(atNow.problems.join('\n')).toMatch(new RegExp(`measurement ${PING_A}: no results since`));
  });

  it('keeps the key out of every problem, even when the server echoes it back', async () => {
    server.inject('probes', { kind: 'echo-auth', status: 403 });
    const readout = await source().collect(fullPolicy, NOW);
    const text = JSON.stringify(readout);
    expect(text).not.toContain(KEY);
    expect(readout.problems.join('\n')).toMatch(/probe metadata for \d+ probe\(s\): .*HTTP 403: Invalid credentials: Key \[redacted\].*refused or lacks permission/);
    // Without probe metadata no result can be placed in a client group.
    expect(readout.latency).toEqual([]);
  });

  it('a refused measurement without a key names the variable to set, and the others still count', async () => {
    const policy = policyWith({ apiKeyEnv: 'ATLAS_TEST_KEY', measurements: [{ id: PING_A, role: 'latency', targets: { '193.170.114.242': 'eu-central-1' } }] });
    server.inject('results', { kind: 'status', status: 403 });
    const refused = await source({}).collect(policy, NOW);
    expect(refused.latency).toEqual([]);
    expect(refused.problems.join('\n')).toContain(`measurement ${PING_A}: RIPE Atlas API GET`);
    expect(refused.problems.join('\n')).toContain('ATLAS_TEST_KEY is not set: a non-public measurement needs an API key');
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('skips unreadable lines and unusable results, and reports how many', async () => {
    server.inject('results', { kind: 'garbage', atLine: 1, lines: ['{not json', '{"type":"ping","msm_id":3359986}'] });
    const policy = policyWith({ measurements: [{ id: PING_A, role: 'latency', targets: { '193.170.114.242': 'eu-central-1' } }] });
    const readout = await source().collect(policy, NOW);
    expect(readout.latency?.find((m) => m.clientGroup === 'DE')?.vantageCount).toBe(4);
    const problems = readout.problems.join('\n');
    expect(problems).toContain(`measurement ${PING_A}: 1 unreadable result line(s) skipped (line 2 invalid-json)`);
    expect(problems).toMatch(new RegExp(`measurement ${PING_A}: 1 unusable result\\(s\\) skipped`));
  });

  it('an unreachable API is a problem, never an exception', async () => {
    const down = new RipeAtlasSignalSource({ env: { RIPE_ATLAS_KEY: KEY }, baseUrl: 'http://127.0.0.1:9', client: { timeoutMs: 1000, maxRetries: 0 } });
    const readout = await down.collect(fullPolicy, NOW);
    expect(readout.latency).toEqual([]);
    expect(readout.problems.filter((p) => p.includes('connection failed (ECONNREFUSED)'))).toHaveLength(3);
    expect(JSON.stringify(readout)).not.toContain(KEY);
  });

  it('an unusable key is reported without quoting it', async () => {
    const readout = await source({ RIPE_ATLAS_KEY: 'has a space SECRETPART' }).collect(fullPolicy, NOW);
    expect(readout.problems).toEqual(['ripe-atlas: RIPE Atlas client configuration: apiKey must be non-empty printable ASCII without spaces']);
    expect(server.requests).toEqual([]);
  });

  it('reads probe metadata once and serves later cycles from its cache', async () => {
    const s = source();
    await s.collect(fullPolicy, NOW);
    await s.collect(fullPolicy, new Date(NOW.getTime() + 60_000));
    expect(server.requests.filter((r) => r.route === 'probes')).toHaveLength(1);
  });

  it('does nothing when the policy has no RIPE Atlas measurements', async () => {
    const readout = await source().collect(policyWith(undefined), NOW);
    expect(readout).toEqual({ problems: [] });
    expect(server.requests).toEqual([]);
  });
});

describe('sphericalMean', () => {
  it('places points on both sides of the antimeridian near it, not on the far side', () => {
    const m = sphericalMean([
      { latitude: 0, longitude: 179 },
      { latitude: 0, longitude: -179 },
    ]);
    expect(Math.abs(m?.longitude ?? 0)).toBeCloseTo(180, 3);
    expect(sphericalMean([])).toBeUndefined();
  });
});

/**
 * Results as the API stores them: each keeps the time it was stamped with, and new ones are added
 * between cycles. `repeatSeconds` makes the server answer from that long before the requested start
 * (as an API treating `start` loosely would), to exercise the boundary dedupe.
 */
class ResultArchive {
  readonly #lines: { readonly msmId: number; readonly timestamp: number; readonly line: string }[] = [];
  repeatSeconds = 0;
  /** Lines served, by request, in order. */
  readonly served: number[] = [];

  /** The recorded results of a measurement, newest at `newest`, one second apart (as freshResultSource). */
  stamp(msmId: number, newest: number): void {
    RECORDED.filter((r) => r.msmId === msmId).forEach((r, i) => this.add(msmId, r.line, newest - i));
  }

  add(msmId: number, line: string, timestamp: number): void {
    this.#lines.push({ msmId, timestamp, line: restamp(line, timestamp) });
  }

  clear(): void {
    this.#lines.length = 0;
    this.served.length = 0;
    this.repeatSeconds = 0;
  }

  readonly source = (q: ResultQuery): string[] => {
    const from = q.start === undefined ? undefined : q.start - this.repeatSeconds;
    const out = this.#lines.filter((l) => l.msmId === q.msmId && (from === undefined || l.timestamp >= from) && (q.stop === undefined || l.timestamp <= q.stop)).map((l) => l.line);
    this.served.push(out.length);
    return out;
  };
}

const RECORDED = loadRecordedResults();
const T = nowSeconds();
const at = (seconds: number): Date => new Date(seconds * 1000);
const pingA = (region = 'eu-central-1'): { id: number; role: 'latency'; targets: Record<string, string> } => ({ id: PING_A, role: 'latency', targets: { '193.170.114.242': region } });
const chaos = { id: CHAOS, role: 'landing' as const, answers: [{ match: '\\.ams\\.rrdns', region: 'eu-central-1' }] };
const sampleTotal = (r: SignalReadout): number => (r.latency ?? []).reduce((n, m) => n + m.sampleCount, 0);

describe('RipeAtlasSignalSource, incremental across cycles', () => {
  it('asks only for what is newer than the last result, and answers as a full re-read would', async () => {
    const s = source();
    await s.collect(fullPolicy, NOW);
    const first = server.requests.filter((r) => r.route === 'results').length;
    const later = new Date(NOW.getTime() + 60_000);
    const second = await s.collect(fullPolicy, later);

    const again = server.requests.filter((r) => r.route === 'results').slice(first);
    expect(again).toHaveLength(3);
    for (const id of [PING_A, PING_B, CHAOS]) {
      // The newest result the first cycle got, as the server restamped it.
      const newest = Math.max(...freshResultSource(nowSeconds)({ msmId: id, start: undefined, stop: undefined, probeIds: undefined }).map((l) => (JSON.parse(l) as { timestamp: number }).timestamp));
      const request = again.find((r) => r.path.includes(`/${id}/`));
      expect(Number(request?.query['start'])).toBe(newest + 1);
      expect(Number(request?.query['stop'])).toBe(nowSeconds() + 60);
    }
    expect(second.latency?.length).toBeGreaterThan(0);
    expect(second).toEqual(await source().collect(fullPolicy, later));
  });
});

describe('RipeAtlasSignalSource, incremental against a growing archive', () => {
  const archive = new ResultArchive();
  let api: AtlasApiServer;
  beforeAll(async () => {
    api = await startAtlasApiServer({ apiKey: KEY, resultSource: archive.source });
  });
  afterAll(async () => {
    await api?.close(); // undefined when beforeAll failed
  });
  afterEach(() => {
    api.reset();
    archive.clear();
  });

  const make = (options: { overlapSeconds?: number; maxSamplesPerMeasurement?: number } = {}): RipeAtlasSignalSource =>
    new RipeAtlasSignalSource({ env: { RIPE_ATLAS_KEY: KEY }, baseUrl: api.url, client: { timeoutMs: 2000, maxRetries: 0 }, ...options });
  const resultRequests = (): typeof api.requests => api.requests.filter((r) => r.route === 'results');
  const policy = policyWith({ measurements: [pingA(), chaos] });

  it('takes results that arrive between cycles exactly once', async () => {
    archive.stamp(PING_A, T - 60);
    archive.stamp(CHAOS, T - 60);
    const s = make();
    const first = await s.collect(policy, NOW);
    expect(first.latency?.find((m) => m.clientGroup === 'DE')).toMatchObject({ sampleCount: 4, vantageCount: 4 });

    // The 96 CHAOS results span 96 s: all of them after the first cycle's newest.
    archive.stamp(PING_A, T + 150);
    archive.stamp(CHAOS, T + 150);
    archive.served.length = 0;
    const second = await s.collect(policy, at(T + 200));

    const requests = resultRequests().slice(2);
    expect(requests.map((r) => Number(r.query['start']))).toEqual([T - 59, T - 59]);
    // Only the new results crossed the wire: 5 pings and 96 CHAOS answers.
    expect(archive.served.sort((a, b) => a - b)).toEqual([5, 96]);
    expect(second.latency?.find((m) => m.clientGroup === 'DE')).toMatchObject({ sampleCount: 8, vantageCount: 4 });
    expect(second.landing?.find((m) => m.clientGroup === 'UA')).toMatchObject({ sampleCount: 2 });
    expect(second.problems.join('\n')).not.toMatch(/duplicate/);
    expect(second).toEqual(await make().collect(policy, at(T + 200)));
  });

  it('drops what the server sends again before the requested start', async () => {
    archive.repeatSeconds = 30;
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const s = make();
    await s.collect(onlyPing, NOW);
    archive.stamp(PING_A, T + 30);
    archive.served.length = 0;
    const second = await s.collect(onlyPing, at(T + 60));
    // The five results of the first cycle came back with the five new ones ...
    expect(archive.served).toEqual([10]);
    // ... and count once.
    expect(sampleTotal(second)).toBe(10);
    expect(second.problems.join('\n')).not.toMatch(/duplicate/);
    expect(second).toEqual(await make().collect(onlyPing, at(T + 60)));
  });

  it('with an overlap, also takes a result stored late for a second already read', async () => {
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const plain = make();
    const overlapping = make({ overlapSeconds: 10 });
    await plain.collect(onlyPing, NOW);
    await overlapping.collect(onlyPing, NOW);
    // Stored after the first cycle, stamped before its newest result.
    const line = RECORDED.find((r) => r.msmId === PING_A)?.line ?? '';
    archive.add(PING_A, line, T - 65);
    api.reset();
    const missed = await plain.collect(onlyPing, at(T + 60));
    const caught = await overlapping.collect(onlyPing, at(T + 60));
    expect(resultRequests().map((r) => Number(r.query['start']))).toEqual([T - 59, T - 69]);
    expect(sampleTotal(missed)).toBe(5);
    expect(sampleTotal(caught)).toBe(6);
    expect(caught).toEqual(await make().collect(onlyPing, at(T + 60)));
  });

  it('lets samples age out of the window', async () => {
    archive.stamp(PING_A, T - 60); // T-60 ... T-64
    const onlyPing = policyWith({ measurements: [pingA()] });
    const s = make();
    expect(sampleTotal(await s.collect(onlyPing, NOW))).toBe(5);
    // An hour later the window starts at T-62: the two oldest are gone.
    const later = at(T + 3600 - 62);
    const aged = await s.collect(onlyPing, later);
    expect(sampleTotal(aged)).toBe(3);
    expect(aged).toEqual(await make().collect(onlyPing, later));
    const gone = await s.collect(onlyPing, at(T + 3600));
    expect(gone.latency).toEqual([]);
    expect(gone.clientGroups).toEqual([]);
    expect(gone.problems.join('\n')).toContain(`measurement ${PING_A}: no results since`);
  });

  it('keeps the window when a fetch fails, and asks again from the same point next time', async () => {
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const s = make();
    const first = await s.collect(onlyPing, NOW);

    archive.stamp(PING_A, T + 30);
    api.inject('results', { kind: 'status', status: 503 });
    const failed = await s.collect(onlyPing, at(T + 60));
    expect(failed.latency).toEqual(first.latency);
    expect(failed.problems.join('\n')).toMatch(new RegExp(`measurement ${PING_A}: RIPE Atlas API GET .* HTTP 503.*; the 5 sample\\(s\\) of earlier cycles still count`));

    const next = await s.collect(onlyPing, at(T + 120));
    expect(resultRequests().map((r) => Number(r.query['start']))).toEqual([T - 3600, T - 59, T - 59]);
    expect(sampleTotal(next)).toBe(10);
    expect(next).toEqual(await make().collect(onlyPing, at(T + 120)));
  });

  it('leaves a broken stream for the next cycle rather than taking part of it', async () => {
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const s = make();
    await s.collect(onlyPing, NOW);
    archive.stamp(PING_A, T + 30);
    api.inject('results', { kind: 'truncate', afterLines: 2 });
    const broken = await s.collect(onlyPing, at(T + 60));
    expect(sampleTotal(broken)).toBe(5);
    expect(broken.problems.join('\n')).toMatch(/stream interrupted .*; the 2 result\(s\) read before are left for the next cycle; the 5 sample\(s\) of earlier cycles still count/);
    const next = await s.collect(onlyPing, at(T + 120));
    expect(sampleTotal(next)).toBe(10);
    expect(next).toEqual(await make().collect(onlyPing, at(T + 120)));
  });

  it('reads a measurement again from the start of its window when the policy changes its meaning', async () => {
    archive.stamp(PING_A, T - 60);
    archive.stamp(CHAOS, T - 60);
    const s = make();
    await s.collect(policy, NOW);
    api.reset();

    // Same measurement, other Region: samples converted under the old targets must not linger.
    const moved = policyWith({ measurements: [pingA('eu-west-1'), chaos] });
    const second = await s.collect(moved, at(T + 60));
    const start = (id: number): number => Number(resultRequests().find((r) => r.path.includes(`/${id}/`))?.query['start']);
    expect(start(PING_A)).toBe(T + 60 - 3600);
    expect(start(CHAOS)).toBe(T - 59);
    expect(new Set(second.latency?.map((m) => m.region))).toEqual(new Set(['eu-west-1']));
    expect(second).toEqual(await make().collect(moved, at(T + 60)));

    // Other client groups: every window is read again.
    api.reset();
    const byAsn = policyWith({ clientGroupBy: 'country-asn', measurements: [pingA('eu-west-1'), chaos] });
    const third = await s.collect(byAsn, at(T + 120));
    expect(resultRequests().map((r) => Number(r.query['start']))).toEqual([T + 120 - 3600, T + 120 - 7200]);
    expect(third.latency?.map((m) => m.clientGroup)).toContain('DE-AS3209');
    expect(third).toEqual(await make().collect(byAsn, at(T + 120)));
  });

  it('reads the window again when the policy allows older signals than before', async () => {
    archive.stamp(PING_A, T - 60);
    const s = make();
    await s.collect(policyWith({ measurements: [pingA()] }), NOW);
    api.reset();
    await s.collect(policyWith({ measurements: [pingA()] }, { maxSignalAgeSeconds: { latency: 7200 } }), at(T + 60));
    expect(Number(resultRequests()[0]?.query['start'])).toBe(T + 60 - 7200);
  });

  it('caps the samples kept per measurement, dropping the oldest', async () => {
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const readout = await make({ maxSamplesPerMeasurement: 3 }).collect(onlyPing, NOW);
    expect(sampleTotal(readout)).toBe(3);
    expect(readout.problems).toContain(`ripe-atlas: measurement ${PING_A}: more than 3 samples in the age window; the 2 oldest were dropped`);
    const newest = Math.max(...(readout.latency ?? []).map((m) => Date.parse(m.observedAt)));
    expect(newest).toBe((T - 60) * 1000);
  });

  it('places results kept waiting for their probe once its metadata can be read', async () => {
    archive.stamp(PING_A, T - 60);
    const onlyPing = policyWith({ measurements: [pingA()] });
    const s = make();
    api.inject('probes', { kind: 'status', status: 503 });
    const blind = await s.collect(onlyPing, NOW);
    expect(blind.latency).toEqual([]);
    expect(blind.problems.join('\n')).toMatch(new RegExp(`measurement ${PING_A}: 5 result\\(s\\) gave no sample \\(unknown-probe 5`));

    api.reset();
    const placed = await s.collect(onlyPing, at(T + 60));
    expect(resultRequests().map((r) => Number(r.query['start']))).toEqual([T - 59]);
    expect(api.requests.filter((r) => r.route === 'probes')).toHaveLength(1);
    expect(sampleTotal(placed)).toBe(5);
    expect(placed).toEqual(await make().collect(onlyPing, at(T + 60)));
  });

  it('forgets measurements the policy no longer lists', async () => {
    archive.stamp(PING_A, T - 60);
    const s = make();
    await s.collect(policyWith({ measurements: [pingA()] }), NOW);
    await s.collect(policyWith({ measurements: [chaos] }), at(T + 60));
    api.reset();
    await s.collect(policyWith({ measurements: [pingA()] }), at(T + 120));
    expect(Number(resultRequests()[0]?.query['start'])).toBe(T + 120 - 3600);
  });
});
