import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines, type SplitLine } from '../../src/adapters/ripe-atlas/client/json-lines.js';

async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

async function lines(bytes: Buffer, cuts: readonly number[], max = 1 << 20): Promise<SplitLine[]> {
  const out: SplitLine[] = [];
  for await (const l of splitLines(chunked(bytes, cuts), max)) out.push(l);
  return out;
}

describe('splitLines', () => {
  it('gives the same lines wherever the chunks are cut, multi-byte characters included', async () => {
    const text = '{"a":"Zürich ✓"}\r\n\n{"b":"東京"}\n  \n{"c":"🛰"}';
    const bytes = Buffer.from(text, 'utf8');
    const expected = [
      { kind: 'line', lineNumber: 1, text: '{"a":"Zürich ✓"}' },
      { kind: 'line', lineNumber: 3, text: '{"b":"東京"}' },
      { kind: 'line', lineNumber: 5, text: '{"c":"🛰"}' },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), async (cuts) => {
        expect(await lines(bytes, cuts)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reports an over-long line by number and skips only that line, in any chunking', async () => {
    const long = `{"x":"${'y'.repeat(500)}"}`;
    const bytes = Buffer.from(`{"a":1}\n${long}\n{"b":2}\n${long}`, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 8 }), async (cuts) => {
        const got = await lines(bytes, cuts, 100);
        expect(got.map((l) => [l.kind, l.lineNumber])).toEqual([
          ['line', 1],
          ['too-long', 2],
          ['line', 3],
          ['too-long', 4],
        ]);
        const tooLong = got[1];
        expect(tooLong?.kind === 'too-long' && tooLong.head.startsWith('{"x":"yyy')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('yields nothing for an empty body', async () => {
    expect(await lines(Buffer.alloc(0), [])).toEqual([]);
  });
});
