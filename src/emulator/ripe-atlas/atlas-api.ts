// The emulated RIPE Atlas REST API v2, the endpoints ga-steer's client uses: measurement results
// (streamed, `format=txt` JSON Lines or a JSON array), latest results, measurement metadata and probes
// (paginated with `next` links). Public measurements: no key is needed, a key is accepted.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../http-server.js';
import type { AtlasResultMaker, EmulatedMeasurement } from './measurement-results.js';
import { probeDocument, type EmulatedProbe } from './probe-fleet.js';

export interface AtlasApiOptions {
  readonly probes: readonly EmulatedProbe[];
  readonly measurements: readonly EmulatedMeasurement[];
  readonly results: AtlasResultMaker;
  /** The emulator's clock (ms since the epoch). */
  readonly now: () => number;
}

const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;
const LINES_PER_WRITE = 200;

class BadRequest extends Error {}

export function atlasApiRoute(options: AtlasApiOptions): HttpRoute {
  const byId = new Map(options.measurements.map((m) => [m.id, m]));
  const probeById = new Map(options.probes.map((p) => [p.id, p]));
  const since = Math.floor(options.results.firstSecond);

  return {
    matches: (pathname) => pathname.startsWith('/api/v2/'),
    async handle(req, res, url) {
      if (req.method !== 'GET') return sendError(res, 405, `Method "${req.method ?? ''}" not allowed.`, 'Method Not Allowed');
      const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
      const q = url.searchParams;
      try {
        if (path === '/api/v2/probes/') return sendJson(res, probePage(q, originOf(req)));
        const probe = /^\/api\/v2\/probes\/(\d+)\/$/.exec(path);
        if (probe !== null) {
          const p = probeById.get(Number(probe[1]));
          return p === undefined ? sendError(res, 404, 'Not found.', 'Not Found') : sendJson(res, probeDocument(p, since));
        }
        const msm = /^\/api\/v2\/measurements\/(\d+)\/(?:(results|latest)\/)?$/.exec(path);
        const m = msm === null ? undefined : byId.get(Number(msm[1]));
        if (msm === null || m === undefined) return sendError(res, 404, 'Not found.', 'Not Found');
        const nowS = Math.floor(options.now() / 1000);
        if (msm[2] === 'results') {
          const from = intParam(q, 'start') ?? since;
          const to = Math.min(intParam(q, 'stop') ?? nowS, nowS);
          return await streamResults(res, options.results.results(m, from, to, idSet(q.get('probe_ids'))), q.get('format') === 'txt');
        }
        if (msm[2] === 'latest') {
          const latest = options.results.latest(m, nowS, idSet(q.get('probe_ids')));
          return sendJson(res, Object.fromEntries([...latest].map(([id, list]) => [String(id), list])));
        }
        return sendJson(res, measurementDocument(m, options.probes.length, since, options.results.intervalSeconds));
      } catch (e) {
        if (e instanceof BadRequest) return sendError(res, 400, e.message, 'Bad Request');
        throw e;
      }
    },
  };

  function probePage(q: URLSearchParams, origin: string): unknown {
    const ids = idSet(q.get('id__in'));
    const cc = q.get('country_code')?.toUpperCase();
    const asn = intParam(q, 'asn_v4') ?? intParam(q, 'asn');
    const matching = options.probes.filter((p) => (ids === undefined || ids.has(p.id)) && (cc === undefined || p.countryCode === cc) && (asn === undefined || p.asn === asn));
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, intParam(q, 'page_size') ?? DEFAULT_PAGE_SIZE));
    const page = Math.max(1, intParam(q, 'page') ?? 1);
    const link = (n: number): string => {
      const u = new URL('/api/v2/probes/', origin);
      for (const [k, v] of q) if (k !== 'page') u.searchParams.set(k, v);
      u.searchParams.set('page', String(n));
      return u.href;
    };
    return {
      count: matching.length,
      next: page * pageSize < matching.length ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: matching.slice((page - 1) * pageSize, page * pageSize).map((p) => probeDocument(p, since)),
    };
  }
}

function measurementDocument(m: EmulatedMeasurement, participants: number, startTime: number, interval: number): Record<string, unknown> {
  const common = { id: m.id, af: 4, status: { id: 2, name: 'Ongoing' }, start_time: startTime, stop_time: null, interval, is_oneoff: false, is_public: true, participant_count: participants, result: `/api/v2/measurements/${m.id}/results/` };
  if (m.type === 'ping') {
    const first = m.targets[0]?.address ?? null;
    return { ...common, type: 'ping', description: `ga-steer emulator: ping to ${m.targets.map((t) => `${t.address} (${t.region})`).join(', ')}`, target: first, target_ip: first, packets: 3, size: 48 };
  }
  return {
    ...common,
    type: 'dns',
    description: `ga-steer emulator: CHAOS TXT id.server via ${m.target}`,
    target: m.target,
    target_ip: m.target,
    query_class: 'CHAOS',
    query_type: 'TXT',
    query_argument: 'id.server',
    protocol: 'UDP',
    use_probe_resolver: false,
    include_abuf: true,
  };
}

async function streamResults(res: ServerResponse, results: Iterable<Record<string, unknown>>, jsonLines: boolean): Promise<void> {
  res.writeHead(200, { 'content-type': jsonLines ? 'text/plain; charset=utf-8' : 'application/json' });
  let batch: string[] = [];
  let first = true;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const text = batch.join('');
    batch = [];
    if (res.write(text)) return;
    // Backpressure: wait for the socket to drain (or go away), then drop both listeners.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done).off('close', done);
        resolve();
      };
      res.on('drain', done).on('close', done);
    });
  };
  if (!jsonLines) batch.push('[');
  for (const r of results) {
    if (res.destroyed) return;
    const line = JSON.stringify(r);
    batch.push(jsonLines ? `${line}\n` : `${first ? '' : ','}${line}`);
    first = false;
    if (batch.length >= LINES_PER_WRITE) await flush();
  }
  if (!jsonLines) batch.push(']');
  await flush();
  res.end();
}

function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

function sendJson(res: ServerResponse, doc: unknown): void {
  const text = JSON.stringify(doc);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The API's documented error body. */
function sendError(res: ServerResponse, status: number, detail: string, title: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { status, code: status === 404 ? 104 : 102, detail, title } }));
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequest(`The parameter ${key} must be a whole number (got "${v}").`);
  return Number(v);
}

function idSet(value: string | null): Set<number> | undefined {
  if (value === null || value === '') return undefined;
  const ids = value.split(',').map((s) => s.trim());
  if (!ids.every((s) => /^\d+$/.test(s))) throw new BadRequest(`The list "${value}" must hold probe ids separated by commas.`);
  return new Set(ids.map(Number));
}
