// A local RIPE Atlas REST API v2 server (node:http, 127.0.0.1, a free port) serving the recorded
// results, probes and measurement metadata from data/ripe-atlas. It answers like the real
// API (JSON Lines for format=txt, count/next/previous pages, the documented error body) and can
// inject faults per route: statuses with Retry-After, resets, slow or truncated streams, garbage
// lines, oversize bodies. Every request it sees is recorded.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dataPath } from './repo-data.js';

export type AtlasRoute = 'results' | 'latest' | 'measurement' | 'probes' | 'create';

export type AtlasFault =
  /** Answer with this status (and an API error body unless `body` is given). */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string; readonly contentType?: string }
  /** Answer with an error body that quotes the request's Authorization header back. */
  | { readonly kind: 'echo-auth'; readonly status: number }
  /** Destroy the connection before any response. */
  | { readonly kind: 'reset' }
  /** Wait before sending the headers. */
  | { readonly kind: 'slow-headers'; readonly delayMs: number }
  /** Send `afterLines` lines (results) or half the body (JSON), then stall for delayMs before going on. */
  | { readonly kind: 'slow-body'; readonly afterLines: number; readonly delayMs: number }
  /** Send `afterLines` lines (results) or half the body (JSON), then destroy the connection. */
  | { readonly kind: 'truncate'; readonly afterLines: number }
  /** Insert these lines into a results stream before line index `atLine` (0-based). */
  | { readonly kind: 'garbage'; readonly atLine: number; readonly lines: readonly string[] }
  /** A body of about `bytes` bytes; `announce` sends Content-Length, otherwise chunked. */
  | { readonly kind: 'oversize'; readonly bytes: number; readonly announce: boolean }
  /** Probes: replace the `next` link of the page with this URL. */
  | { readonly kind: 'next-link'; readonly url: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly route: AtlasRoute | 'unknown';
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** A recorded result line with the fields the server filters on. */
export interface RecordedResult {
  readonly line: string;
  readonly msmId: number | undefined;
  readonly prbId: number | undefined;
  readonly timestamp: number | undefined;
}

export interface ResultQuery {
  readonly msmId: number;
  readonly start: number | undefined;
  readonly stop: number | undefined;
  readonly probeIds: ReadonlySet<number> | undefined;
}

export interface AtlasApiServerOptions {
  /** When set, a request whose Authorization is not `Key <apiKey>` gets 403; creation always needs it. */
  readonly apiKey?: string;
  /** Replaces the recorded results (lines without newline), e.g. for a long synthetic replay. */
  readonly resultSource?: (query: ResultQuery) => AsyncIterable<string> | Iterable<string>;
  /** The API clamps page_size to 500; a smaller clamp makes the recorded probes span many pages. */
  readonly maxPageSize?: number;
}

export interface AtlasApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly results: readonly RecordedResult[];
  /** Measurement documents by id (the recorded v1 ones to start with); tests may add v2 ones. */
  readonly measurements: Map<number, unknown>;
  /** Probe documents, sorted by id. */
  readonly probes: readonly Record<string, unknown>[];
  /** Bodies of created measurements. */
  readonly created: unknown[];
  /** Shape of /latest/: documented object keyed by probe id, or the flat array seen in recordings. */
  latestShape: 'object' | 'array';
  /** Queues a fault for the next `times` requests to a route. */
  inject(route: AtlasRoute, fault: AtlasFault, times?: number): void;
  /** Drops queued faults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const RESULT_FILES = ['ping.jsonl', 'dns.jsonl', 'http.jsonl', 'traceroute.jsonl'];
const FLUSH_BYTES = 64 * 1024;

export function loadRecordedResults(): RecordedResult[] {
  const out: RecordedResult[] = [];
  for (const file of RESULT_FILES) {
    for (const line of readFileSync(dataPath('ripe-atlas', file), 'utf8').split('\n')) {
      if (line.trim().length === 0) continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      out.push({ line, msmId: intOf(o['msm_id']), prbId: intOf(o['prb_id']), timestamp: intOf(o['timestamp']) });
    }
  }
  return out;
}

export function loadRecordedProbes(): Record<string, unknown>[] {
  const pages = JSON.parse(readFileSync(dataPath('ripe-atlas', 'probes.json'), 'utf8')) as { results: Record<string, unknown>[] }[];
  const byId = new Map<number, Record<string, unknown>>();
  for (const page of pages) for (const p of page.results) if (typeof p['id'] === 'number') byId.set(p['id'], p);
  return [...byId.values()].sort((a, b) => (a['id'] as number) - (b['id'] as number));
}

export function loadRecordedMeasurements(): Map<number, unknown> {
  const docs = JSON.parse(readFileSync(dataPath('ripe-atlas', 'measurement_meta_v1.json'), 'utf8')) as Record<string, unknown>[];
  return new Map(docs.map((d) => [d['msm_id'] as number, d]));
}

export async function startAtlasApiServer(options: AtlasApiServerOptions = {}): Promise<AtlasApiServer> {
  const results = loadRecordedResults();
  const probes = loadRecordedProbes();
  const measurements = loadRecordedMeasurements();
  const requests: RecordedRequest[] = [];
  const created: unknown[] = [];
  const faults = new Map<AtlasRoute, AtlasFault[]>();
  const sockets = new Set<Socket>();
  let nextMeasurementId = 90_000_001;
  let origin = '';

  const state = {
    latestShape: 'object' as 'object' | 'array',
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      handle(req, res, raw).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const route = routeOf(req.method ?? 'GET', url.pathname);
    const authorization = req.headers.authorization;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      route: route?.name ?? 'unknown',
      query: Object.fromEntries(url.searchParams),
      authorization,
      body,
    });
    if (route === undefined) return sendError(res, 404, 'Not found.', 'Not Found');

    const fault = faults.get(route.name)?.shift();
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'slow-headers') await sleep(fault.delayMs);
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': fault.contentType ?? 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(fault.body ?? errorBody(fault.status, `Injected ${fault.status}.`, 'Injected'));
      return;
    }
    if (fault?.kind === 'echo-auth') return sendError(res, fault.status, `Invalid credentials: ${authorization ?? '(none)'}`, 'Forbidden');

    if (options.apiKey !== undefined && authorization !== undefined && authorization !== `Key ${options.apiKey}`) {
      return sendError(res, 403, 'The provided API key is not valid.', 'Forbidden');
    }

    switch (route.name) {
      case 'results':
        return serveResults(res, route.msmId, url.searchParams, fault);
      case 'latest':
        return serveJson(res, latest(route.msmId, url.searchParams), fault);
      case 'measurement': {
        const doc = measurements.get(route.msmId);
        if (doc === undefined) return sendError(res, 404, 'Not found.', 'Not Found');
        return serveJson(res, doc, fault);
      }
      case 'probes':
        return serveJson(res, probePage(url.searchParams, fault), fault);
      case 'create':
        return create(res, authorization, body, fault);
    }
  }

  async function serveResults(res: ServerResponse, msmId: number, q: URLSearchParams, fault: AtlasFault | undefined): Promise<void> {
    const query: ResultQuery = { msmId, start: intParam(q, 'start'), stop: intParam(q, 'stop'), probeIds: idSet(q.get('probe_ids')) };
    const source = options.resultSource?.(query) ?? recordedLines(query);
    const asArray = q.get('format') !== 'txt';
    res.writeHead(200, { 'content-type': asArray ? 'application/json' : 'text/plain; charset=utf-8' });
    const out = new LineWriter(res);
    if (asArray) out.push('[');
    let index = 0;
    let first = true;
    const emit = async (line: string): Promise<boolean> => {
      if (fault?.kind === 'garbage' && index === fault.atLine) for (const g of fault.lines) out.push(g + '\n');
      if (fault?.kind === 'truncate' && index === fault.afterLines) {
        await out.flush();
        res.socket?.destroy();
        return false;
      }
      if (fault?.kind === 'slow-body' && index === fault.afterLines) {
        await out.flush();
        await sleep(fault.delayMs);
      }
      out.push(asArray ? `${first ? '' : ','}${line}` : `${line}\n`);
      first = false;
      index++;
      if (out.pendingBytes >= FLUSH_BYTES || fault !== undefined) await out.flush();
      return !res.destroyed;
    };
    for await (const line of source) if (!(await emit(line))) return;
    if (fault?.kind === 'oversize') {
      const pad = JSON.stringify({ type: 'padding', pad: 'x'.repeat(1000) });
      for (let sent = 0; sent < fault.bytes; sent += pad.length + 1) if (!(await emit(pad))) return;
    }
    if (fault?.kind === 'garbage' && index <= fault.atLine) for (const g of fault.lines) out.push(g + '\n');
    if (fault?.kind === 'truncate' && index <= fault.afterLines) {
      await out.flush();
      res.socket?.destroy();
      return;
    }
    if (asArray) out.push(']');
    await out.flush();
    res.end();
  }

  function* recordedLines(query: ResultQuery): Iterable<string> {
    for (const r of results) {
      if (r.msmId !== query.msmId) continue;
      if (query.start !== undefined && (r.timestamp === undefined || r.timestamp < query.start)) continue;
      if (query.stop !== undefined && (r.timestamp === undefined || r.timestamp > query.stop)) continue;
      if (query.probeIds !== undefined && (r.prbId === undefined || !query.probeIds.has(r.prbId))) continue;
      yield r.line;
    }
  }

  function latest(msmId: number, q: URLSearchParams): unknown {
    const wanted = idSet(q.get('probe_ids'));
    const newest = new Map<number, RecordedResult>();
    for (const r of results) {
      if (r.msmId !== msmId || r.prbId === undefined) continue;
      if (wanted !== undefined && !wanted.has(r.prbId)) continue;
      const seen = newest.get(r.prbId);
      if (seen === undefined || (r.timestamp ?? 0) > (seen.timestamp ?? 0)) newest.set(r.prbId, r);
    }
    const entries = [...newest.entries()].map(([prb, r]) => [prb, JSON.parse(r.line) as unknown] as const);
    return state.latestShape === 'array' ? entries.map(([, v]) => v) : Object.fromEntries(entries.map(([prb, v]) => [String(prb), [v]]));
  }

  function probePage(q: URLSearchParams, fault: AtlasFault | undefined): unknown {
    const ids = idSet(q.get('id__in'));
    const cc = q.get('country_code')?.toUpperCase();
    const asn = intParam(q, 'asn_v4');
    const matching = probes.filter(
      (p) =>
        (ids === undefined || ids.has(p['id'] as number)) &&
        (cc === undefined || String(p['country_code']).toUpperCase() === cc) &&
        (asn === undefined || p['asn_v4'] === asn),
    );
    // As the API: page_size defaults to 50 and is clamped to 500.
    const pageSize = Math.min(options.maxPageSize ?? 500, Math.max(1, intParam(q, 'page_size') ?? 50));
    const page = Math.max(1, intParam(q, 'page') ?? 1);
    const link = (n: number): string => {
      const u = new URL('/api/v2/probes/', origin);
      for (const [k, v] of q) if (k !== 'page') u.searchParams.set(k, v);
      u.searchParams.set('page', String(n));
      return u.href;
    };
    const next = page * pageSize < matching.length ? link(page + 1) : null;
    return {
      count: matching.length,
      next: fault?.kind === 'next-link' ? fault.url : next,
      previous: page > 1 ? link(page - 1) : null,
      results: matching.slice((page - 1) * pageSize, page * pageSize),
    };
  }

  async function create(res: ServerResponse, authorization: string | undefined, body: string, fault: AtlasFault | undefined): Promise<void> {
    if (authorization === undefined || !authorization.startsWith('Key ')) {
      return sendError(res, 403, 'Authentication credentials were not provided.', 'Forbidden');
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return sendError(res, 400, 'JSON parse error.', 'Bad Request');
    }
    const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    const definitions = Array.isArray(d['definitions']) ? (d['definitions'] as unknown[]) : [];
    const probesSpec = Array.isArray(d['probes']) ? (d['probes'] as unknown[]) : [];
    const errors: { source: { pointer: string }; detail: string }[] = [];
    if (definitions.length === 0) errors.push({ source: { pointer: '/definitions' }, detail: 'This field is required.' });
    definitions.forEach((def, i) => {
      const o = (typeof def === 'object' && def !== null ? def : {}) as Record<string, unknown>;
      if (typeof o['target'] !== 'string') errors.push({ source: { pointer: `/definitions/${i}/target` }, detail: 'This field is required.' });
      if (typeof o['type'] !== 'string') errors.push({ source: { pointer: `/definitions/${i}/type` }, detail: 'This field is required.' });
    });
    if (probesSpec.length === 0) errors.push({ source: { pointer: '/probes' }, detail: 'This field is required.' });
    if (errors.length > 0) {
      const fields = [...new Set(errors.map((e) => e.source.pointer.split('/').pop()))].join(', ');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { status: 400, code: 104, detail: `The following fields are invalid: ${fields}`, title: 'Bad Request', errors } }));
      return;
    }
    created.push(doc);
    const ids = definitions.map(() => nextMeasurementId++);
    await serveJson(res, { measurements: ids }, fault, 201);
  }

  async function serveJson(res: ServerResponse, doc: unknown, fault: AtlasFault | undefined, status = 200): Promise<void> {
    let text = JSON.stringify(doc);
    if (fault?.kind === 'oversize') text = `${text.slice(0, -1)}${text.endsWith('}') ? ',' : ''}"padding":"${'x'.repeat(fault.bytes)}"}`;
    const bytes = Buffer.from(text, 'utf8');
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (fault?.kind !== 'oversize' || fault.announce) headers['content-length'] = bytes.length;
    res.writeHead(status, headers);
    if (fault?.kind === 'truncate' || fault?.kind === 'slow-body') {
      const half = Math.floor(bytes.length / 2);
      await writeAsync(res, bytes.subarray(0, half));
      if (fault.kind === 'truncate') return void res.socket?.destroy();
      await sleep(fault.delayMs);
      if (res.destroyed) return;
      res.end(bytes.subarray(half));
      return;
    }
    for (let i = 0; i < bytes.length; i += FLUSH_BYTES) {
      if (res.destroyed) return;
      await writeAsync(res, bytes.subarray(i, i + FLUSH_BYTES));
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    requests,
    results,
    measurements,
    probes,
    created,
    get latestShape() {
      return state.latestShape;
    },
    set latestShape(shape: 'object' | 'array') {
      state.latestShape = shape;
    },
    inject(route, fault, times = 1) {
      const queue = faults.get(route) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(route, queue);
    },
    reset() {
      faults.clear();
      requests.length = 0;
      state.latestShape = 'object';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type RouteMatch = { readonly name: 'results' | 'latest' | 'measurement'; readonly msmId: number } | { readonly name: 'probes' | 'create' };

function routeOf(method: string, pathname: string): RouteMatch | undefined {
  const p = pathname.endsWith('/') ? pathname : `${pathname}/`;
  if (method === 'POST') return p === '/api/v2/measurements/' ? { name: 'create' } : undefined;
  if (method !== 'GET') return undefined;
  if (p === '/api/v2/probes/') return { name: 'probes' };
  const m = /^\/api\/v2\/measurements\/(\d+)\/(?:(results|latest)\/)?$/.exec(p);
  if (m === null) return undefined;
  const msmId = Number(m[1]);
  return { name: m[2] === 'results' ? 'results' : m[2] === 'latest' ? 'latest' : 'measurement', msmId };
}

/** Buffers small writes into larger ones and honours backpressure. */
class LineWriter {
  #parts: string[] = [];
  pendingBytes = 0;
  constructor(private readonly res: ServerResponse) {}
  push(text: string): void {
    this.#parts.push(text);
    this.pendingBytes += text.length;
  }
  async flush(): Promise<void> {
    if (this.#parts.length === 0 || this.res.destroyed) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.pendingBytes = 0;
    await writeAsync(this.res, text);
  }
}

/** Resolves once the data is handed to the socket (or the socket is gone), which also honours backpressure. */
function writeAsync(res: ServerResponse, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', resolve);
    res.write(data, () => {
      res.off('close', resolve);
      resolve();
    });
  });
}

function sendError(res: ServerResponse, status: number, detail: string, title: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(errorBody(status, detail, title));
}

function errorBody(status: number, detail: string, title: string): string {
  return JSON.stringify({ error: { status, code: status === 404 ? 104 : 102, detail, title } });
}

function intOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  return v === null ? undefined : intOf(v);
}

function idSet(value: string | null): Set<number> | undefined {
  if (value === null || value === '') return undefined;
  return new Set(value.split(',').map((s) => Number(s.trim())).filter((n) => Number.isSafeInteger(n)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
