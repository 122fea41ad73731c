import { describe, expect, it } from 'vitest';
import { takeFloatRow, takeIntRow } from '../../src/model/row-blocks.js';

describe('row blocks: typed rows cut from shared blocks', () => {
  it('hands out zeroed rows of the asked length that never overlap, across blocks', () => {
    // Prepare: enough rows of mixed kinds and odd lengths to fill several 64 KiB blocks.
    const rows: (Float64Array | Int32Array)[] = [];
    for (let i = 0; i < 3000; i += 1) rows.push(i % 3 === 0 ? takeIntRow(1 + (i % 23)) : takeFloatRow(1 + (i % 29)));
    // Act: write each row's index into every one of its cells.
    rows.forEach((row, i) => row.fill(i));
    // Assess: every row still holds only its own index (no other row wrote over it), at its length.
    rows.forEach((row, i) => {
      expect(row.length).toBe(1 + (i % (i % 3 === 0 ? 23 : 29)));
      expect(Array.from(row).every((x) => x === i)).toBe(true);
    });
    expect(Array.from(takeFloatRow(40))).toEqual(new Array(40).fill(0));
  });

  it('gives a row longer than a block a block of its own', () => {
    const long = takeFloatRow(10_000);
    long.fill(1);
    expect(long.length).toBe(10_000);
    expect(Array.from(takeFloatRow(3))).toEqual([0, 0, 0]);
  });
});
