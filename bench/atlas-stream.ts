// Throughput and memory of the RIPE Atlas results stream. Replays the recorded results (all types)
// with shifted timestamps and probe ids until `results` lines have been served, either by the local
// API server over HTTP (the whole client path) or from an in-process Readable (the parser alone),
// and samples this process's RSS while parsing. The server runs in a child process so that its own
// buffers do not count against the client. Not part of `npm test`; run with
//   npx tsx bench/atlas-stream.ts [results] [server|readable]

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AtlasClient, AtlasLineError } from '../src/adapters/ripe-atlas/client/index.js';
import { parseResultLines } from '../src/adapters/ripe-atlas/client/results-stream.js';
import { startAtlasApiServer } from '../test/support/atlas-api-server.js';
import { dataPath } from '../test/support/repo-data.js';

export interface AtlasStreamBenchOptions {
  readonly results?: number;
  readonly source?: 'server' | 'readable';
  readonly sampleEveryMs?: number;
}

export interface AtlasStreamBenchResult {
  readonly source: 'server' | 'readable';
  readonly results: number;
  readonly lineErrors: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly resultsPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly startRssMb: number;
  readonly peakRssMb: number;
  /** V8 heap reserved and memory outside it (buffers), at their peaks: where the RSS goes. */
  readonly peakHeapTotalMb: number;
  readonly peakExternalMb: number;
  readonly targetRssMb: number;
  readonly withinTarget: boolean;
}

const BENCH_MSM = 90_000_000;
const TARGET_RSS_MB = 150;
// Sentinels replaced per replay; far outside any real value so they cannot collide.
const TS_MARK = -7_777_777_771;
const PRB_MARK = -7_777_777_772;

interface Template {
  /** Text pieces with the two sentinels as separate items, e.g. [before, TS, between, PRB, after]. */
  readonly pieces: readonly string[];
  readonly timestamp: number;
  readonly prbId: number;
}

function loadTemplates(): Template[] {
  const templates: Template[] = [];
  for (const file of ['ping.jsonl', 'dns.jsonl', 'http.jsonl', 'traceroute.jsonl']) {
    for (const line of readFileSync(dataPath('ripe-atlas', file), 'utf8').split('\n')) {
      if (line.trim().length === 0) continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      const timestamp = Number(o['timestamp']);
      const prbId = Number(o['prb_id']);
      if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(prbId)) continue;
      const text = JSON.stringify({ ...o, msm_id: BENCH_MSM, timestamp: TS_MARK, prb_id: PRB_MARK });
      templates.push({ pieces: text.split(new RegExp(`(${TS_MARK}|${PRB_MARK})`)), timestamp, prbId });
    }
  }
  return templates;
}

/** `count` result lines: round r shifts every timestamp by r * 300 s and every probe id by r * 10^7. */
function* replay(count: number): Generator<string> {
  const templates = loadTemplates();
  const ts = String(TS_MARK);
  const prb = String(PRB_MARK);
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length];
    if (t === undefined) return;
    const round = Math.floor(i / templates.length);
    let line = '';
    for (const piece of t.pieces) line += piece === ts ? t.timestamp + round * 300 : piece === prb ? t.prbId + round * 10_000_000 : piece;
    yield line;
  }
}

/** Starts the replay server in a child process; resolves with its URL. */
async function startReplayServer(count: number): Promise<{ readonly url: string; readonly child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), '--serve', String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as Readable });
  for await (const line of lines) {
    const m = /^listening (http:\/\/\S+)$/.exec(line);
    if (m?.[1] !== undefined) return { url: m[1], child };
  }
  throw new Error('the replay server did not start');
}

/** Bytes of the replayed body (lines plus newlines), worked out without building the lines. */
function replayBytes(count: number): number {
  const templates = loadTemplates().map((t) => ({
    ...t,
    fixed: t.pieces.filter((p) => p !== String(TS_MARK) && p !== String(PRB_MARK)).reduce((n, p) => n + Buffer.byteLength(p), 0),
  }));
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length];
    if (t === undefined) break;
    const round = Math.floor(i / templates.length);
    bytes += t.fixed + String(t.timestamp + round * 300).length + String(t.prbId + round * 10_000_000).length + 1;
  }
  return bytes;
}

export async function benchAtlasStream(options: AtlasStreamBenchOptions = {}): Promise<AtlasStreamBenchResult> {
  const count = options.results ?? 1_000_000;
  const source = options.source ?? 'server';
  const server = source === 'server' ? await startReplayServer(count) : undefined;

  globalThis.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = 0;
  let peakExternal = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapTotal > peakHeap) peakHeap = m.heapTotal;
    if (m.external > peakExternal) peakExternal = m.external;
  };
  const sampler = setInterval(sample, options.sampleEveryMs ?? 50);

  let results = 0;
  let lineErrors = 0;
  const t0 = performance.now();
  try {
    const stream =
      server !== undefined
        ? new AtlasClient({ baseUrl: server.url, maxResponseBytes: Number.MAX_SAFE_INTEGER, timeoutMs: 60_000 }).streamResults(BENCH_MSM)
        : parseResultLines(
            Readable.from(
              (function* () {
                // 64 KiB chunks, as a socket would deliver them.
                let batch: string[] = [];
                let size = 0;
                for (const line of replay(count)) {
                  batch.push(line);
                  size += line.length + 1;
                  if (size >= 65_536) {
                    yield Buffer.from(`${batch.join('\n')}\n`);
                    batch = [];
                    size = 0;
                  }
                }
                if (batch.length > 0) yield Buffer.from(`${batch.join('\n')}\n`);
              })(),
            ),
            { measurementId: BENCH_MSM, maxLineBytes: 4 * 1024 * 1024, excerpt: (text, max) => text.slice(0, max) },
          );
    for await (const item of stream) {
      if (item instanceof AtlasLineError) lineErrors++;
      else results++;
      if ((results & 0x3fff) === 0) sample();
    }
  } finally {
    clearInterval(sampler);
    server?.child.kill();
  }
  sample();
  const seconds = (performance.now() - t0) / 1000;
  const bytes = replayBytes(count);
  const mb = (n: number): number => Math.round((n / (1024 * 1024)) * 10) / 10;
  return {
    source,
    results,
    lineErrors,
    bytes,
    seconds: Math.round(seconds * 100) / 100,
    resultsPerSecond: Math.round(results / seconds),
    megabytesPerSecond: mb(bytes / seconds),
    startRssMb: mb(startRss),
    peakRssMb: mb(peakRss),
    peakHeapTotalMb: mb(peakHeap),
    peakExternalMb: mb(peakExternal),
    targetRssMb: TARGET_RSS_MB,
    withinTarget: peakRss / (1024 * 1024) < TARGET_RSS_MB,
  };
}

async function serveReplay(count: number): Promise<void> {
  const server = await startAtlasApiServer({ resultSource: () => replay(count) });
  console.log(`listening ${server.url}`);
  // The parent ends the child; closing stdin is the fallback.
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--serve') {
    await serveReplay(Number(process.argv[3]));
  } else {
    const results = process.argv[2] !== undefined ? Number(process.argv[2]) : undefined;
    const source = process.argv[3] === 'readable' ? 'readable' : 'server';
    console.log(JSON.stringify(await benchAtlasStream({ ...(results !== undefined ? { results } : {}), source }), null, 2));
  }
}
