// RipeAtlasSignalSource against the local Atlas API server serving the real recorded results
// (restamped to the last minutes) and the recorded probe directory.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RipeAtlasSignalSource, sphericalMean } from '../../src/adapters/ripe-atlas/atlas-signal-source.js';
import { policySchema, type Policy, type PolicyInput } from '../../src/policy/schema.js';
import { latencyMeasurementSchema, landingMeasurementSchema, clientGroupSchema } from '../../src/snapshot/schema.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { freshResultSource } from '../support/fresh-atlas-results.js';

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
  await server.close();
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
