import { inspect } from 'node:util';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  AtlasClient,
  AtlasConfigError,
  AtlasConnectionError,
  AtlasLineError,
  AtlasResponseFormatError,
  AtlasResponseTooLarge,
  AtlasStreamInterrupted,
  AtlasTimeoutError,
  type AtlasClientConfig,
} from '../../src/adapters/ripe-atlas/client/index.js';
import { resolveAtlasConfig } from '../../src/adapters/ripe-atlas/client/config.js';
import { AtlasTransport } from '../../src/adapters/ripe-atlas/client/transport.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';

const KEY = 'c0ffee00-SECRET-KEY-5eb1-1234567890ab';
const DNS_MSM = 29083406; // Quad9 CHAOS id.server, 96 recorded results
const TRACEROUTE_MSM = 1033154; // 87 recorded traceroutes, long lines
// A stall long enough to trip the 200 ms timeouts used below.
const STALL_MS = 600;

let server: AtlasApiServer;
let sleeps: number[];

function makeClient(overrides: Partial<AtlasClientConfig> = {}): AtlasClient {
  return new AtlasClient({
    baseUrl: server.url,
    apiKey: KEY,
    timeoutMs: 2000,
    maxRetries: 3,
    retryBaseDelayMs: 100,
    maxRetryDelayMs: 5000,
    // Recorded instead of slept, so backoff is checked without slowing the suite.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

function recorded(msmId: number): unknown[] {
  return server.results.filter((r) => r.msmId === msmId).map((r) => JSON.parse(r.line) as unknown);
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

/** Collects a stream until it throws; returns what arrived and the error. */
async function collectUntilError(iterable: AsyncIterable<unknown>): Promise<{ items: unknown[]; error: Error | undefined }> {
  const items: unknown[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (e) {
    return { items, error: e as Error };
  }
  return { items, error: undefined };
}

beforeAll(async () => {
  server = await startAtlasApiServer({ apiKey: KEY, maxPageSize: 10 });
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  await server?.close();
});
beforeEach(() => {
  server.reset();
  sleeps = [];
});

describe('streamResults', () => {
  it('streams every recorded result of a measurement as JSON Lines, with the key header', async () => {
    const results = await collect(makeClient().streamResults(DNS_MSM));
    expect(results).toEqual(recorded(DNS_MSM));
    expect(results).toHaveLength(96);
    const req = server.requests[0];
    expect(req?.path).toBe(`/api/v2/measurements/${DNS_MSM}/results/?format=txt`);
    expect(req?.authorization).toBe(`Key ${KEY}`);
  });

  it('sends start, stop (UNIX seconds) and probe_ids, and gets only the matching results', async () => {
    const all = server.results.filter((r) => r.msmId === TRACEROUTE_MSM);
    const probeIds = all.slice(0, 30).map((r) => r.prbId ?? 0);
    const start = new Date(1381825007 * 1000);
    const stop = 1381825010;
    const results = await collect(makeClient().streamResults(TRACEROUTE_MSM, { start, stop, probeIds }));
    const expected = all
      .filter((r) => (r.timestamp ?? 0) >= 1381825007 && (r.timestamp ?? 0) <= stop && probeIds.includes(r.prbId ?? -1))
      .map((r) => JSON.parse(r.line) as unknown);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(all.length);
    expect(results).toEqual(expected);
    expect(server.requests[0]?.query).toEqual({ format: 'txt', start: '1381825007', stop: '1381825010', probe_ids: probeIds.join(',') });
  });

  it('yields an AtlasLineError in place of each garbage line and keeps going', async () => {
    server.inject('results', { kind: 'garbage', atLine: 3, lines: ['<html>oops</html>', '[1,2,3]', '{"cut": "in the mid', '   '] });
    const items = await collect(makeClient().streamResults(DNS_MSM));
    const lineErrors = items.filter((i): i is AtlasLineError => i instanceof AtlasLineError);
    expect(lineErrors.map((e) => [e.lineNumber, e.reason])).toEqual([
      [4, 'invalid-json'],
      [5, 'not-an-object'],
      [6, 'invalid-json'],
    ]);
    expect(lineErrors[0]?.excerpt).toBe('<html>oops</html>');
    expect(items.filter((i) => !(i instanceof AtlasLineError))).toEqual(recorded(DNS_MSM));
    // In stream order: the three results before the garbage come first.
    expect(items.findIndex((i) => i instanceof AtlasLineError)).toBe(3);
  });

  it('turns a line longer than maxLineBytes into an AtlasLineError without holding it', async () => {
    const lengths = server.results.filter((r) => r.msmId === TRACEROUTE_MSM).map((r) => Buffer.byteLength(r.line));
    const limit = 3000;
    const items = await collect(makeClient({ maxLineBytes: limit }).streamResults(TRACEROUTE_MSM));
    const tooLong = items.filter((i) => i instanceof AtlasLineError);
    expect(tooLong.length).toBe(lengths.filter((n) => n > limit).length);
    expect(tooLong.length).toBeGreaterThan(0);
    expect(tooLong.every((e) => e.reason === 'line-too-long' && e.excerpt.startsWith('{'))).toBe(true);
    expect(items.length - tooLong.length).toBe(lengths.filter((n) => n <= limit).length);
  });

  it('parses incrementally: results arrive while the server is still holding the rest', async () => {
    server.inject('results', { kind: 'slow-body', afterLines: 2, delayMs: 400 });
    const t0 = Date.now();
    const arrivals: number[] = [];
    for await (const _ of makeClient().streamResults(DNS_MSM)) arrivals.push(Date.now() - t0);
    expect(arrivals).toHaveLength(96);
    expect(arrivals[1]).toBeLessThan(300);
    expect(arrivals[2]).toBeGreaterThanOrEqual(350);
  });

  it('ends with AtlasStreamInterrupted (body-timeout) when the stream stalls past timeoutMs, after the results that came', async () => {
    server.inject('results', { kind: 'slow-body', afterLines: 5, delayMs: STALL_MS });
    const { items, error } = await collectUntilError(makeClient({ timeoutMs: 200 }).streamResults(DNS_MSM));
    expect(items).toEqual(recorded(DNS_MSM).slice(0, 5));
    expect(error).toBeInstanceOf(AtlasStreamInterrupted);
    expect(error).toMatchObject({ reason: 'body-timeout', resultsYielded: 5, measurementId: DNS_MSM });
    // Not retried mid-body: a retry would repeat the five results.
    expect(server.requests).toHaveLength(1);
  });

  it('ends with AtlasStreamInterrupted (connection-lost) when the connection is cut mid-body', async () => {
    server.inject('results', { kind: 'truncate', afterLines: 7 });
    const { items, error } = await collectUntilError(makeClient().streamResults(DNS_MSM));
    expect(items).toEqual(recorded(DNS_MSM).slice(0, 7));
    expect(error).toBeInstanceOf(AtlasStreamInterrupted);
    expect(error).toMatchObject({ reason: 'connection-lost', resultsYielded: 7 });
  });

  it('aborts a body larger than maxResponseBytes with AtlasResponseTooLarge', async () => {
    server.inject('results', { kind: 'oversize', bytes: 2_000_000, announce: false });
    const { items, error } = await collectUntilError(makeClient({ maxResponseBytes: 200_000 }).streamResults(DNS_MSM));
    expect(error).toBeInstanceOf(AtlasResponseTooLarge);
    expect(error).toMatchObject({ limitBytes: 200_000 });
    expect((error as AtlasResponseTooLarge).receivedBytes).toBeLessThan(200_000 + 70_000);
    expect(items.length).toBeGreaterThanOrEqual(96);
  });

  it('retries a 5xx before the body starts, then streams', async () => {
    server.inject('results', { kind: 'status', status: 502 }, 2);
    const results = await collect(makeClient().streamResults(DNS_MSM));
    expect(results).toHaveLength(96);
    expect(server.requests).toHaveLength(3);
  });

  it('stops the download when the consumer breaks out early, and the client stays usable', async () => {
    const client = makeClient();
    let n = 0;
    for await (const _ of client.streamResults(TRACEROUTE_MSM)) if (++n === 3) break;
    expect(n).toBe(3);
    expect(await collect(client.streamResults(DNS_MSM))).toHaveLength(96);
  });

  it('honours an abort signal', async () => {
    server.inject('results', { kind: 'slow-body', afterLines: 1, delayMs: 1000 });
    const controller = new AbortController();
    const { items, error } = await collectUntilError(
      (async function* () {
        for await (const item of makeClient().streamResults(DNS_MSM, { signal: controller.signal })) {
          controller.abort(new Error('run cancelled'));
          yield item;
        }
      })(),
    );
    expect(items).toHaveLength(1);
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(AtlasStreamInterrupted);
  });
});

describe('latestResults', () => {
  it('reads the documented object keyed by probe id', async () => {
    server.latestShape = 'object';
    const latest = await makeClient().latestResults(TRACEROUTE_MSM);
    const probes = new Set(server.results.filter((r) => r.msmId === TRACEROUTE_MSM).map((r) => r.prbId));
    expect(latest).toHaveLength(probes.size);
    expect(server.requests[0]?.path).toBe(`/api/v2/measurements/${TRACEROUTE_MSM}/latest/`);
  });

  it('reads the flat array seen in recordings, and filters by probe_ids', async () => {
    const client = makeClient();
    server.latestShape = 'object';
    const asObject = await client.latestResults(DNS_MSM, { probeIds: [1000125, 6012] });
    server.latestShape = 'array';
    const asArray = await client.latestResults(DNS_MSM, { probeIds: [1000125, 6012] });
    expect(asArray).toEqual(asObject);
    expect(asArray.map((r) => (r as { prb_id: number }).prb_id).sort()).toEqual([1000125, 6012].filter((id) => server.results.some((r) => r.msmId === DNS_MSM && r.prbId === id)).sort());
    expect(asArray.length).toBeGreaterThan(0);
    expect(server.requests.map((r) => r.query['probe_ids'])).toEqual(['1000125,6012', '1000125,6012']);
  });

  it('rejects a body of neither shape', async () => {
    server.inject('latest', { kind: 'status', status: 200, body: '{"detail":"something else"}' });
    expect(await caught(makeClient().latestResults(DNS_MSM))).toBeInstanceOf(AtlasResponseFormatError);
  });
});

describe('measurement', () => {
  it('normalises the recorded v1 metadata', async () => {
    const m = await makeClient().measurement(TRACEROUTE_MSM);
    expect(m).toMatchObject({ id: TRACEROUTE_MSM, type: 'traceroute', af: 4, status: { id: 4, name: 'Stopped' }, targetIp: '91.198.174.225', isOneoff: true, interval: 900 });
    expect(m.raw['paris']).toBe(16);
  });

  it('normalises a v2 document', async () => {
    server.measurements.set(5001, {
      id: 5001,
      type: 'dns',
      af: 4,
      status: { id: 2, name: 'Ongoing' },
      target: '149.112.149.112',
      target_ip: '149.112.149.112',
      query_class: 'CHAOS',
      start_time: 1613000000,
      stop_time: null,
      interval: 300,
      is_oneoff: false,
      is_public: true,
      participant_count: '12',
    });
    expect(await makeClient().measurement(5001)).toMatchObject({ id: 5001, type: 'dns', stopTime: null, participantCount: 12, target: '149.112.149.112' });
  });

  it('throws AtlasApiError with the API error body on 404, without retrying', async () => {
    const error = await caught(makeClient().measurement(404404));
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ status: 404, attempts: 1, apiError: { status: 404, detail: 'Not found.', title: 'Not Found' } });
    expect(server.requests).toHaveLength(1);
  });
});

describe('probes', () => {
  it('follows next links through every page', async () => {
    const probes = await makeClient().probes();
    expect(probes.map((p) => p.id)).toEqual(server.probes.map((p) => p['id']));
    expect(server.requests).toHaveLength(Math.ceil(server.probes.length / 10));
    expect(server.requests[1]?.query).toEqual({ page_size: '500', page: '2' });
  });

  it('filters by country and ASN with country_code and asn_v4', async () => {
    const client = makeClient();
    const de = await client.probes({ countryCode: 'de' });
    expect(de.map((p) => p.id)).toEqual(server.probes.filter((p) => p['country_code'] === 'DE').map((p) => p['id']));
    expect(server.requests[0]?.query).toMatchObject({ country_code: 'DE' });
    const asn = de[0]?.asnV4 ?? 0;
    const byAsn = await client.probes({ asn });
    expect(byAsn.length).toBeGreaterThan(0);
    expect(byAsn.every((p) => p.asnV4 === asn)).toBe(true);
    expect(server.requests.at(-1)?.query).toMatchObject({ asn_v4: String(asn) });
  });

  it('normalises probes: GeoJSON is longitude first; ISO and UNIX times both read', async () => {
    const [probe] = await makeClient().probes({ ids: [server.probes[0]?.['id'] as number] });
    const raw = server.probes[0] as { geometry: { coordinates: [number, number] }; status: { since: string } };
    expect(probe?.longitude).toBe(raw.geometry.coordinates[0]);
    expect(probe?.latitude).toBe(raw.geometry.coordinates[1]);
    expect(probe?.status?.since).toBe(Date.parse(raw.status.since) / 1000);
  });

  it('serves known ids from the cache and fetches only the missing ones', async () => {
    const client = makeClient();
    const ids = server.probes.slice(0, 4).map((p) => p['id'] as number);
    const first = await client.probes({ ids: ids.slice(0, 2) });
    expect(first.map((p) => p.id)).toEqual(ids.slice(0, 2));
    expect(server.requests[0]?.query['id__in']).toBe(ids.slice(0, 2).join(','));
    await client.probes({ ids: ids.slice(0, 2) });
    expect(server.requests).toHaveLength(1);
    const all = await client.probes({ ids: [...ids].reverse() });
    expect(all.map((p) => p.id)).toEqual([...ids].reverse());
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.query['id__in']).toBe(ids.slice(2).reverse().join(','));
    expect(client.cachedProbes()).toHaveLength(4);
  });

  it('applies country and ASN filters to cached probes as the API would', async () => {
    const client = makeClient();
    const ids = server.probes.map((p) => p['id'] as number);
    await client.probes({ ids });
    const before = server.requests.length;
    const gb = await client.probes({ ids, countryCode: 'GB' });
    expect(server.requests).toHaveLength(before);
    expect(gb.map((p) => p.id)).toEqual(server.probes.filter((p) => p['country_code'] === 'GB').map((p) => p['id']));
  });

  it('refuses a next link to another origin, so the key never travels there', async () => {
    server.inject('probes', { kind: 'next-link', url: 'http://198.51.100.7/api/v2/probes/?page=2' });
    const error = await caught(makeClient().probes());
    expect(error).toBeInstanceOf(AtlasResponseFormatError);
    expect(error.message).toMatch(/leaves the API origin/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('createMeasurement', () => {
  const BODY = {
    definitions: [{ type: 'dns', af: 4, target: '192.0.2.53', query_class: 'CHAOS', query_type: 'TXT', query_argument: 'id.server', description: 'ga-steer landing' }],
    probes: [{ type: 'area', value: 'WW', requested: 10 }],
    is_oneoff: true,
  };

  it('POSTs the JSON body with the key and returns the new ids', async () => {
    const ids = await makeClient().createMeasurement(BODY);
    expect(ids).toHaveLength(1);
    expect(server.created.at(-1)).toEqual(BODY);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/v2/measurements/', authorization: `Key ${KEY}` });
  });

  it('reports the API validation errors of a bad definition, without retrying', async () => {
    const error = await caught(makeClient().createMeasurement({ definitions: [{ type: 'ping' }], probes: [] }));
    expect(error).toBeInstanceOf(AtlasApiError);
    const api = (error as AtlasApiError).apiError;
    expect(api?.status).toBe(400);
    expect(api?.errors?.map((e) => e.source?.pointer)).toEqual(['/definitions/0/target', '/probes']);
    expect(error.message).toContain('The following fields are invalid');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a POST on 429 but not on 5xx (the measurement may exist)', async () => {
    server.inject('create', { kind: 'status', status: 429, retryAfter: '0' });
    expect(await makeClient().createMeasurement(BODY)).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.inject('create', { kind: 'status', status: 503 });
    expect(await caught(makeClient().createMeasurement(BODY))).toMatchObject({ status: 503, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('needs an API key', async () => {
    expect(await caught(makeClient({ apiKey: undefined }).createMeasurement(BODY))).toBeInstanceOf(AtlasConfigError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('retries and timeouts', () => {
  it('honours Retry-After in seconds on 429 (real wait)', async () => {
    server.inject('measurement', { kind: 'status', status: 429, retryAfter: '1' });
    const t0 = Date.now();
    const m = await makeClient({ sleep: undefined }).measurement(TRACEROUTE_MSM);
    expect(m.id).toBe(TRACEROUTE_MSM);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    server.inject('measurement', { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    await makeClient().measurement(TRACEROUTE_MSM);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it('gives up at once when Retry-After asks for longer than maxRetryDelayMs', async () => {
    server.inject('measurement', { kind: 'status', status: 429, retryAfter: '3600' });
    const error = await caught(makeClient().measurement(TRACEROUTE_MSM));
    expect(error).toMatchObject({ name: 'AtlasApiError', status: 429, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('backs off exponentially with jitter on 5xx, within maxRetries', async () => {
    server.inject('measurement', { kind: 'status', status: 500 }, 3);
    await makeClient({ random: () => 0 }).measurement(TRACEROUTE_MSM);
    expect(sleeps).toEqual([50, 100, 200]);
    sleeps = [];
    server.inject('measurement', { kind: 'status', status: 503 }, 2);
    await makeClient({ random: () => 1 }).measurement(TRACEROUTE_MSM);
    expect(sleeps).toEqual([100, 200]);
  });

  it('throws the last 5xx once maxRetries is spent', async () => {
    server.inject('measurement', { kind: 'status', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' }, 10);
    const error = await caught(makeClient({ maxRetries: 2 }).measurement(TRACEROUTE_MSM));
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ status: 503, attempts: 3, apiError: undefined, bodyExcerpt: '<html>Service Unavailable</html>' });
    expect(server.requests).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 410])('does not retry HTTP %i', async (status) => {
    server.inject('probes', { kind: 'status', status });
    expect(await caught(makeClient().probes())).toMatchObject({ name: 'AtlasApiError', status, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a wrong key with 403 from the server', async () => {
    const error = await caught(makeClient({ apiKey: 'wrong-key' }).measurement(TRACEROUTE_MSM));
    expect(error).toMatchObject({ status: 403, apiError: { title: 'Forbidden' } });
  });

  it('retries a connection reset, then succeeds', async () => {
    server.inject('latest', { kind: 'reset' }, 2);
    expect((await makeClient().latestResults(DNS_MSM)).length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('throws AtlasConnectionError when nothing listens', async () => {
    const error = await caught(new AtlasClient({ baseUrl: 'http://127.0.0.1:1', maxRetries: 2, sleep: async () => {} }).measurement(1));
    expect(error).toBeInstanceOf(AtlasConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 3 });
  });

  it('times out waiting for headers, and retries that', async () => {
    server.inject('measurement', { kind: 'slow-headers', delayMs: STALL_MS });
    const error = await caught(makeClient({ timeoutMs: 200, maxRetries: 0 }).measurement(TRACEROUTE_MSM));
    expect(error).toBeInstanceOf(AtlasTimeoutError);
    expect(error).toMatchObject({ phase: 'headers', timeoutMs: 200 });
    server.inject('measurement', { kind: 'slow-headers', delayMs: STALL_MS });
    expect((await makeClient({ timeoutMs: 200, maxRetries: 1 }).measurement(TRACEROUTE_MSM)).id).toBe(TRACEROUTE_MSM);
  });

  it('times out a stalled JSON body, and retries that', async () => {
    server.inject('probes', { kind: 'slow-body', afterLines: 0, delayMs: STALL_MS });
    const error = await caught(makeClient({ timeoutMs: 200, maxRetries: 0 }).probes({ countryCode: 'NL' }));
    expect(error).toMatchObject({ name: 'AtlasTimeoutError', phase: 'body' });
    server.inject('probes', { kind: 'slow-body', afterLines: 0, delayMs: STALL_MS });
    expect((await makeClient({ timeoutMs: 200, maxRetries: 1 }).probes({ countryCode: 'NL' })).length).toBeGreaterThan(0);
  });

  it('retries a JSON body cut mid-way, and reports it when retries are spent', async () => {
    server.inject('latest', { kind: 'truncate', afterLines: 0 }, 1);
    expect((await makeClient().latestResults(DNS_MSM)).length).toBeGreaterThan(0);
    server.inject('latest', { kind: 'truncate', afterLines: 0 }, 1);
    expect(await caught(makeClient({ maxRetries: 0 }).latestResults(DNS_MSM))).toBeInstanceOf(AtlasConnectionError);
  });

  it('aborts an oversize JSON body, announced or not, without retrying', async () => {
    server.inject('latest', { kind: 'oversize', bytes: 300_000, announce: true });
    const announced = await caught(makeClient({ maxResponseBytes: 100_000 }).latestResults(DNS_MSM));
    expect(announced).toBeInstanceOf(AtlasResponseTooLarge);
    expect((announced as AtlasResponseTooLarge).receivedBytes).toBeGreaterThan(300_000);
    server.inject('latest', { kind: 'oversize', bytes: 300_000, announce: false });
    const chunked = await caught(makeClient({ maxResponseBytes: 100_000 }).latestResults(DNS_MSM));
    expect(chunked).toBeInstanceOf(AtlasResponseTooLarge);
    expect(server.requests).toHaveLength(2);
  });

  it('sends requests through the configured undici dispatcher', async () => {
    let dispatched = 0;
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched++;
        return super.dispatch(options, handler);
      }
    }
    const agent = new CountingAgent();
    await makeClient({ dispatcher: agent }).measurement(TRACEROUTE_MSM);
    expect(dispatched).toBe(1);
    await agent.close();
  });
});

describe('the API key never leaks', () => {
  function expectNoKey(value: unknown): void {
    const e = value as Error;
    expect(String(e)).not.toContain(KEY);
    expect(e.message).not.toContain(KEY);
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(inspect(e, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(String(e.stack)).not.toContain(KEY);
  }

  it('is absent from every error the client can throw or yield', async () => {
    const errors: unknown[] = [];
    const client = makeClient({ maxRetries: 1 });
    const push = async (p: Promise<unknown>): Promise<void> => {
      errors.push(await caught(p));
    };
    const pushStream = async (it: AsyncIterable<unknown>): Promise<void> => {
      const { items, error } = await collectUntilError(it);
      errors.push(...items.filter((i) => i instanceof AtlasLineError));
      if (error !== undefined) errors.push(error);
    };

    server.inject('measurement', { kind: 'echo-auth', status: 403 });
    await push(client.measurement(TRACEROUTE_MSM));
    server.inject('measurement', { kind: 'echo-auth', status: 500 }, 2);
    await push(client.measurement(TRACEROUTE_MSM));
    server.inject('measurement', { kind: 'status', status: 502, body: `bad gateway for Key ${KEY}`, contentType: 'text/plain' }, 2);
    await push(client.measurement(TRACEROUTE_MSM));
    server.inject('measurement', { kind: 'status', status: 429, retryAfter: '99999' });
    await push(client.measurement(TRACEROUTE_MSM));
    await push(client.measurement(404404));
    await push(client.createMeasurement({ definitions: [], probes: [] }));
    const impatient = makeClient({ maxRetries: 0, timeoutMs: 200 });
    server.inject('measurement', { kind: 'slow-headers', delayMs: STALL_MS });
    server.inject('probes', { kind: 'slow-body', afterLines: 0, delayMs: STALL_MS });
    server.inject('results', { kind: 'slow-body', afterLines: 2, delayMs: STALL_MS });
    await Promise.all([
      push(impatient.measurement(TRACEROUTE_MSM)),
      push(impatient.probes({ countryCode: 'NL' })),
      pushStream(impatient.streamResults(DNS_MSM)),
    ]);
    server.inject('latest', { kind: 'reset' }, 2);
    await push(client.latestResults(DNS_MSM));
    await push(new AtlasClient({ baseUrl: 'http://127.0.0.1:1', apiKey: KEY, maxRetries: 0 }).measurement(1));
    server.inject('latest', { kind: 'oversize', bytes: 300_000, announce: true });
    await push(makeClient({ maxResponseBytes: 1000 }).latestResults(DNS_MSM));
    server.inject('latest', { kind: 'status', status: 200, body: `{"key": "${KEY}"}` });
    await push(client.latestResults(DNS_MSM));
    server.inject('measurement', { kind: 'status', status: 200, body: `not json ${KEY}` });
    await push(client.measurement(TRACEROUTE_MSM));
    server.inject('probes', { kind: 'next-link', url: `http://198.51.100.7/?key=${KEY}` });
    await push(client.probes());
    server.inject('results', { kind: 'garbage', atLine: 1, lines: [`Authorization: Key ${KEY}`, `"${KEY}"`, `{"x":"${'y'.repeat(5000)}${KEY}"}`] });
    await pushStream(makeClient({ maxLineBytes: 4000 }).streamResults(DNS_MSM));
    server.inject('results', { kind: 'truncate', afterLines: 2 });
    await pushStream(client.streamResults(DNS_MSM));
    server.inject('results', { kind: 'oversize', bytes: 500_000, announce: false });
    await pushStream(makeClient({ maxResponseBytes: 100_000 }).streamResults(DNS_MSM));
    await push(Promise.resolve().then(() => new AtlasClient({ apiKey: `${KEY} with space` })));
    await push(Promise.resolve().then(() => new AtlasClient({ apiKey: KEY, baseUrl: `https://user:${KEY}@atlas.example` })));

    const names = errors.map((e) => (e as Error).name);
    expect(new Set(names)).toEqual(
      new Set([
        'AtlasApiError',
        'AtlasResponseFormatError',
        'AtlasTimeoutError',
        'AtlasConnectionError',
        'AtlasResponseTooLarge',
        'AtlasLineError',
        'AtlasStreamInterrupted',
        'AtlasConfigError',
      ]),
    );
    expect(errors.length).toBeGreaterThanOrEqual(20);
    for (const e of errors) expectNoKey(e);
    // The echoed key was scrubbed, not just missing: the server did send it.
    const echoed = errors[0] as AtlasApiError;
    expect(echoed.apiError?.detail).toBe('Invalid credentials: Key [redacted]');
  });

  it('is absent from the client when serialised or inspected', () => {
    const client = makeClient();
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(JSON.stringify(client)).toContain('[redacted]');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY);
  });
});

describe('next links', () => {
  it('are followed only below the base URL, keeping a path prefix', () => {
    const transport = new AtlasTransport(resolveAtlasConfig({ baseUrl: 'https://proxy.example/atlas/' }), KEY);
    expect(transport.pathOfLink('https://proxy.example/atlas/api/v2/probes/?page=2')).toBe('/api/v2/probes/?page=2');
    expect(transport.pathOfLink('/atlas/api/v2/probes/?page=3')).toBe('/api/v2/probes/?page=3');
    expect(transport.pathOfLink('https://proxy.example/other/api/v2/probes/')).toBeUndefined();
    expect(transport.pathOfLink('http://proxy.example/atlas/api/v2/probes/')).toBeUndefined();
    expect(transport.pathOfLink('https://evil.example/atlas/api/v2/probes/')).toBeUndefined();
    expect(transport.pathOfLink(`https://u:${KEY}@proxy.example/atlas/api/v2/probes/`)).toBeUndefined();
    const plain = new AtlasTransport(resolveAtlasConfig({}), undefined);
    expect(plain.pathOfLink('https://atlas.ripe.net/api/v2/probes/?page=2&page_size=500')).toBe('/api/v2/probes/?page=2&page_size=500');
  });
});
