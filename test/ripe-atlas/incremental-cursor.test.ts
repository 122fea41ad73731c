import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceCursor,
  AtlasClient,
  AtlasCursorStateError,
  classifyResult,
  cursorOf,
  emptyCursorState,
  nextStart,
  parseCursorState,
  resultKey,
  withCursor,
  type IncrementalCursorState,
} from '../../src/adapters/ripe-atlas/client/index.js';
import { loadRecordedResults, startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';

const MSM = 1033154; // 87 traceroutes, many probes reporting in the same second

const RECORDED = loadRecordedResults()
  .filter((r) => r.msmId === MSM)
  .map((r) => JSON.parse(r.line) as { prb_id: number; timestamp: number });
const keyOf = (r: { prb_id: number; timestamp: number }): string => `${r.prb_id}@${r.timestamp}`;

describe('incremental cursor against the local API server', () => {
  let server: AtlasApiServer;
  beforeAll(async () => {
    server = await startAtlasApiServer();
  });
  afterAll(async () => {
    await server?.close(); // undefined when beforeAll failed
  });
  beforeEach(() => server.reset());

  /** One ingestion run as a caller would write it; returns the new results and the new state. */
  async function run(state: IncrementalCursorState, stop?: number, overlapSeconds = 0): Promise<{ fresh: unknown[]; state: IncrementalCursorState }> {
    const client = new AtlasClient({ baseUrl: server.url });
    const before = cursorOf(state, MSM);
    const fresh: unknown[] = [];
    for await (const r of client.streamResults(MSM, { start: nextStart(before, overlapSeconds), stop })) {
      if (classifyResult(before, r) === 'new') fresh.push(r);
    }
    return { fresh, state: withCursor(state, MSM, advanceCursor(before, fresh, overlapSeconds)) };
  }

  it('asks for start = last + 1 on the next run and gets nothing twice', async () => {
    const first = await run(emptyCursorState());
    expect(first.fresh).toHaveLength(RECORDED.length);
    expect(server.requests[0]?.query['start']).toBeUndefined();
    const last = Math.max(...RECORDED.map((r) => r.timestamp));
    expect(cursorOf(first.state, MSM)?.lastTimestamp).toBe(last);
    const second = await run(first.state);
    expect(server.requests[1]?.query['start']).toBe(String(last + 1));
    expect(second.fresh).toEqual([]);
  });

  it('survives a JSON round trip of the state between runs', async () => {
    const first = await run(emptyCursorState(), 1381825008);
    const restored = parseCursorState(JSON.parse(JSON.stringify(first.state)));
    expect(restored).toEqual(first.state);
    const second = await run(restored);
    expect([...first.fresh, ...second.fresh].map((r) => keyOf(r as never)).sort()).toEqual(RECORDED.map(keyOf).sort());
  });

  it('dedupes the boundary when runs overlap on purpose', async () => {
    const first = await run(emptyCursorState(), 1381825009, 5);
    const second = await run(first.state, undefined, 5);
    expect(server.requests[1]?.query['start']).toBe(String(1381825009 + 1 - 5));
    const keys = [...first.fresh, ...second.fresh].map((r) => keyOf(r as never));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(RECORDED.map(keyOf).sort());
  });
});

describe('incremental cursor (pure)', () => {
  it('takes every result exactly once over any sequence of runs, with or without overlap', () => {
    const times = RECORDED.map((r) => r.timestamp);
    const [lo, hi] = [Math.min(...times), Math.max(...times)];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: lo - 2, max: hi + 2 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer(),
        (stops, overlap, seed) => {
          let cursor = cursorOf(emptyCursorState(), MSM);
          const taken: string[] = [];
          for (const stop of [...stops.sort((a, b) => a - b), hi]) {
            const start = nextStart(cursor, overlap) ?? 0;
            // The server's answer, in an arbitrary order: one run is not time-ordered.
            const answer = shuffled(RECORDED.filter((r) => r.timestamp >= start && r.timestamp <= stop), seed);
            const fresh = answer.filter((r) => classifyResult(cursor, r) === 'new');
            taken.push(...fresh.map(keyOf));
            cursor = advanceCursor(cursor, fresh, overlap);
          }
          expect(taken.length).toBe(new Set(taken).size);
          expect(taken.sort()).toEqual(RECORDED.map(keyOf).sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts a result stored late for a remembered second, and not a repeat', () => {
    const at = (prb_id: number, timestamp: number): object => ({ prb_id, timestamp, type: 'dns' });
    const cursor = advanceCursor(undefined, [at(1, 100), at(2, 100), at(3, 98)], 3);
    expect(cursor).toEqual({ lastTimestamp: 100, rememberedFrom: 97, recentKeys: ['1@100', '2@100', '3@98'] });
    expect(classifyResult(cursor, at(2, 100))).toBe('duplicate');
    expect(classifyResult(cursor, at(4, 100))).toBe('new');
    expect(classifyResult(cursor, at(4, 98))).toBe('new');
    expect(classifyResult(cursor, at(4, 96))).toBe('duplicate');
    expect(classifyResult(cursor, at(4, 101))).toBe('new');
    const noOverlap = advanceCursor(undefined, [at(1, 100), at(3, 98)]);
    expect(noOverlap).toEqual({ lastTimestamp: 100, rememberedFrom: 100, recentKeys: ['1@100'] });
    expect(classifyResult(noOverlap, at(4, 98))).toBe('duplicate');
  });

  it('reads string-typed ids and times, and leaves unkeyed results out of the cursor', () => {
    expect(resultKey({ prb_id: '6012', timestamp: '1613384121' })).toEqual({ prbId: 6012, timestamp: 1613384121 });
    expect(classifyResult(undefined, { type: 'ping' })).toBe('unkeyed');
    expect(classifyResult(undefined, 'x')).toBe('unkeyed');
    expect(advanceCursor(undefined, [{ type: 'ping' }])).toBeUndefined();
    const c = advanceCursor(undefined, [{ prb_id: 1, timestamp: 10 }]);
    expect(advanceCursor(c, [{ prb_id: 2 }])).toEqual(c);
  });

  it('keeps other measurements when one is updated', () => {
    const a = withCursor(emptyCursorState(), 1, advanceCursor(undefined, [{ prb_id: 1, timestamp: 10 }]));
    const b = withCursor(a, 2, advanceCursor(undefined, [{ prb_id: 1, timestamp: 20 }]));
    expect(Object.keys(b.measurements).sort()).toEqual(['1', '2']);
    expect(cursorOf(b, 1)?.lastTimestamp).toBe(10);
    expect(nextStart(cursorOf(b, 2))).toBe(21);
    expect(nextStart(cursorOf(b, 3))).toBeUndefined();
  });

  it.each([
    [{ version: 2, measurements: {} }],
    [{ version: 1, measurements: { abc: { lastTimestamp: 1, rememberedFrom: 1, recentKeys: [] } } }],
    [{ version: 1, measurements: { '1': { lastTimestamp: -1, rememberedFrom: 0, recentKeys: [] } } }],
    [{ version: 1, measurements: { '1': { lastTimestamp: 5, rememberedFrom: 6, recentKeys: [] } } }],
    [{ version: 1, measurements: { '1': { lastTimestamp: 5, rememberedFrom: 5, recentKeys: ['x'] } } }],
    [null],
  ])('rejects a malformed persisted state %#', (bad) => {
    expect(() => parseCursorState(bad)).toThrow(AtlasCursorStateError);
  });
});

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
