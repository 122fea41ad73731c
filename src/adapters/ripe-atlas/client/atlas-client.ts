// RIPE Atlas REST API v2 client on undici: results (streamed JSON Lines), latest results,
// measurement metadata, probes (paginated, cached by id) and measurement creation.
//
// Bad result lines: streamResults yields an AtlasLineError in place of the line and goes on, so
// callers see every problem in order without losing the rest of the stream; filter them with
// `item instanceof AtlasLineError`.

import { resolveAtlasConfig, type AtlasClientConfig, type ResolvedAtlasConfig } from './config.js';
import { AtlasConfigError, AtlasResponseFormatError } from './errors.js';
import { flattenLatest } from './latest-shape.js';
import { readMeasurement, type AtlasMeasurement } from './measurement-meta.js';
import { readPage, readProbe, type AtlasProbe } from './probe.js';
import { measurementPath, probeIdList, unixSeconds, withQuery } from './query.js';
import { parseResultLines } from './results-stream.js';
import { AtlasTransport } from './transport.js';

export interface StreamResultsOptions {
  /** Results from this time on (UNIX seconds or Date). */
  readonly start?: number | Date;
  /** Results up to this time. */
  readonly stop?: number | Date;
  readonly probeIds?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface LatestResultsOptions {
  readonly probeIds?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface ProbeQuery {
  readonly ids?: readonly number[];
  /** ISO-3166 alpha-2. */
  readonly countryCode?: string;
  /** Matched against the probe's IPv4 ASN (`asn_v4`). */
  readonly asn?: number;
  readonly signal?: AbortSignal;
}

/** The body of POST /api/v2/measurements/; see the API reference for the definition fields. */
export interface MeasurementRequest {
  readonly definitions: readonly Readonly<Record<string, unknown>>[];
  readonly probes: readonly Readonly<Record<string, unknown>>[];
  readonly start_time?: number;
  readonly stop_time?: number;
  readonly is_oneoff?: boolean;
  readonly [field: string]: unknown;
}

/** ids per request: keeps `id__in` URLs well under the length proxies accept. */
const PROBE_IDS_PER_REQUEST = 500;
const PAGE_SIZE = 500;
/** A `next` chain longer than this is a server loop, not data. */
const MAX_PAGES = 10_000;

export class AtlasClient {
  readonly #config: ResolvedAtlasConfig;
  readonly #transport: AtlasTransport;
  readonly #probeCache = new Map<number, AtlasProbe>();
  readonly #hasApiKey: boolean;

  constructor(config: AtlasClientConfig = {}) {
    this.#config = resolveAtlasConfig(config);
    this.#transport = new AtlasTransport(this.#config, config.apiKey);
    this.#hasApiKey = config.apiKey !== undefined;
  }

  /**
   * Results of a measurement as they arrive (`format=txt`, one JSON object per line), in constant
   * memory. The request is sent when iteration starts. Failures before the first byte are retried;
   * a break mid-body throws AtlasStreamInterrupted after the results already yielded.
   */
  streamResults(measurementId: number, options: StreamResultsOptions = {}): AsyncIterable<unknown> {
    const path = withQuery(measurementPath(measurementId, 'results/'), {
      format: 'txt',
      start: unixSeconds(options.start),
      stop: unixSeconds(options.stop),
      probe_ids: probeIdList(options.probeIds),
    });
    const transport = this.#transport;
    const maxLineBytes = this.#config.maxLineBytes;
    return {
      async *[Symbol.asyncIterator]() {
        const res = await transport.exchange({ method: 'GET', path, signal: options.signal, consume: async (r) => r });
        const chunks = transport.cappedChunks(res, 'GET', path);
        try {
          yield* parseResultLines(chunks, { measurementId, maxLineBytes, signal: options.signal, excerpt: (text, max) => transport.excerpt(text, max) });
        } finally {
          // Stops the download when the consumer leaves early.
          res.body.destroy();
        }
      },
    };
  }

  /** The latest result of each probe, whichever of the two response shapes the API sends. */
  async latestResults(measurementId: number, options: LatestResultsOptions = {}): Promise<unknown[]> {
    const path = withQuery(measurementPath(measurementId, 'latest/'), { probe_ids: probeIdList(options.probeIds) });
    const body = await this.#getJson(path, options.signal);
    const results = flattenLatest(body);
    if (results === undefined) throw new AtlasResponseFormatError('GET', path, 'neither a list of results nor an object keyed by probe id');
    return results;
  }

  async measurement(measurementId: number, options: { readonly signal?: AbortSignal } = {}): Promise<AtlasMeasurement> {
    const path = measurementPath(measurementId);
    const read = readMeasurement(await this.#getJson(path, options.signal));
    if (typeof read === 'string') throw new AtlasResponseFormatError('GET', path, `not a measurement: ${read}`);
    return read;
  }

  /**
   * Probes by id, country or ASN. With `ids`, probes already seen are served from the cache and only
   * the others are fetched; country and ASN then filter the result locally, as the API would.
   */
  async probes(query: ProbeQuery = {}): Promise<AtlasProbe[]> {
    if (query.countryCode !== undefined && !/^[A-Za-z]{2}$/.test(query.countryCode)) throw new RangeError('countryCode must be two letters');
    if (query.asn !== undefined && (!Number.isSafeInteger(query.asn) || query.asn <= 0)) throw new RangeError('asn must be a positive integer');
    const countryCode = query.countryCode?.toUpperCase();
    const ids = probeIdList(query.ids);
    if (ids === undefined) {
      return this.#listProbes(withQuery('/api/v2/probes/', { country_code: countryCode, asn_v4: query.asn, page_size: PAGE_SIZE }), query.signal);
    }
    const missing = [...new Set(ids.filter((id) => !this.#probeCache.has(id)))];
    for (let i = 0; i < missing.length; i += PROBE_IDS_PER_REQUEST) {
      const chunk = missing.slice(i, i + PROBE_IDS_PER_REQUEST);
      await this.#listProbes(withQuery('/api/v2/probes/', { id__in: chunk, page_size: PAGE_SIZE }), query.signal);
    }
    const found: AtlasProbe[] = [];
    for (const id of new Set(ids)) {
      const probe = this.#probeCache.get(id);
      if (probe === undefined) continue;
      if (countryCode !== undefined && probe.countryCode?.toUpperCase() !== countryCode) continue;
      if (query.asn !== undefined && probe.asnV4 !== query.asn) continue;
      found.push(probe);
    }
    return found;
  }

  /** Creates a measurement; returns the new measurement ids. Needs a key with create permission. */
  async createMeasurement(body: MeasurementRequest, options: { readonly signal?: AbortSignal } = {}): Promise<number[]> {
    if (!this.#hasApiKey) throw new AtlasConfigError('apiKey', 'is required to create measurements');
    const path = '/api/v2/measurements/';
    const response = await this.#transport.exchange({
      method: 'POST',
      path,
      json: body,
      signal: options.signal,
      consume: (res, p) => this.#transport.readJson(res, 'POST', p),
    });
    const ids = (response as { measurements?: unknown } | null)?.measurements;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is number => Number.isSafeInteger(id) && (id as number) > 0)) {
      throw new AtlasResponseFormatError('POST', path, 'no "measurements" id list');
    }
    return ids;
  }

  /** Probes in the cache, e.g. to persist them between runs. */
  cachedProbes(): AtlasProbe[] {
    return [...this.#probeCache.values()];
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'AtlasClient', baseUrl: this.#config.baseUrl.href, apiKey: this.#hasApiKey ? '[redacted]' : null };
  }

  #getJson(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    return this.#transport.exchange({ method: 'GET', path, signal, consume: (res, p) => this.#transport.readJson(res, 'GET', p) });
  }

  /** Follows `next` links from a first page, caching every probe read. */
  async #listProbes(firstPath: string, signal: AbortSignal | undefined): Promise<AtlasProbe[]> {
    const probes: AtlasProbe[] = [];
    const seen = new Set<string>();
    let path: string | undefined = firstPath;
    while (path !== undefined) {
      if (seen.has(path) || seen.size >= MAX_PAGES) throw new AtlasResponseFormatError('GET', path, 'pagination loops');
      seen.add(path);
      const page = readPage(await this.#getJson(path, signal));
      if (page === undefined) throw new AtlasResponseFormatError('GET', path, 'not a paginated list');
      for (const doc of page.results) {
        const probe = readProbe(doc);
        if (probe === undefined) continue;
        this.#probeCache.set(probe.id, probe);
        probes.push(probe);
      }
      if (page.next === null) break;
      const next = this.#transport.pathOfLink(page.next);
      // The key must not follow a link to another host.
      if (next === undefined) throw new AtlasResponseFormatError('GET', path, 'the next link leaves the API origin');
      path = next;
    }
    return probes;
  }
}
