import { describe, expect, it } from 'vitest';
import { takeFloatRow, takeIntRow, withRowScope } from '../../src/model/row-blocks.js';

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

describe('row scopes: blocks recycled from one decision to the next', () => {
  it('hands out zeroed rows in a scope although its blocks held an earlier scope\'s rows', () => {
    // Prepare: a scope that fills several blocks, and one long row, with non-zero values.
    withRowScope(() => {
      for (let i = 0; i < 3000; i += 1) takeFloatRow(20).fill(7);
      takeFloatRow(20_000).fill(7);
    });
    // Act: the next scope takes as many rows again, from the blocks handed back.
    const seen = withRowScope(() => {
      let nonZero = 0;
      for (let i = 0; i < 3000; i += 1) if (takeFloatRow(20).some((x) => x !== 0)) nonZero += 1;
      if (takeFloatRow(20_000).some((x) => x !== 0)) nonZero += 1;
      if (takeIntRow(33).some((x) => x !== 0)) nonZero += 1;
      return nonZero;
    });
    // Assess: not one row held anything.
    expect(seen).toBe(0);
  });

  it('never recycles a row taken outside every scope', () => {
    // Prepare: rows taken outside a scope, before and after scopes that fill and hand back many blocks.
    const before = takeFloatRow(20).fill(3);
    for (let k = 0; k < 3; k += 1) withRowScope(() => {
      for (let i = 0; i < 3000; i += 1) takeFloatRow(20).fill(9);
    });
    const after = takeFloatRow(20).fill(4);
    withRowScope(() => {
      for (let i = 0; i < 3000; i += 1) takeFloatRow(20).fill(9);
    });
    // Assess: both kept their values.
    expect(Array.from(before)).toEqual(new Array(20).fill(3));
    expect(Array.from(after)).toEqual(new Array(20).fill(4));
  });

  it('keeps a nested scope\'s rows until the outer scope ends, and hands blocks back when the work throws', () => {
    const outcome = withRowScope(() => {
      const outer = takeFloatRow(20).fill(1);
      withRowScope(() => {
        for (let i = 0; i < 3000; i += 1) takeFloatRow(20).fill(2);
      });
      // Rows taken after the inner scope, in the outer one: they must not land on the outer row.
      for (let i = 0; i < 3000; i += 1) takeFloatRow(20).fill(5);
      return Array.from(outer);
    });
    expect(outcome).toEqual(new Array(20).fill(1));
    expect(() =>
      withRowScope(() => {
        takeFloatRow(20).fill(6);
        throw new Error('decision failed');
      }),
    ).toThrow('decision failed');
    // The scope after a throw starts clean: zeroed rows.
    expect(withRowScope(() => Array.from(takeFloatRow(20)))).toEqual(new Array(20).fill(0));
  });
});
